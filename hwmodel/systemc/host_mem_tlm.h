// host_mem_tlm.h - host memory as a TLM-2.0 target: the memory the driver made DMA-able.
//
// Addresses are host physical addresses; in this platform the host is the simulator process,
// so an address is the integer value of a pointer into a window the driver mapped (nd_bus
// dma_map). Only those windows answer: anything else is TLM_ADDRESS_ERROR_RESPONSE, so a stray
// DMA that slipped past the card's IOMMU would still be caught here. Byte enables are honoured
// (RAM); streaming (width < length) is refused with TLM_BURST_ERROR_RESPONSE. DMI is granted
// per window (read/write, with the access latency), and revoked when a window goes away.
// Timing: each b_transport annotates `latency` (default 0: the card's dma block already models
// PCIe latency and bandwidth in cycles).
#ifndef NICSIM_SC_HOST_MEM_TLM_H
#define NICSIM_SC_HOST_MEM_TLM_H

#include <cstddef>
#include <cstdint>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/multi_passthrough_target_socket.h>

namespace nicsim_sc {

class host_mem_tlm : public sc_core::sc_module {
public:
    // one socket, any number of initiators (every card's dma socket binds here)
    tlm_utils::multi_passthrough_target_socket<host_mem_tlm> socket;
    sc_core::sc_time latency;
    bool allow_dmi = true;

    explicit host_mem_tlm(sc_core::sc_module_name name);
    // A window of host memory the driver made DMA-able. owner tags it for remove_owner().
    void add(void *host, size_t len, const void *owner);
    void remove_owner(const void *owner);
    uint64_t errors() const { return errors_; }

private:
    struct window {
        uint64_t start, end; // inclusive
        const void *owner;
    };
    std::vector<window> win_;
    uint64_t errors_ = 0;
    const window *find(uint64_t a, uint64_t len) const;
    void b_transport(int id, tlm::tlm_generic_payload &t, sc_core::sc_time &d);
    bool get_dmi(int id, tlm::tlm_generic_payload &t, tlm::tlm_dmi &dmi);
    unsigned dbg(int id, tlm::tlm_generic_payload &t);
    tlm::tlm_response_status access(tlm::tlm_generic_payload &t);
};

}  // namespace nicsim_sc

#endif

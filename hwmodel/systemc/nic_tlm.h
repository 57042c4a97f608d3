// nic_tlm.h - the card as a SystemC TLM-2.0 module: the C model (struct nic) behind sockets.
//
//   mmio      target socket, BAR0 (4 KiB): 32-bit registers, 4- or 8-byte accesses (8 = two
//             registers, low first). b_transport acts at the card's current cycle and annotates
//             the bus cost: a read costs params.pcie_latency_ns (a PCIe round trip), a posted
//             write one card clock.
//   dma       initiator socket into host memory: every DMA of the C model (descriptor fetches,
//             packet data, completions) leaves here as a generic payload, after the card's own
//             IOMMU check (nic_set_hostbus). DMI pointers are used when the target grants them
//             (cfg.use_dmi); the plain b_transport path is always there.
//   wire_out  initiator socket: every frame the card sends (TLM write, data = the frame).
//   wire_in   target socket: a frame arriving from the wire (TLM write).
//   irq       DMA.INTR_STATUS != 0, updated whenever the card has run.
//
// Time: loosely timed. Requests to let card time pass (run / run_until, from another SC_THREAD,
// blocking) are served by the module's own SC_THREAD, which runs the C model one call per
// quantum (nic_run / nic_run_until up to the cycle the quantum keeper allows) and syncs only
// when the card is a whole quantum ahead of SystemC time. A card behind SystemC time (the RX
// card of a testbench that lets it follow the TX card) runs without waiting. Nothing here runs
// per clock; an RTL block swapped in (rtl_gcm.cpp) is clocked in delta cycles inside the step.
#ifndef NICSIM_SC_NIC_TLM_H
#define NICSIM_SC_NIC_TLM_H

#include <cstdint>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>
#include <tlm_utils/tlm_quantumkeeper.h>

extern "C" {
#include "nicsim/nicsim.h"
}

namespace nicsim_sc {

constexpr uint64_t BAR0_SIZE = 0x1000;

// The cycle a frame left (or reaches) a card, carried with wire payloads: SystemC time cannot
// express a card that runs behind the kernel, and pcaps need the exact cycle.
struct cycle_ext : tlm::tlm_extension<cycle_ext> {
    uint64_t cycle = 0;
    tlm::tlm_extension_base *clone() const override;
    void copy_from(const tlm::tlm_extension_base &e) override;
};

// The quantum keeper, with the next sync point visible (how far the card may run unsynced).
class qkeeper : public tlm_utils::tlm_quantumkeeper {
public:
    sc_core::sc_time sync_point() const { return m_next_sync_point; }
};

// Cycle <-> SystemC time at the card clock.
struct clock_map {
    double ps_per_cycle = 2000.0;
    sc_core::sc_time at(uint64_t cycle) const
    {
        return sc_core::sc_time(static_cast<double>(cycle) * ps_per_cycle, sc_core::SC_PS);
    }
    uint64_t cycle_of(const sc_core::sc_time &t) const
    {
        return static_cast<uint64_t>(t.to_seconds() * 1e12 / ps_per_cycle);
    }
};

struct nic_tlm_stats {
    uint64_t requests = 0;     // run / run_until requests served
    uint64_t chunks = 0;       // C-model calls (one per request and quantum)
    uint64_t syncs = 0;        // quantum keeper syncs (waits)
    uint64_t mmio = 0, mmio_errors = 0;
    uint64_t dma_dmi = 0, dma_bt = 0, dma_errors = 0;
    uint64_t frames_out = 0, frames_in = 0;
    uint64_t irq_edges = 0;
};

class nic_tlm : public sc_core::sc_module {
public:
    tlm_utils::simple_target_socket<nic_tlm> mmio;
    tlm_utils::simple_initiator_socket<nic_tlm> dma;
    tlm_utils::simple_target_socket<nic_tlm> wire_in;
    tlm_utils::simple_initiator_socket<nic_tlm> wire_out;
    sc_core::sc_out<bool> irq;

    SC_HAS_PROCESS(nic_tlm);
    nic_tlm(sc_core::sc_module_name name, bool use_dmi = true);

    // Attach a card (its params give the clock); NULL detaches. 0 or -errno (hostbus refused).
    int bind(struct nic *n);
    struct nic *card() const { return nic_; }
    // The wire sink the testbench asked the card for (nic_set_wire_tx); kept across bind().
    // Frames the card sends leave through wire_out; fn is what the testbench asked for.
    void set_wire_sink(nic_wire_fn fn, void *user);

    // Blocking, from another SC_THREAD: let card time pass, as nic_run / nic_run_until.
    bool run(uint64_t max_cycles);
    void run_until(uint64_t cycle);

    const nic_tlm_stats &stats() const { return st_; }
    const clock_map &clock() const { return clk_; }

private:
    struct nic *nic_ = nullptr;
    bool use_dmi_;
    clock_map clk_;
    qkeeper qk_;
    nic_wire_fn sink_fn_ = nullptr;
    void *sink_user_ = nullptr;
    // the pending request
    sc_core::sc_event req_ev_, done_ev_;
    bool busy_ = false, req_until_ = false, req_idle_ = false;
    uint64_t req_cycle_ = 0;
    // DMI regions granted by host memory (a few; invalidated through the backward path)
    struct dmi_region {
        uint64_t start, end;
        unsigned char *ptr;
        bool rd, wr;
    };
    static constexpr unsigned MAX_DMI = 8;
    dmi_region dmi_[MAX_DMI];
    unsigned ndmi_ = 0;
    nic_tlm_stats st_;
    bool irq_level_ = false;

    void thread();
    void serve();
    void set_local(uint64_t cycle);
    void update_irq();
    // sockets
    void b_mmio(tlm::tlm_generic_payload &t, sc_core::sc_time &d);
    unsigned dbg_mmio(tlm::tlm_generic_payload &t);
    void b_wire_in(tlm::tlm_generic_payload &t, sc_core::sc_time &d);
    void invalidate_dmi(sc_dt::uint64 start, sc_dt::uint64 end);
    // host bus backend of the C model
    static int hb_read(void *ctx, uint64_t addr, void *buf, size_t len);
    static int hb_write(void *ctx, uint64_t addr, const void *buf, size_t len);
    int dma_access(tlm::tlm_command cmd, uint64_t addr, unsigned char *buf, size_t len);
    static void on_frame(void *user, const uint8_t *frame, size_t len, uint64_t cycle);
};

}  // namespace nicsim_sc

// The real model calls behind the testbench-facing wrappers (ld --wrap, see platform.cpp).
extern "C" {
void __real_nic_run_until(struct nic *n, uint64_t cycle);
int __real_nic_wire_rx(struct nic *n, const uint8_t *frame, size_t len);
void __real_nic_set_wire_tx(struct nic *n, nic_wire_fn fn, void *user);
}

#endif

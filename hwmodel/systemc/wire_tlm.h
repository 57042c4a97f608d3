// wire_tlm.h - the Ethernet link between two cards, with a monitor tap.
//
//   tx_in   target socket: frames the sending card puts on the wire (TLM write; a cycle_ext
//           carries the cycle its last byte left).
//   rx_out  initiator socket: frames handed to the receiving card (TLM write).
//   tap     the monitor on the link (a pcap writer, the testbench's scoreboard): every frame
//           of tx_in goes there with its cycle, as nic_set_wire_tx's callback would get it.
// The link has no back-pressure and no loss of its own. How long a frame spends between the
// cards is the monitor's business: `nicsim run` delivers each frame when the receiving card
// has reached the cycle the frame left the sender (zero flight time), and deliver() is how it
// does so. The serialisation time is the sending card's (tx_mac paces the wire).
#ifndef NICSIM_SC_WIRE_TLM_H
#define NICSIM_SC_WIRE_TLM_H

#include <cstdint>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

extern "C" {
#include "nicsim/nicsim.h"
}

namespace nicsim_sc {

class wire_tlm : public sc_core::sc_module {
public:
    tlm_utils::simple_target_socket<wire_tlm> tx_in;
    tlm_utils::simple_initiator_socket<wire_tlm> rx_out;

    explicit wire_tlm(sc_core::sc_module_name name);
    void set_tap(nic_wire_fn fn, void *user) { tap_ = fn, tap_user_ = user; }
    // Hand a frame to the receiving card now: 0, -EAGAIN (its input FIFO was full: dropped
    // and counted by the card), -EINVAL (length), -EIO (another TLM error).
    int deliver(const uint8_t *frame, size_t len);
    uint64_t frames() const { return frames_; }

private:
    nic_wire_fn tap_ = nullptr;
    void *tap_user_ = nullptr;
    uint64_t frames_ = 0;
    void b_tx(tlm::tlm_generic_payload &t, sc_core::sc_time &d);
};

}  // namespace nicsim_sc

#endif

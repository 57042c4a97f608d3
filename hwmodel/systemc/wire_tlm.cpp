// wire_tlm.cpp - the link between two cards (see wire_tlm.h).
#include "wire_tlm.h"

#include <cerrno>

#include "nic_tlm.h"

namespace nicsim_sc {

wire_tlm::wire_tlm(sc_core::sc_module_name name) : sc_module(name), tx_in("tx_in"), rx_out("rx_out")
{
    tx_in.register_b_transport(this, &wire_tlm::b_tx);
}

void wire_tlm::b_tx(tlm::tlm_generic_payload &t, sc_core::sc_time &d)
{
    (void)d;
    if (t.get_command() != tlm::TLM_WRITE_COMMAND || !t.get_data_ptr() || !t.get_data_length()) {
        t.set_response_status(tlm::TLM_COMMAND_ERROR_RESPONSE);
        return;
    }
    cycle_ext *e = nullptr;
    t.get_extension(e);
    frames_++;
    if (tap_)
        tap_(tap_user_, t.get_data_ptr(), t.get_data_length(), e ? e->cycle : 0);
    t.set_response_status(tlm::TLM_OK_RESPONSE);
}

int wire_tlm::deliver(const uint8_t *frame, size_t len)
{
    tlm::tlm_generic_payload t;
    t.set_command(tlm::TLM_WRITE_COMMAND);
    t.set_address(0);
    t.set_data_ptr(const_cast<unsigned char *>(frame));
    t.set_data_length(static_cast<unsigned>(len));
    t.set_streaming_width(static_cast<unsigned>(len));
    t.set_byte_enable_ptr(nullptr);
    t.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    sc_core::sc_time d = sc_core::SC_ZERO_TIME;
    rx_out->b_transport(t, d);
    switch (t.get_response_status()) {
    case tlm::TLM_OK_RESPONSE:         return 0;
    case tlm::TLM_INCOMPLETE_RESPONSE: return -EAGAIN;
    case tlm::TLM_BURST_ERROR_RESPONSE: return -EINVAL;
    default:                           return -EIO;
    }
}

}  // namespace nicsim_sc

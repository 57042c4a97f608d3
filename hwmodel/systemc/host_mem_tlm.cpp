// host_mem_tlm.cpp - host memory target (see host_mem_tlm.h).
#include "host_mem_tlm.h"

#include <cstring>

namespace nicsim_sc {

host_mem_tlm::host_mem_tlm(sc_core::sc_module_name name)
    : sc_module(name), socket("socket"), latency(sc_core::SC_ZERO_TIME)
{
    socket.register_b_transport(this, &host_mem_tlm::b_transport);
    socket.register_get_direct_mem_ptr(this, &host_mem_tlm::get_dmi);
    socket.register_transport_dbg(this, &host_mem_tlm::dbg);
}

void host_mem_tlm::add(void *host, size_t len, const void *owner)
{
    if (!host || !len)
        return;
    uint64_t a = reinterpret_cast<uintptr_t>(host);
    win_.push_back({a, a + len - 1, owner});
}

void host_mem_tlm::remove_owner(const void *owner)
{
    for (size_t i = 0; i < win_.size();) {
        if (win_[i].owner == owner) {
            uint64_t s = win_[i].start, e = win_[i].end;
            win_.erase(win_.begin() + static_cast<std::ptrdiff_t>(i));
            for (unsigned k = 0; k < socket.size(); k++)
                socket[k]->invalidate_direct_mem_ptr(s, e);
        } else {
            i++;
        }
    }
}

const host_mem_tlm::window *host_mem_tlm::find(uint64_t a, uint64_t len) const
{
    if (!len || a > UINT64_MAX - (len - 1))
        return nullptr;
    for (const window &w : win_)
        if (a >= w.start && a + (len - 1) <= w.end)
            return &w;
    return nullptr;
}

tlm::tlm_response_status host_mem_tlm::access(tlm::tlm_generic_payload &t)
{
    tlm::tlm_command cmd = t.get_command();
    if (cmd == tlm::TLM_IGNORE_COMMAND)
        return tlm::TLM_OK_RESPONSE;
    unsigned len = t.get_data_length();
    unsigned char *p = t.get_data_ptr();
    if (!p)
        return tlm::TLM_GENERIC_ERROR_RESPONSE;
    if (!len || t.get_streaming_width() < len)
        return tlm::TLM_BURST_ERROR_RESPONSE;
    const window *w = find(t.get_address(), len);
    if (!w)
        return tlm::TLM_ADDRESS_ERROR_RESPONSE;
    unsigned char *m = reinterpret_cast<unsigned char *>(static_cast<uintptr_t>(t.get_address()));
    const unsigned char *be = t.get_byte_enable_ptr();
    unsigned bel = t.get_byte_enable_length();
    if (be && !bel)
        return tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE;
    if (!be) {
        std::memcpy(cmd == tlm::TLM_READ_COMMAND ? p : m, cmd == tlm::TLM_READ_COMMAND ? m : p, len);
    } else {
        for (unsigned i = 0; i < len; i++)
            if (be[i % bel] == TLM_BYTE_ENABLED) {
                if (cmd == tlm::TLM_READ_COMMAND)
                    p[i] = m[i];
                else
                    m[i] = p[i];
            }
    }
    return tlm::TLM_OK_RESPONSE;
}

void host_mem_tlm::b_transport(int id, tlm::tlm_generic_payload &t, sc_core::sc_time &d)
{
    (void)id;
    tlm::tlm_response_status rs = access(t);
    if (rs != tlm::TLM_OK_RESPONSE)
        errors_++;
    else
        d += latency;
    t.set_dmi_allowed(rs == tlm::TLM_OK_RESPONSE && allow_dmi);
    t.set_response_status(rs);
}

bool host_mem_tlm::get_dmi(int id, tlm::tlm_generic_payload &t, tlm::tlm_dmi &dmi)
{
    (void)id;
    const window *w = allow_dmi ? find(t.get_address(), 1) : nullptr;
    if (!w) {
        // nothing here: deny the range around the address (the whole space, conservatively)
        dmi.set_start_address(t.get_address());
        dmi.set_end_address(t.get_address());
        dmi.allow_none();
        return false;
    }
    dmi.set_dmi_ptr(reinterpret_cast<unsigned char *>(static_cast<uintptr_t>(w->start)));
    dmi.set_start_address(w->start);
    dmi.set_end_address(w->end);
    dmi.allow_read_write();
    dmi.set_read_latency(latency);
    dmi.set_write_latency(latency);
    return true;
}

unsigned host_mem_tlm::dbg(int id, tlm::tlm_generic_payload &t)
{
    (void)id;
    tlm::tlm_response_status rs = access(t);
    t.set_response_status(rs);
    return rs == tlm::TLM_OK_RESPONSE ? t.get_data_length() : 0;
}

}  // namespace nicsim_sc

// nic_tlm.cpp - the card as a TLM-2.0 module (see nic_tlm.h).
#include "nic_tlm.h"

#include <cerrno>
#include <cstring>

extern "C" {
#include "nicsim/regs.h"
}

namespace nicsim_sc {

using sc_core::sc_time;
using sc_core::SC_ZERO_TIME;

tlm::tlm_extension_base *cycle_ext::clone() const
{
    auto *e = new cycle_ext;
    e->cycle = cycle;
    return e;
}

void cycle_ext::copy_from(const tlm::tlm_extension_base &e)
{
    cycle = static_cast<const cycle_ext &>(e).cycle;
}

nic_tlm::nic_tlm(sc_core::sc_module_name name, bool use_dmi)
    : sc_module(name), mmio("mmio"), dma("dma"), wire_in("wire_in"), wire_out("wire_out"),
      irq("irq"), use_dmi_(use_dmi)
{
    mmio.register_b_transport(this, &nic_tlm::b_mmio);
    mmio.register_transport_dbg(this, &nic_tlm::dbg_mmio);
    wire_in.register_b_transport(this, &nic_tlm::b_wire_in);
    dma.register_invalidate_direct_mem_ptr(this, &nic_tlm::invalidate_dmi);
    SC_THREAD(thread);
}

int nic_tlm::bind(struct nic *n)
{
    if (nic_ && nic_ != n)
        nic_set_hostbus(nic_, nullptr);
    nic_ = n;
    ndmi_ = 0;
    if (!n)
        return 0;
    clk_.ps_per_cycle = 1e6 / static_cast<double>(nic_params(n)->clock_mhz);
    struct nic_hostbus hb = {hb_read, hb_write, this};
    int rc = nic_set_hostbus(n, &hb);
    if (rc)
        return rc;
    if (sink_fn_)
        __real_nic_set_wire_tx(n, on_frame, this);
    return 0;
}

void nic_tlm::set_wire_sink(nic_wire_fn fn, void *user)
{
    sink_fn_ = fn;
    sink_user_ = user;
    if (nic_)
        __real_nic_set_wire_tx(nic_, fn ? on_frame : nullptr, fn ? this : nullptr);
}

// ---- time -------------------------------------------------------------------------------

void nic_tlm::set_local(uint64_t cycle)
{
    sc_time t = clk_.at(cycle), now = sc_core::sc_time_stamp();
    qk_.set(t > now ? t - now : SC_ZERO_TIME);
}

bool nic_tlm::run(uint64_t max_cycles)
{
    req_until_ = false;
    req_cycle_ = max_cycles;
    busy_ = true;
    req_ev_.notify();
    wait(done_ev_);
    return req_idle_;
}

void nic_tlm::run_until(uint64_t cycle)
{
    if (!nic_ || cycle <= nic_cycle(nic_))
        return; // nothing to run: no round trip through the kernel
    req_until_ = true;
    req_cycle_ = cycle;
    busy_ = true;
    req_ev_.notify();
    wait(done_ev_);
}

void nic_tlm::thread()
{
    for (;;) {
        if (!busy_)
            wait(req_ev_);
        serve();
        busy_ = false;
        done_ev_.notify();
    }
}

// One request: the C model runs in chunks that end at the quantum's sync point, so the card
// is never more than a quantum ahead of SystemC time.
void nic_tlm::serve()
{
    st_.requests++;
    if (!nic_) {
        req_idle_ = true;
        return;
    }
    qk_.reset(); // the quantum this request starts in
    uint64_t start = nic_cycle(nic_);
    uint64_t target = req_until_ ? req_cycle_
                      : start + req_cycle_ < start ? UINT64_MAX - 1 : start + req_cycle_;
    bool idle = false;
    for (;;) {
        uint64_t c = nic_cycle(nic_);
        if (c >= target)
            break;
        set_local(c);
        if (qk_.get_local_time() > SC_ZERO_TIME && qk_.need_sync()) {
            st_.syncs++;
            qk_.sync();
            continue;
        }
        uint64_t lim = clk_.cycle_of(qk_.sync_point());
        uint64_t to = lim > c ? lim : c + 1;
        if (to > target)
            to = target;
        st_.chunks++;
        if (req_until_) {
            __real_nic_run_until(nic_, to);
        } else {
            idle = nic_run(nic_, to - c);
            if (idle)
                break;
        }
    }
    req_idle_ = idle;
    set_local(nic_cycle(nic_));
    if (qk_.get_local_time() > SC_ZERO_TIME && qk_.need_sync()) {
        st_.syncs++;
        qk_.sync();
    }
    update_irq();
}

void nic_tlm::update_irq()
{
    bool level =
        nic_mmio_read(nic_, NICSIM_REG(DMA, INTR_STATUS)) != 0; // RO, no side effect
    if (level && !irq_level_)
        st_.irq_edges++;
    if (level != irq_level_) {
        irq_level_ = level;
        irq.write(level);
    }
}

// ---- MMIO target ------------------------------------------------------------------------

// The checks every target here makes; TLM_OK_RESPONSE when the payload is acceptable.
static tlm::tlm_response_status check_reg_access(const tlm::tlm_generic_payload &t)
{
    uint64_t a = t.get_address();
    unsigned len = t.get_data_length();
    if (!t.get_data_ptr())
        return tlm::TLM_GENERIC_ERROR_RESPONSE;
    if (len != 4 && len != 8)
        return tlm::TLM_BURST_ERROR_RESPONSE;
    if (t.get_streaming_width() < len)
        return tlm::TLM_BURST_ERROR_RESPONSE;
    if (a >= BAR0_SIZE || BAR0_SIZE - a < len || (a & 3u))
        return tlm::TLM_ADDRESS_ERROR_RESPONSE;
    if (const unsigned char *be = t.get_byte_enable_ptr()) {
        unsigned bel = t.get_byte_enable_length();
        if (!bel)
            return tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE;
        for (unsigned i = 0; i < len; i++)
            if (be[i % bel] != TLM_BYTE_ENABLED) // registers are written whole
                return tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE;
    }
    return tlm::TLM_OK_RESPONSE;
}

void nic_tlm::b_mmio(tlm::tlm_generic_payload &t, sc_time &d)
{
    tlm::tlm_command cmd = t.get_command();
    if (cmd == tlm::TLM_IGNORE_COMMAND) {
        t.set_response_status(tlm::TLM_OK_RESPONSE);
        return;
    }
    tlm::tlm_response_status rs = check_reg_access(t);
    if (rs == tlm::TLM_OK_RESPONSE && !nic_)
        rs = tlm::TLM_GENERIC_ERROR_RESPONSE; // no card behind the BAR
    if (rs != tlm::TLM_OK_RESPONSE) {
        st_.mmio_errors++;
        t.set_response_status(rs);
        return;
    }
    st_.mmio++;
    uint32_t a = static_cast<uint32_t>(t.get_address());
    unsigned char *p = t.get_data_ptr();
    for (unsigned i = 0; i < t.get_data_length(); i += 4) {
        uint32_t v;
        if (cmd == tlm::TLM_READ_COMMAND) {
            v = nic_mmio_read(nic_, a + i);
            std::memcpy(p + i, &v, 4); // host byte order, as a CPU load
        } else {
            std::memcpy(&v, p + i, 4);
            nic_mmio_write(nic_, a + i, v);
        }
    }
    const struct nicsim_params *pr = nic_params(nic_);
    d += cmd == tlm::TLM_READ_COMMAND ? sc_time(static_cast<double>(pr->pcie_latency_ns), sc_core::SC_NS)
                                      : clk_.at(1);
    t.set_dmi_allowed(false);
    t.set_response_status(tlm::TLM_OK_RESPONSE);
}

// Debug access: registers can have read side effects (EVT.POP), so only TOP is readable here.
unsigned nic_tlm::dbg_mmio(tlm::tlm_generic_payload &t)
{
    if (!nic_ || t.get_command() != tlm::TLM_READ_COMMAND || check_reg_access(t) != tlm::TLM_OK_RESPONSE ||
        t.get_address() + t.get_data_length() > NICSIM_DMA_BASE) {
        t.set_response_status(tlm::TLM_COMMAND_ERROR_RESPONSE);
        return 0;
    }
    uint32_t a = static_cast<uint32_t>(t.get_address());
    for (unsigned i = 0; i < t.get_data_length(); i += 4) {
        uint32_t v = nic_mmio_read(nic_, a + i);
        std::memcpy(t.get_data_ptr() + i, &v, 4);
    }
    t.set_response_status(tlm::TLM_OK_RESPONSE);
    return t.get_data_length();
}

// ---- wire ---------------------------------------------------------------------------------

void nic_tlm::on_frame(void *user, const uint8_t *frame, size_t len, uint64_t cycle)
{
    auto *self = static_cast<nic_tlm *>(user);
    self->st_.frames_out++;
    tlm::tlm_generic_payload t;
    cycle_ext ext;
    ext.cycle = cycle;
    t.set_command(tlm::TLM_WRITE_COMMAND);
    t.set_address(0);
    t.set_data_ptr(const_cast<unsigned char *>(frame));
    t.set_data_length(static_cast<unsigned>(len));
    t.set_streaming_width(static_cast<unsigned>(len));
    t.set_extension(&ext);
    sc_time now = sc_core::sc_time_stamp(), at = self->clk_.at(cycle);
    sc_time d = at > now ? at - now : SC_ZERO_TIME;
    self->wire_out->b_transport(t, d);
    t.clear_extension(&ext);
}

void nic_tlm::b_wire_in(tlm::tlm_generic_payload &t, sc_time &d)
{
    (void)d;
    tlm::tlm_response_status rs = tlm::TLM_OK_RESPONSE;
    if (t.get_command() == tlm::TLM_IGNORE_COMMAND) {
        t.set_response_status(rs);
        return;
    }
    if (t.get_command() != tlm::TLM_WRITE_COMMAND)
        rs = tlm::TLM_COMMAND_ERROR_RESPONSE;
    else if (t.get_address() != 0)
        rs = tlm::TLM_ADDRESS_ERROR_RESPONSE;
    else if (t.get_byte_enable_ptr())
        rs = tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE;
    else if (!nic_ || (!t.get_data_ptr() && t.get_data_length()))
        rs = tlm::TLM_GENERIC_ERROR_RESPONSE;
    else if (t.get_streaming_width() < t.get_data_length())
        rs = tlm::TLM_BURST_ERROR_RESPONSE;
    if (rs != tlm::TLM_OK_RESPONSE) {
        t.set_response_status(rs);
        return;
    }
    st_.frames_in++;
    // A frame arrives at the card's current cycle; the card judges its length (0 or above the
    // MTU: counted bad_syntax, TLM_BURST_ERROR_RESPONSE); a full input FIFO drops it (the card
    // counts rx_fifo_full) and the wire, which has no back-pressure, reports that as
    // TLM_INCOMPLETE_RESPONSE (frame not taken).
    int rc = __real_nic_wire_rx(nic_, t.get_data_ptr(), t.get_data_length());
    t.set_response_status(rc == 0           ? tlm::TLM_OK_RESPONSE
                          : rc == -EINVAL   ? tlm::TLM_BURST_ERROR_RESPONSE
                                            : tlm::TLM_INCOMPLETE_RESPONSE);
}

// ---- DMA initiator --------------------------------------------------------------------------

void nic_tlm::invalidate_dmi(sc_dt::uint64 start, sc_dt::uint64 end)
{
    unsigned k = 0;
    for (unsigned i = 0; i < ndmi_; i++)
        if (dmi_[i].end < start || dmi_[i].start > end)
            dmi_[k++] = dmi_[i];
    ndmi_ = k;
}

int nic_tlm::hb_read(void *ctx, uint64_t addr, void *buf, size_t len)
{
    return static_cast<nic_tlm *>(ctx)->dma_access(tlm::TLM_READ_COMMAND, addr,
                                                   static_cast<unsigned char *>(buf), len);
}

int nic_tlm::hb_write(void *ctx, uint64_t addr, const void *buf, size_t len)
{
    return static_cast<nic_tlm *>(ctx)->dma_access(
        tlm::TLM_WRITE_COMMAND, addr, const_cast<unsigned char *>(static_cast<const unsigned char *>(buf)), len);
}

// The dma block has already paid the bus time in cycles (pcie_latency_ns, bandwidth); the
// delay host memory annotates is therefore not added to the card's time again.
int nic_tlm::dma_access(tlm::tlm_command cmd, uint64_t addr, unsigned char *buf, size_t len)
{
    bool rd = cmd == tlm::TLM_READ_COMMAND;
    for (unsigned i = 0; i < ndmi_; i++) {
        const dmi_region &r = dmi_[i];
        if (addr >= r.start && addr + len - 1 <= r.end && (rd ? r.rd : r.wr)) {
            unsigned char *p = r.ptr + (addr - r.start);
            std::memcpy(rd ? buf : p, rd ? p : buf, len);
            st_.dma_dmi++;
            return 0;
        }
    }
    tlm::tlm_generic_payload t;
    t.set_command(cmd);
    t.set_address(addr);
    t.set_data_ptr(buf);
    t.set_data_length(static_cast<unsigned>(len));
    t.set_streaming_width(static_cast<unsigned>(len));
    t.set_byte_enable_ptr(nullptr);
    t.set_dmi_allowed(false);
    t.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    sc_time d = SC_ZERO_TIME;
    dma->b_transport(t, d);
    st_.dma_bt++;
    if (!t.is_response_ok()) {
        st_.dma_errors++;
        return -EFAULT;
    }
    if (use_dmi_ && t.is_dmi_allowed() && ndmi_ < MAX_DMI) {
        tlm::tlm_dmi dmi;
        t.set_address(addr);
        if (dma->get_direct_mem_ptr(t, dmi)) {
            dmi_[ndmi_++] = {dmi.get_start_address(), dmi.get_end_address(), dmi.get_dmi_ptr(),
                             dmi.is_read_allowed(), dmi.is_write_allowed()};
        }
    }
    return 0;
}

}  // namespace nicsim_sc

// platform.cpp - the virtual platform (see platform.h): modules, the bus backend the driver
// sees, and the attach seam.
#include "platform.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "rtl_gcm.h"

extern "C" {
#include "nd_bus_model.h"
}

namespace nicsim_sc {

platform *platform::inst_ = nullptr;

platform::platform(sc_core::sc_module_name name, const platform_cfg &cfg)
    : sc_module(name), mem("mem"), card0("card0", cfg.dmi), card1("card1", cfg.dmi),
      wire0("wire0"), wire1("wire1"), mmio0("mmio0"), mmio1("mmio1"), irq0("irq0"),
      irq1("irq1"), cfg_(cfg)
{
    mmio0.bind(card0.mmio);
    mmio1.bind(card1.mmio);
    card0.dma.bind(mem.socket);
    card1.dma.bind(mem.socket);
    card0.wire_out.bind(wire0.tx_in);
    wire0.rx_out.bind(card1.wire_in);
    card1.wire_out.bind(wire1.tx_in);
    wire1.rx_out.bind(card0.wire_in);
    card0.irq.bind(irq0);
    card1.irq.bind(irq1);
    tlm_utils::tlm_quantumkeeper::set_global_quantum(
        sc_core::sc_time(cfg.quantum_ns, sc_core::SC_NS));
    qk_.reset();
    if (cfg.rtl_gcm)
        rtl_gcm_elaborate(RTL_GCM_ENGINES);
    inst_ = this;
    run_host_set_attach(attach, this);
    SC_THREAD(driver);
}

platform::~platform()
{
    run_host_set_attach(nullptr, nullptr);
    if (inst_ == this)
        inst_ = nullptr;
}

nic_tlm *platform::card_of(const struct nic *n)
{
    if (!inst_ || !n)
        return nullptr;
    if (inst_->card0.card() == n)
        return &inst_->card0;
    if (inst_->card1.card() == n)
        return &inst_->card1;
    return nullptr;
}

void platform::driver()
{
    if (job_)
        job_();
    // return: the cards' threads wait for requests that never come, so sc_start() returns
    // (starvation) without sc_stop()'s report
}

// ---- the driver's BAR0 accesses: generic payloads on the host's initiator sockets ---------

static void reg_payload(tlm::tlm_generic_payload &t, tlm::tlm_command cmd, uint32_t off,
                        uint32_t *v)
{
    t.set_command(cmd);
    t.set_address(off);
    t.set_data_ptr(reinterpret_cast<unsigned char *>(v));
    t.set_data_length(4);
    t.set_streaming_width(4);
    t.set_byte_enable_ptr(nullptr);
    t.set_dmi_allowed(false);
    t.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
}

uint32_t platform::mmio_read(int k, uint32_t off)
{
    uint32_t v = 0;
    tlm::tlm_generic_payload t;
    reg_payload(t, tlm::TLM_READ_COMMAND, off, &v);
    sc_core::sc_time d = qk_.get_local_time();
    (k ? mmio1 : mmio0)->b_transport(t, d);
    host_time(d);
    return t.is_response_ok() ? v : 0xffffffffu; // a failed PCIe read returns all ones
}

void platform::mmio_write(int k, uint32_t off, uint32_t v)
{
    tlm::tlm_generic_payload t;
    reg_payload(t, tlm::TLM_WRITE_COMMAND, off, &v);
    sc_core::sc_time d = qk_.get_local_time();
    (k ? mmio1 : mmio0)->b_transport(t, d);
    host_time(d);
}

// The host's local time: the annotated MMIO cost accumulates in its quantum keeper but never
// makes the driver thread wait. In `nicsim run` the host costs no card time between two card
// runs; waiting here would not change the cards (they run only when asked) but would move
// SystemC time away from card time. The cost is kept for the statistics and absorbed when the
// host next waits for a card (host_time_sync).
void platform::host_time(const sc_core::sc_time &d)
{
    mmio_time_ += d - qk_.get_local_time();
    qk_.set(d);
}

void platform::print_stats(FILE *f) const
{
    const nic_tlm *c[2] = {&card0, &card1};
    for (int k = 0; k < 2; k++) {
        const nic_tlm_stats &s = c[k]->stats();
        std::fprintf(f,
                     "%s: %llu requests, %llu model calls, %llu syncs, %llu mmio (%llu errors), "
                     "dma %llu dmi + %llu b_transport (%llu errors), frames %llu out %llu in, "
                     "%llu irq edges\n",
                     c[k]->name(), (unsigned long long)s.requests, (unsigned long long)s.chunks,
                     (unsigned long long)s.syncs, (unsigned long long)s.mmio,
                     (unsigned long long)s.mmio_errors, (unsigned long long)s.dma_dmi,
                     (unsigned long long)s.dma_bt, (unsigned long long)s.dma_errors,
                     (unsigned long long)s.frames_out, (unsigned long long)s.frames_in,
                     (unsigned long long)s.irq_edges);
    }
    if (cfg_.rtl_gcm)
        std::fprintf(f, "RTL GCM engines: %llu clock edges\n", rtl_gcm_clocks());
    std::fprintf(f, "SystemC time %s, host MMIO time annotated %s\n",
                 sc_core::sc_time_stamp().to_string().c_str(), mmio_time_.to_string().c_str());
}

// ---- the bus backend: the model bus with MMIO and time through the platform --------------

namespace {

struct sc_bus {
    struct nd_bus_ops ops; // first: bus->ops points here
    const struct nd_bus_ops *orig;
    platform *pf;
    int k;
};

sc_bus *scb(struct nd_bus *b)
{
    return reinterpret_cast<sc_bus *>(const_cast<struct nd_bus_ops *>(b->ops));
}
const sc_bus *scb(const struct nd_bus *b)
{
    return reinterpret_cast<const sc_bus *>(b->ops);
}

extern "C" uint32_t scbus_read(struct nd_bus *b, uint32_t off)
{
    sc_bus *s = scb(b);
    return s->pf->mmio_read(s->k, off);
}

extern "C" void scbus_write(struct nd_bus *b, uint32_t off, uint32_t v)
{
    sc_bus *s = scb(b);
    s->pf->mmio_write(s->k, off, v);
}

extern "C" int scbus_map(struct nd_bus *b, void *host, size_t len, uint64_t *iova)
{
    sc_bus *s = scb(b);
    int rc = s->orig->dma_map(b, host, len, iova);
    if (!rc)
        s->pf->mem.add(host, len, b);
    return rc;
}

extern "C" bool scbus_run(struct nd_bus *b, uint64_t max_cycles)
{
    sc_bus *s = scb(b);
    bool idle = s->pf->card(s->k).run(max_cycles);
    s->pf->host_time_sync(); // the host waited for the card: its local time is spent
    return idle;
}

extern "C" uint64_t scbus_cycle(const struct nd_bus *b)
{
    return scb(b)->orig->cycle(b);
}

extern "C" int scbus_reset(struct nd_bus *b)
{
    sc_bus *s = scb(b);
    if (!s->orig->reset)
        return -EOPNOTSUPP;
    int rc = s->orig->reset(b);
    if (rc)
        return rc;
    return s->pf->card(s->k).bind(nd_bus_model_nic(b)) ? -EIO : 0;
}

extern "C" void scbus_destroy(struct nd_bus *b)
{
    sc_bus *s = scb(b);
    nic_tlm &c = s->pf->card(s->k);
    if (c.card() == nd_bus_model_nic(b)) {
        c.bind(nullptr);
        c.set_wire_sink(nullptr, nullptr);
        s->pf->wire_from(s->k).set_tap(nullptr, nullptr);
    }
    s->pf->mem.remove_owner(b);
    b->ops = s->orig;
    delete s;
    nd_bus_destroy(b);
}

}  // namespace

int platform::attach(void *ctx, struct run_host *h, const struct nicsim_params *p, char *err,
                     size_t errlen)
{
    auto *pf = static_cast<platform *>(ctx);
    int k = h->name && !std::strcmp(h->name, "RX card") ? 1 : 0;
    nic_tlm &c = pf->card(k);
    if (c.card()) {
        std::snprintf(err, errlen, "%s: the platform's %s already holds a card", h->name, c.name());
        return -1;
    }
    if (nd_bus_model_stubbed(h->bus)) {
        std::snprintf(err, errlen, "%s: the SystemC platform needs the card's own firmware",
                      h->name);
        return -1;
    }
    if (pf->cfg_.rtl_gcm) {
        if (rtl_gcm_attach(nd_bus_model_nic(h->bus), p, &c, err, errlen))
            return -1;
        // the card again, its GCM units made while the RTL engine factory is on (the bus's
        // function-level reset re-creates the card with the same parameters; no DMA mapping
        // exists yet)
        rtl_gcm_factory(true);
        int rrc = h->bus->ops->reset(h->bus);
        rtl_gcm_factory(false);
        if (rrc) {
            std::snprintf(err, errlen, "%s: cannot give the card RTL GCM engines", h->name);
            return -1;
        }
    }
    struct nic *n = nd_bus_model_nic(h->bus);
    int rc = c.bind(n);
    if (rc) {
        std::snprintf(err, errlen, "%s: cannot route the card's DMA through the platform (%s)",
                      h->name, std::strerror(-rc));
        return -1;
    }
    auto *s = new sc_bus;
    s->ops = {scbus_read, scbus_write, scbus_map, scbus_run, scbus_cycle, scbus_reset,
              scbus_destroy};
    s->orig = h->bus->ops;
    s->pf = pf;
    s->k = k;
    h->bus->ops = &s->ops;
    return 0;
}

}  // namespace nicsim_sc

// ---- the testbench's direct calls on a card (ld --wrap) -----------------------------------

using nicsim_sc::nic_tlm;
using nicsim_sc::platform;

extern "C" void __wrap_nic_run_until(struct nic *n, uint64_t cycle);
extern "C" int __wrap_nic_wire_rx(struct nic *n, const uint8_t *frame, size_t len);
extern "C" void __wrap_nic_set_wire_tx(struct nic *n, nic_wire_fn fn, void *user);

extern "C" void __wrap_nic_run_until(struct nic *n, uint64_t cycle)
{
    nic_tlm *c = platform::card_of(n);
    if (!c) {
        __real_nic_run_until(n, cycle);
        return;
    }
    c->run_until(cycle);
    platform::instance()->host_time_sync();
}

extern "C" int __wrap_nic_wire_rx(struct nic *n, const uint8_t *frame, size_t len)
{
    nic_tlm *c = platform::card_of(n);
    if (!c)
        return __real_nic_wire_rx(n, frame, len);
    platform *pf = platform::instance();
    return pf->wire_into(pf->card_index(c)).deliver(frame, len);
}

extern "C" void __wrap_nic_set_wire_tx(struct nic *n, nic_wire_fn fn, void *user)
{
    nic_tlm *c = platform::card_of(n);
    if (!c) {
        __real_nic_set_wire_tx(n, fn, user);
        return;
    }
    platform *pf = platform::instance();
    pf->wire_from(pf->card_index(c)).set_tap(fn, user);
    c->set_wire_sink(fn, user); // the card's output goes through its wire_out socket
}

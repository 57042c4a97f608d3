// platform.h - the virtual platform of `nicsim_sc`: a host (CPU running the driver shim and
// the `nicsim run` testbench in an SC_THREAD, host memory as a TLM target) and two cards joined
// by a full-duplex wire.
//
//   driver thread --mmio[k]--> card[k].mmio          (BAR0 loads/stores of the driver)
//   card[k].dma   -----------> mem.socket            (DMA into host memory)
//   card[0].wire_out -> wire[0] -> card[1].wire_in   (wire[0].tap: the testbench monitor)
//   card[1].wire_out -> wire[1] -> card[0].wire_in
//   card[k].irq   -----------> irq[k]
//
// How the unchanged C testbench gets here: run_host's attach seam gives every new host's bus
// to attach(), which binds card[0] ("TX card") or card[1] ("RX card") to the model card behind
// it and swaps the bus operations for ones that go through the sockets (MMIO) and through the
// cards' threads (time). The testbench's direct calls on a card (nic_run_until, nic_wire_rx,
// nic_set_wire_tx) reach the platform through ld --wrap (platform.cpp): a card not bound to the
// platform takes the plain C path, so the same binary also runs the pure C reference.
#ifndef NICSIM_SC_PLATFORM_H
#define NICSIM_SC_PLATFORM_H

#include <functional>

#include "host_mem_tlm.h"
#include "nic_tlm.h"
#include "wire_tlm.h"

extern "C" {
#include "nd_bus.h"
#include "run_host.h"
}

namespace nicsim_sc {

struct platform_cfg {
    double quantum_ns = 1000.0; // global quantum (tlm_global_quantum)
    bool dmi = true;            // cards use DMI into host memory (else b_transport only)
    bool rtl_gcm = false;       // GCM engines: Verilated RTL instead of the C model
};

class platform : public sc_core::sc_module {
public:
    host_mem_tlm mem;
    nic_tlm card0, card1;
    wire_tlm wire0, wire1;
    tlm_utils::simple_initiator_socket<platform> mmio0, mmio1;
    sc_core::sc_signal<bool> irq0, irq1;

    SC_HAS_PROCESS(platform);
    platform(sc_core::sc_module_name name, const platform_cfg &cfg);
    ~platform() override;

    // What the driver thread runs (the testbench); the simulation stops when it returns.
    void set_job(std::function<void()> job) { job_ = std::move(job); }

    nic_tlm &card(int k) { return k ? card1 : card0; }
    // The platform card a model card is bound to, or NULL (the plain C path).
    static nic_tlm *card_of(const struct nic *n);
    static platform *instance() { return inst_; }
    int card_index(const nic_tlm *c) const { return c == &card1 ? 1 : 0; }
    wire_tlm &wire_into(int k) { return k ? wire0 : wire1; }
    wire_tlm &wire_from(int k) { return k ? wire1 : wire0; }

    // driver-side accesses (from the driver thread)
    uint32_t mmio_read(int k, uint32_t off);
    void mmio_write(int k, uint32_t off, uint32_t v);
    void host_time_sync() { qk_.reset(); }
    const platform_cfg &cfg() const { return cfg_; }
    void print_stats(FILE *f) const;

private:
    static platform *inst_;
    platform_cfg cfg_;
    std::function<void()> job_;
    tlm_utils::tlm_quantumkeeper qk_;
    sc_core::sc_time mmio_time_;
    void driver();
    void host_time(const sc_core::sc_time &d);
    static int attach(void *ctx, struct run_host *h, const struct nicsim_params *p, char *err,
                      size_t errlen);
};

}  // namespace nicsim_sc

#endif

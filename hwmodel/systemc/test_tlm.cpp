// test_tlm.cpp - TLM-2.0 protocol checks of the platform's targets (build/bin/sc_tlm_test):
// every bad payload gets the right response status and nothing crashes; good ones work, with
// the documented timing annotation. Prints one line per failed check and "N passed, N failed".
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "host_mem_tlm.h"
#include "nic_tlm.h"
#include "wire_tlm.h"

extern "C" {
#include "nicsim/regs.h"
}

using namespace nicsim_sc;
using tlm::tlm_generic_payload;
using tlm::tlm_response_status;

namespace {

unsigned passed, failed;

void check(bool ok, const char *what, long got = 0, long want = 0)
{
    if (ok) {
        passed++;
        return;
    }
    failed++;
    std::printf("FAIL %s (got %ld, want %ld)\n", what, got, want);
}

const char *rs_name(tlm_response_status s)
{
    tlm_generic_payload t;
    t.set_response_status(s);
    static std::string n;
    n = t.get_response_string();
    return n.c_str();
}

void expect(tlm_response_status got, tlm_response_status want, const char *what)
{
    if (got != want)
        std::printf("     %s: %s, want %s\n", what, rs_name(got), rs_name(want));
    check(got == want, what, got, want);
}

// A target that takes every frame (the far end of the card's wire).
struct sink : sc_core::sc_module {
    tlm_utils::simple_target_socket<sink> in;
    unsigned frames = 0;
    explicit sink(sc_core::sc_module_name n) : sc_module(n), in("in")
    {
        in.register_b_transport(this, &sink::bt);
    }
    void bt(tlm_generic_payload &t, sc_core::sc_time &)
    {
        frames++;
        t.set_response_status(tlm::TLM_OK_RESPONSE);
    }
};

struct tester : sc_core::sc_module {
    tlm_utils::simple_initiator_socket<tester> bar, mem_port, wire_port;
    nic_tlm *card;
    host_mem_tlm *mem;
    SC_HAS_PROCESS(tester);
    tester(sc_core::sc_module_name n, nic_tlm *c, host_mem_tlm *m)
        : sc_module(n), bar("bar"), mem_port("mem_port"), wire_port("wire_port"), card(c), mem(m)
    {
        SC_THREAD(run);
    }

    tlm_response_status go(tlm_utils::simple_initiator_socket<tester> &s, tlm::tlm_command cmd,
                           uint64_t a, unsigned char *p, unsigned len, sc_core::sc_time *d = nullptr,
                           unsigned char *be = nullptr, unsigned bel = 0, unsigned sw = 0)
    {
        tlm_generic_payload t;
        t.set_command(cmd);
        t.set_address(a);
        t.set_data_ptr(p);
        t.set_data_length(len);
        t.set_streaming_width(sw ? sw : len);
        t.set_byte_enable_ptr(be);
        t.set_byte_enable_length(bel);
        t.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        sc_core::sc_time z = sc_core::SC_ZERO_TIME;
        s->b_transport(t, d ? *d : z);
        return t.get_response_status();
    }

    void mmio_checks()
    {
        using namespace tlm;
        uint32_t v = 0;
        unsigned char *p = reinterpret_cast<unsigned char *>(&v);
        uint32_t w[4] = {0, 0, 0, 0};
        unsigned char *pw = reinterpret_cast<unsigned char *>(w);
        sc_core::sc_time d = sc_core::SC_ZERO_TIME;
        expect(go(bar, TLM_READ_COMMAND, NICSIM_REG(TOP, ID), p, 4, &d), TLM_OK_RESPONSE,
               "mmio read TOP.ID");
        check(v == 0x4e494353u, "TOP.ID value", v, 0x4e494353);
        const struct nicsim_params *pr = nic_params(card->card());
        check(d == sc_core::sc_time(pr->pcie_latency_ns, sc_core::SC_NS),
              "mmio read annotates pcie_latency_ns", (long)d.value(), 0);
        d = sc_core::SC_ZERO_TIME;
        v = 0x5a5a1234;
        expect(go(bar, TLM_WRITE_COMMAND, NICSIM_REG(TOP, SCRATCH), p, 4, &d), TLM_OK_RESPONSE,
               "mmio write TOP.SCRATCH");
        check(d == card->clock().at(1), "mmio write annotates one card clock");
        v = 0;
        expect(go(bar, TLM_READ_COMMAND, NICSIM_REG(TOP, SCRATCH), p, 4), TLM_OK_RESPONSE,
               "mmio read TOP.SCRATCH");
        check(v == 0x5a5a1234, "TOP.SCRATCH read back", v, 0x5a5a1234);
        expect(go(bar, TLM_READ_COMMAND, NICSIM_REG(TOP, ID), pw, 8), TLM_OK_RESPONSE,
               "mmio 8-byte read");
        check(w[0] == 0x4e494353u, "8-byte read low word", w[0], 0x4e494353);
        // bad address
        expect(go(bar, TLM_READ_COMMAND, BAR0_SIZE, p, 4), TLM_ADDRESS_ERROR_RESPONSE,
               "mmio read past BAR0");
        expect(go(bar, TLM_WRITE_COMMAND, 0xfffffffffffffffcull, p, 4),
               TLM_ADDRESS_ERROR_RESPONSE, "mmio write at 2^64 - 4");
        expect(go(bar, TLM_READ_COMMAND, BAR0_SIZE - 4, pw, 8), TLM_ADDRESS_ERROR_RESPONSE,
               "mmio 8 bytes straddling the BAR end");
        expect(go(bar, TLM_READ_COMMAND, 2, p, 4), TLM_ADDRESS_ERROR_RESPONSE,
               "mmio misaligned read");
        // bad length
        expect(go(bar, TLM_READ_COMMAND, 0, p, 2), TLM_BURST_ERROR_RESPONSE, "mmio 2-byte read");
        expect(go(bar, TLM_WRITE_COMMAND, 0, p, 1), TLM_BURST_ERROR_RESPONSE, "mmio 1-byte write");
        expect(go(bar, TLM_READ_COMMAND, 0, pw, 16), TLM_BURST_ERROR_RESPONSE,
               "mmio 16-byte read");
        expect(go(bar, TLM_READ_COMMAND, 0, pw, 0), TLM_BURST_ERROR_RESPONSE, "mmio 0-byte read");
        expect(go(bar, TLM_READ_COMMAND, 0, pw, 8, nullptr, nullptr, 0, 4),
               TLM_BURST_ERROR_RESPONSE, "mmio streaming width 4 of 8");
        // byte enables
        unsigned char be_part[4] = {0xff, 0x00, 0xff, 0xff};
        unsigned char be_all[4] = {0xff, 0xff, 0xff, 0xff};
        v = 0x11111111;
        expect(go(bar, TLM_WRITE_COMMAND, NICSIM_REG(TOP, SCRATCH), p, 4, nullptr, be_part, 4),
               TLM_BYTE_ENABLE_ERROR_RESPONSE, "mmio write with a partial byte enable");
        expect(go(bar, TLM_READ_COMMAND, NICSIM_REG(TOP, SCRATCH), p, 4), TLM_OK_RESPONSE,
               "mmio read after refused write");
        check(v == 0x5a5a1234, "refused write left the register alone", v, 0x5a5a1234);
        expect(go(bar, TLM_READ_COMMAND, NICSIM_REG(TOP, ID), p, 4, nullptr, be_all, 4),
               TLM_OK_RESPONSE, "mmio read with all bytes enabled");
        expect(go(bar, TLM_READ_COMMAND, NICSIM_REG(TOP, ID), p, 4, nullptr, be_all, 0),
               TLM_BYTE_ENABLE_ERROR_RESPONSE, "mmio byte-enable length 0");
        // other
        expect(go(bar, TLM_READ_COMMAND, 0, nullptr, 4), TLM_GENERIC_ERROR_RESPONSE,
               "mmio NULL data pointer");
        expect(go(bar, TLM_IGNORE_COMMAND, BAR0_SIZE * 2, p, 4), TLM_OK_RESPONSE,
               "mmio ignore command");
        tlm_generic_payload t;
        tlm::tlm_dmi dmi;
        t.set_address(0);
        check(!bar->get_direct_mem_ptr(t, dmi), "no DMI into registers");
        t.set_command(TLM_READ_COMMAND);
        t.set_data_ptr(p);
        t.set_data_length(4);
        t.set_streaming_width(4);
        t.set_address(NICSIM_REG(TOP, ID));
        check(bar->transport_dbg(t) == 4 && v == 0x4e494353u, "debug read of TOP.ID");
        t.set_address(NICSIM_REG(EVT, POP));
        check(bar->transport_dbg(t) == 0 &&
                  t.get_response_status() == TLM_COMMAND_ERROR_RESPONSE,
              "no debug read of side-effect registers");
        uint64_t unk = card->stats().mmio_errors;
        check(unk >= 10, "refused MMIO counted", (long)unk, 10);
    }

    void mem_checks()
    {
        using namespace tlm;
        static unsigned char ram[256];
        std::memset(ram, 0xaa, sizeof(ram));
        mem->add(ram, sizeof(ram), this);
        uint64_t base = reinterpret_cast<uintptr_t>(ram);
        unsigned char buf[64];
        std::memset(buf, 0x55, sizeof(buf));
        expect(go(mem_port, TLM_WRITE_COMMAND, base + 8, buf, 16), TLM_OK_RESPONSE,
               "host memory write");
        check(ram[8] == 0x55 && ram[23] == 0x55 && ram[24] == 0xaa, "host memory bytes");
        expect(go(mem_port, TLM_READ_COMMAND, base + 250, buf, 8), TLM_ADDRESS_ERROR_RESPONSE,
               "host memory read past the window");
        expect(go(mem_port, TLM_READ_COMMAND, 16, buf, 8), TLM_ADDRESS_ERROR_RESPONSE,
               "host memory read outside every window");
        expect(go(mem_port, TLM_READ_COMMAND, base, buf, 0), TLM_BURST_ERROR_RESPONSE,
               "host memory 0-byte read");
        expect(go(mem_port, TLM_READ_COMMAND, base, buf, 16, nullptr, nullptr, 0, 4),
               TLM_BURST_ERROR_RESPONSE, "host memory streaming");
        unsigned char be[2] = {0xff, 0x00};
        std::memset(buf, 0x11, sizeof(buf));
        expect(go(mem_port, TLM_WRITE_COMMAND, base + 32, buf, 8, nullptr, be, 2),
               TLM_OK_RESPONSE, "host memory write with byte enables");
        check(ram[32] == 0x11 && ram[33] == 0xaa && ram[34] == 0x11 && ram[39] == 0xaa,
              "byte enables honoured");
        expect(go(mem_port, TLM_WRITE_COMMAND, base + 32, buf, 8, nullptr, be, 0),
               TLM_BYTE_ENABLE_ERROR_RESPONSE, "host memory byte-enable length 0");
        tlm_generic_payload t;
        tlm::tlm_dmi dmi;
        t.set_address(base + 4);
        check(mem_port->get_direct_mem_ptr(t, dmi) && dmi.get_dmi_ptr() == ram &&
                  dmi.get_end_address() == base + 255,
              "DMI granted for a window");
        t.set_address(16);
        check(!mem_port->get_direct_mem_ptr(t, dmi), "no DMI outside the windows");
        mem->remove_owner(this);
        expect(go(mem_port, TLM_READ_COMMAND, base, buf, 4), TLM_ADDRESS_ERROR_RESPONSE,
               "host memory read after the window went away");
    }

    void wire_checks()
    {
        using namespace tlm;
        std::vector<unsigned char> f(64, 0);
        f[0] = 0x45;
        const struct nicsim_params *pr = nic_params(card->card());
        expect(go(wire_port, TLM_READ_COMMAND, 0, f.data(), 64), TLM_COMMAND_ERROR_RESPONSE,
               "wire read");
        expect(go(wire_port, TLM_WRITE_COMMAND, 4, f.data(), 64), TLM_ADDRESS_ERROR_RESPONSE,
               "wire address");
        unsigned char be[1] = {0xff};
        expect(go(wire_port, TLM_WRITE_COMMAND, 0, f.data(), 64, nullptr, be, 1),
               TLM_BYTE_ENABLE_ERROR_RESPONSE, "wire byte enables");
        expect(go(wire_port, TLM_WRITE_COMMAND, 0, f.data(), 64, nullptr, nullptr, 0, 8),
               TLM_BURST_ERROR_RESPONSE, "wire streaming");
        expect(go(wire_port, TLM_WRITE_COMMAND, 0, f.data(), 0), TLM_BURST_ERROR_RESPONSE,
               "wire empty frame");
        std::vector<unsigned char> big(pr->mtu + 1, 0);
        expect(go(wire_port, TLM_WRITE_COMMAND, 0, big.data(), static_cast<unsigned>(big.size())),
               TLM_BURST_ERROR_RESPONSE, "wire frame above the MTU");
        expect(go(wire_port, TLM_WRITE_COMMAND, 0, nullptr, 64), TLM_GENERIC_ERROR_RESPONSE,
               "wire NULL data");
        uint64_t before = nic_get_stats(card->card())->rx.dropped[NIC_DROP_BAD_SYNTAX];
        check(before == 2, "the card counted both bad lengths (bad_syntax)", (long)before, 2);
    }

    // A descriptor ring the card's IOMMU allows but host memory does not back: the DMA goes
    // out on the socket, comes back TLM_ADDRESS_ERROR_RESPONSE and the card records a DMA
    // error instead of crashing.
    void dma_fault_checks()
    {
        static unsigned char shadow[1 << 16];
        struct nic *n = card->card();
        const uint64_t iova = 0x200000000ull;
        check(nic_host_register(n, iova, shadow, sizeof(shadow)) == 0, "iommu window");
        auto wr = [&](uint32_t off, uint32_t v) {
            go(bar, tlm::TLM_WRITE_COMMAND, off, reinterpret_cast<unsigned char *>(&v), 4);
        };
        auto rd = [&](uint32_t off) {
            uint32_t v = 0;
            go(bar, tlm::TLM_READ_COMMAND, off, reinterpret_cast<unsigned char *>(&v), 4);
            return v;
        };
        wr(NICSIM_REG(DMA, TX_RING_BASE_LO), static_cast<uint32_t>(iova));
        wr(NICSIM_REG(DMA, TX_RING_BASE_HI), static_cast<uint32_t>(iova >> 32));
        wr(NICSIM_REG(DMA, TX_CPL_BASE_LO), static_cast<uint32_t>(iova + 0x1000));
        wr(NICSIM_REG(DMA, TX_CPL_BASE_HI), static_cast<uint32_t>(iova >> 32));
        wr(NICSIM_REG(DMA, TX_RING_SIZE), 16);
        wr(NICSIM_REG(DMA, TX_CPL_SIZE), 16);
        wr(NICSIM_REG(DMA, INTR_MASK), 7);
        wr(NICSIM_REG(DMA, CTRL), 1);
        check(rd(NICSIM_REG(DMA, ERR_CAUSE)) == 0, "ring set-up accepted");
        wr(NICSIM_REG(DMA, TX_RING_TAIL), 1);
        card->run(20000);
        check(card->stats().dma_errors >= 1, "DMA refused by host memory",
              (long)card->stats().dma_errors, 1);
        check(rd(NICSIM_REG(DMA, ERR_CAUSE)) != 0, "card flags the DMA error");
        wait(sc_core::SC_ZERO_TIME); // the signal updates one delta after the card's write
        check(card->irq.read(), "irq raised for the error");
        check(card->stats().irq_edges == 1, "one irq edge", (long)card->stats().irq_edges, 1);
    }

    void run()
    {
        mmio_checks();
        mem_checks();
        wire_checks();
        dma_fault_checks();
        std::printf("%u passed, %u failed\n", passed, failed);
    }
};

}  // namespace

int sc_main(int argc, char **argv)
{
    (void)argc, (void)argv;
    struct nicsim_params p;
    nicsim_params_default(&p);
    char err[200];
    struct nic *n = nic_create(&p, err, sizeof(err));
    if (!n) {
        std::fprintf(stderr, "sc_tlm_test: %s\n", err);
        return 2;
    }
    tlm_utils::tlm_quantumkeeper::set_global_quantum(sc_core::sc_time(1, sc_core::SC_US));
    host_mem_tlm mem("mem");
    nic_tlm card("card");
    sink far("far");
    wire_tlm wire("wire");
    sc_core::sc_signal<bool> irq("irq");
    tester t("tester", &card, &mem);
    t.bar.bind(card.mmio);
    t.mem_port.bind(mem.socket);
    t.wire_port.bind(card.wire_in);
    card.dma.bind(mem.socket);
    card.wire_out.bind(wire.tx_in);
    wire.rx_out.bind(far.in);
    card.irq.bind(irq);
    if (card.bind(n)) {
        std::fprintf(stderr, "sc_tlm_test: nic_set_hostbus failed\n");
        return 2;
    }
    sc_core::sc_start();
    card.bind(nullptr);
    nic_destroy(n);
    return failed ? 1 : 0;
}

int main(int argc, char **argv)
{
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
    return sc_core::sc_elab_and_sim(argc, argv);
}

/* test_nic_timing.c - the model's cycle counts against the formulas of docs/timing.md.
 *
 * A lone packet's latency from doorbell to last byte on the wire, and a saturated stream's
 * steady-state spacing on the wire, for configurations where each stage in turn is the
 * bottleneck (host memory bandwidth, GCM engines, the wire). The formulas are written out here
 * from docs/timing.md, not taken from the model.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "dut.h"
#include "pktgen.h"

static uint64_t cdiv(uint64_t a, uint64_t b)
{
    return (a + b - 1) / b;
}

/* docs/timing.md, "Parameters in cycles" */
struct tparams {
    uint64_t L;              /* host read latency                              */
    uint64_t bw_num, bw_den; /* host bytes per cycle = num / den              */
    uint64_t nr;             /* AES rounds                                     */
};

static struct tparams tp_of(const struct nicsim_params *p, unsigned key_len)
{
    struct tparams t;
    t.L = cdiv((uint64_t)p->pcie_latency_ns * p->clock_mhz, 1000);
    t.bw_num = (uint64_t)p->pcie_gbytes_per_s * 1000;
    t.bw_den = p->clock_mhz;
    t.nr = key_len == 16 ? 10 : key_len == 24 ? 12 : 14;
    return t;
}

static uint64_t x_of(const struct tparams *t, uint64_t bytes)
{
    return cdiv(bytes * t->bw_den, t->bw_num);
}

static uint64_t wire_of(const struct nicsim_params *p, uint64_t bytes)
{
    return cdiv((bytes + 38) * 8 * p->clock_mhz, 1000ull * p->wire_gbps);
}

/* ESP packet of a transport-mode IPv4 packet of `len` bytes, ICV 16: ciphertext length. */
static uint64_t ct_len(uint64_t len)
{
    uint64_t payload = len - 20;
    return payload + (4 - (payload + 2) % 4) % 4 + 2;
}

/* docs/timing.md, "Lone packet, TX packet offload" */
static uint64_t tx_latency(const struct nicsim_params *p, unsigned key_len, uint64_t len)
{
    struct tparams t = tp_of(p, key_len);
    uint64_t ct = ct_len(len), out = 20 + 16 + ct + 16;
    uint64_t dma = 2 * t.L + x_of(&t, 32) + x_of(&t, len);
    uint64_t esp_tx = 2 /* parser_cycles: a 20-byte header is 2 beats */ + p->cam_latency + 2;
    uint64_t engine = 1 + cdiv(ct, 16) + t.nr + 4;
    uint64_t to_wire = 2;
    return dma + esp_tx + engine + to_wire + wire_of(p, out);
}

static struct nicsim_params base(void)
{
    struct nicsim_params p;
    nicsim_params_default(&p);
    p.tx_ring_size = p.rx_ring_size = 1024;
    return p;
}

static int add_tx_sa(struct dut *d, unsigned key_len)
{
    struct nic_sa s = {.dir = NIC_SA_OUT, .mode = NIC_SA_TRANSPORT,
                       .offload = NIC_OFFLOAD_PACKET, .icv_len = 16,
                       .keymat_len = (uint8_t)(key_len + 4), .spi = 0x77};
    memset(s.keymat, 0x5a, sizeof(s.keymat));
    int h = nic_sa_add(d->nic, &s);
    cr_assert_geq(h, 0);
    return h;
}

static void lone(unsigned data_mode, unsigned key_len, uint32_t len)
{
    struct nicsim_params p = base();
    p.data_mode = data_mode;
    char err[200];
    struct dut *d = dut_create(&p, err, sizeof(err));
    cr_assert(d, "%s", err);
    int h = add_tx_sa(d, key_len);
    struct pktgen g;
    pktgen_seed(&g, 1);
    uint8_t pkt[9100];
    size_t n = pktgen_ip(&g, pkt, len, false, 0, 1);
    dut_run(d, 100000); /* let the RX descriptor prefetch finish: it shares the read channel */
    uint64_t c0 = nic_cycle(d->nic);
    cr_assert_eq(dut_tx(d, pkt, n, h, 0, 0), 0);
    cr_assert(dut_run(d, 10000000));
    cr_assert_eq(d->wire.n, 1);
    uint64_t got = d->wire.v[0].cycle - c0, want = tx_latency(&p, key_len, len);
    cr_assert_eq(got, want, "mode %u key %u len %u: latency %lu cycles, formula %lu", data_mode,
                 key_len, len, (unsigned long)got, (unsigned long)want);
    dut_destroy(d);
}

Test(nic_timing, lone_1500_all_keys_both_modes)
{
    static const unsigned keys[] = {16, 24, 32};
    for (unsigned m = 0; m < 2; m++)
        for (unsigned k = 0; k < 3; k++)
            lone(m, keys[k], 1500);
}

Test(nic_timing, lone_other_sizes)
{
    lone(0, 16, 64);
    lone(0, 16, 9000);
    lone(1, 32, 576);
}

/* Saturated stream: steady-state spacing of frames on the wire (cycles per packet). */
static uint64_t spacing_window(const struct nicsim_params *p, unsigned key_len, uint32_t len,
                               unsigned npkts, unsigned first, unsigned intervals)
{
    char err[200];
    struct dut *d = dut_create(p, err, sizeof(err));
    cr_assert(d, "%s", err);
    int h = add_tx_sa(d, key_len);
    struct pktgen g;
    pktgen_seed(&g, 2);
    uint8_t pkt[9100];
    size_t n = pktgen_ip(&g, pkt, len, false, 0, 1);
    for (unsigned i = 0; i < npkts; i++)
        cr_assert_eq(dut_tx(d, pkt, n, h, 0, i), 0);
    cr_assert(dut_run(d, 100000000));
    cr_assert_eq(d->wire.n, npkts);
    cr_assert_lt(first + intervals, npkts);
    uint64_t a = d->wire.v[first].cycle, b = d->wire.v[first + intervals].cycle;
    uint64_t per = (b - a) / intervals;
    cr_assert_eq((b - a) % intervals, 0, "steady state is periodic");
    dut_destroy(d);
    return per;
}

/* Steady state: skip the fill, measure the second half. */
static uint64_t spacing(const struct nicsim_params *p, unsigned key_len, uint32_t len,
                       unsigned npkts)
{
    return spacing_window(p, key_len, len, npkts, npkts / 2, npkts - 1 - npkts / 2);
}

Test(nic_timing, saturated_engine_bound)
{
    /* one engine, fast host and wire: the engine's period bounds the stream */
    struct nicsim_params p = base();
    p.engines = 1;
    p.pcie_gbytes_per_s = 1024;
    p.pcie_latency_ns = 100;
    p.wire_gbps = 1600;
    for (unsigned m = 0; m < 2; m++) {
        p.data_mode = m;
        uint64_t per = spacing(&p, 16, 1500, 200);
        /* docs/timing.md: engine period = unit latency + 1 cycle of dispatch handshake */
        uint64_t want = cdiv(ct_len(1500), 16) + 10 + 4 + 1;
        cr_assert_eq(per, want, "engine-bound: %lu cycles/packet, formula %lu",
                     (unsigned long)per, (unsigned long)want);
    }
}

Test(nic_timing, saturated_host_bandwidth_bound)
{
    /* default 16 GB/s at 500 MHz = 32 B/cycle; 4 engines: the host read channel bounds it.
     * docs/dma.md: B = 8 descriptors per read, a batch of B packets takes B x(len) + x(32 B);
     * measure 19 whole batches from a batch start, away from the fill and the last batch. */
    struct nicsim_params p = base();
    struct tparams t = tp_of(&p, 16);
    uint64_t per = spacing_window(&p, 16, 1500, 400, 160, 19 * 8);
    uint64_t want = (8 * x_of(&t, 1500) + x_of(&t, 32 * 8)) / 8;
    cr_assert_eq((8 * x_of(&t, 1500) + x_of(&t, 32 * 8)) % 8, 0, "choose a size with a whole period");
    cr_assert_eq(per, want, "host-bound: %lu cycles/packet, formula %lu", (unsigned long)per,
                 (unsigned long)want);
}

Test(nic_timing, saturated_wire_bound)
{
    /* a slow wire (100 Gb/s) behind a fast host: the wire bounds it */
    struct nicsim_params p = base();
    p.wire_gbps = 100;
    p.pcie_gbytes_per_s = 1024;
    uint64_t per = spacing(&p, 16, 1500, 300);
    uint64_t want = wire_of(&p, 20 + 16 + ct_len(1500) + 16);
    cr_assert_eq(per, want, "wire-bound: %lu cycles/packet, formula %lu", (unsigned long)per,
                 (unsigned long)want);
}

/* test_mmio.c - the BAR0 decoder against regs.def: every register of every block behaves as
 * its access type says (the loops walk the X-macro tables themselves, so a register added to
 * regs.def is tested without touching this file); TOP reports the parameters; unknown and
 * misaligned offsets read 0, change nothing and are counted; the STATS window and EVT.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "dma.h"
#include "dut.h"
#include "nicsim/regs.h"
#include "pktgen.h"

#define S(n, id, d) STAT_##n = (id),
enum { NICSIM_STATS_IDS(S) };
#undef S

enum acc { RO, RW, WO, W1C, DB };

struct reg {
    const char *block, *name;
    uint32_t off;
    enum acc acc;
    uint32_t reset;
};

/* Every BAR0 register regs.def lists, with its offset. */
#define REG_ROW(blk) NICSIM_REGS_##blk(REG_ROW_##blk)
#define ROW(blk, n, a, r) {#blk, #n, NICSIM_REG(blk, n), a, (uint32_t)(r)},
#define REG_ROW_TOP(n, a, r, d) ROW(TOP, n, a, r)
#define REG_ROW_MBOX(n, a, r, d) ROW(MBOX, n, a, r)
#define REG_ROW_EVT(n, a, r, d) ROW(EVT, n, a, r)
#define REG_ROW_STATS(n, a, r, d) ROW(STATS, n, a, r)
static const struct reg regs[] = {REG_ROW(TOP) REG_ROW(MBOX) REG_ROW(EVT) REG_ROW(STATS)};
#define NREGS (sizeof(regs) / sizeof(regs[0]))

static struct nic *make_nic(struct nicsim_params *p)
{
    char err[200];
    struct nic *n = nic_create(p, err, sizeof(err));
    cr_assert(n, "%s", err);
    return n;
}

static uint64_t stat(struct nic *n, uint32_t sel)
{
    nic_mmio_write(n, NICSIM_REG(STATS, SEL), sel);
    cr_assert_eq(nic_mmio_read(n, NICSIM_REG(STATS, VALID)), 1, "SEL 0x%x", sel);
    return (uint64_t)nic_mmio_read(n, NICSIM_REG(STATS, DATA_HI)) << 32 |
           nic_mmio_read(n, NICSIM_REG(STATS, DATA_LO));
}

/* Reads of the stats window itself are accesses too: take the counter, then restore SEL. */
static uint64_t counter(struct nic *n, uint32_t id)
{
    return stat(n, id);
}

Test(mmio, every_register_follows_its_access_type)
{
    struct nicsim_params p;
    nicsim_params_default(&p);
    struct nic *n = make_nic(&p);
    /* a completed command, so EVT.CAUSE has a W1C bit set */
    nic_mmio_write(n, NICSIM_REG(MBOX, CMD), NICSIM_MBOX_CMD_NOP);
    nic_mmio_write(n, NICSIM_REG(MBOX, DOORBELL), 1);
    cr_assert(nic_run(n, 100000));
    uint64_t ro_before = counter(n, STAT_MMIO_RO_WRITES);
    unsigned ro_writes = 0;
    for (size_t i = 0; i < NREGS; i++) {
        const struct reg *r = &regs[i];
        uint32_t off = r->off, before = nic_mmio_read(n, off);
        switch (r->acc) {
        case RO:
            if (off == NICSIM_REG(EVT, POP))
                break; /* a read takes an event: covered by evt_pop_and_causes */
            nic_mmio_write(n, off, ~before);
            ro_writes++;
            cr_assert_eq(nic_mmio_read(n, off), before, "%s.%s: RO changed", r->block, r->name);
            break;
        case RW:
            nic_mmio_write(n, off, 0x0000a5a5u);
            cr_assert_eq(nic_mmio_read(n, off), 0x0000a5a5u, "%s.%s: RW", r->block, r->name);
            nic_mmio_write(n, off, before);
            break;
        case WO:
            nic_mmio_write(n, off, 0x12345678u);
            cr_assert_eq(nic_mmio_read(n, off), 0, "%s.%s: WO reads 0", r->block, r->name);
            break;
        case W1C:
            cr_assert_neq(before, 0, "%s.%s: set up a cause first", r->block, r->name);
            nic_mmio_write(n, off, 0);
            cr_assert_eq(nic_mmio_read(n, off), before, "%s.%s: writing 0 clears nothing",
                         r->block, r->name);
            nic_mmio_write(n, off, before);
            cr_assert_eq(nic_mmio_read(n, off), 0, "%s.%s: W1C", r->block, r->name);
            break;
        case DB:
            /* reads return the last value written (the action itself: test_firmware.c) */
            nic_mmio_write(n, off, 1);
            cr_assert_eq(nic_mmio_read(n, off), 1, "%s.%s: DB", r->block, r->name);
            cr_assert(nic_run(n, 100000));
            break;
        }
    }
    cr_assert_eq(counter(n, STAT_MMIO_RO_WRITES), ro_before + ro_writes);
    nic_destroy(n);
}

Test(mmio, reset_values_and_top_from_params)
{
    struct nicsim_params p;
    nicsim_params_default(&p);
    struct nic *n = make_nic(&p);
    for (size_t i = 0; i < NREGS; i++)
        if (regs[i].acc != WO && regs[i].off != NICSIM_REG(EVT, POP))
            cr_assert_eq(nic_mmio_read(n, regs[i].off), regs[i].reset, "%s.%s reset",
                         regs[i].block, regs[i].name);
    nic_destroy(n);
    p.rx_sa_entries = 77;
    p.tx_sa_entries = 99;
    p.engines = 7;
    p.clock_mhz = 1234;
    p.max_replay_window = 512;
    p.caps = 0x15;
    n = make_nic(&p);
    cr_assert_eq(nic_mmio_read(n, NICSIM_REG(TOP, ID)), 0x4e494353u);
    cr_assert_eq(nic_mmio_read(n, NICSIM_REG(TOP, RX_SA_MAX)), 77);
    cr_assert_eq(nic_mmio_read(n, NICSIM_REG(TOP, TX_SA_MAX)), 99);
    cr_assert_eq(nic_mmio_read(n, NICSIM_REG(TOP, ENGINES)), 7);
    cr_assert_eq(nic_mmio_read(n, NICSIM_REG(TOP, CLOCK_MHZ)), 1234);
    cr_assert_eq(nic_mmio_read(n, NICSIM_REG(TOP, WINDOW_MAX)), 512);
    cr_assert_eq(nic_mmio_read(n, NICSIM_REG(TOP, CAPS)), 0x15);
    nic_destroy(n);
}

Test(mmio, unknown_and_misaligned_offsets)
{
    struct nicsim_params p;
    nicsim_params_default(&p);
    struct nic *n = make_nic(&p);
    /* past the last register of each block, between blocks, beyond BAR0, the CSR space */
    const uint32_t unknown[] = {
        NICSIM_TOP_BASE + 4u * NICSIM_TOP_NREGS,   NIC_MMIO_DMA_BASE + 4u * DMA_NREGS,
        NICSIM_MBOX_BASE + 4u * NICSIM_MBOX_NREGS, NICSIM_EVT_BASE + 4u * NICSIM_EVT_NREGS,
        NICSIM_STATS_BASE + 4u * NICSIM_STATS_NREGS, 0x0ffcu, NICSIM_SAT_BASE, 0xfffffffcu,
    };
    const uint32_t misaligned[] = {0x001, 0x002, 0x003, NICSIM_REG(TOP, SCRATCH) + 1,
                                   NICSIM_REG(MBOX, ARG0) + 2, NIC_MMIO_DMA_BASE + 1};
    uint64_t u0 = counter(n, STAT_MMIO_UNKNOWN), m0 = counter(n, STAT_MMIO_MISALIGNED);
    nic_mmio_write(n, NICSIM_REG(TOP, SCRATCH), 0x5555aaaau);
    for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
        cr_assert_eq(nic_mmio_read(n, unknown[i]), 0, "0x%x", unknown[i]);
        nic_mmio_write(n, unknown[i], 0xffffffffu);
        cr_assert_eq(nic_mmio_read(n, unknown[i]), 0, "0x%x", unknown[i]);
    }
    for (size_t i = 0; i < sizeof(misaligned) / sizeof(misaligned[0]); i++) {
        cr_assert_eq(nic_mmio_read(n, misaligned[i]), 0, "0x%x", misaligned[i]);
        nic_mmio_write(n, misaligned[i], 0xffffffffu);
    }
    cr_assert_eq(nic_mmio_read(n, NICSIM_REG(TOP, SCRATCH)), 0x5555aaaau, "nothing changed");
    cr_assert_eq(nic_mmio_read(n, NICSIM_REG(MBOX, ARG0)), 0);
    cr_assert_eq(counter(n, STAT_MMIO_UNKNOWN), u0 + 3 * (sizeof(unknown) / sizeof(unknown[0])));
    cr_assert_eq(counter(n, STAT_MMIO_MISALIGNED),
                 m0 + 2 * (sizeof(misaligned) / sizeof(misaligned[0])));
    nic_destroy(n);
}

/* The DMA window stays at NIC_MMIO_DMA_BASE with the dma block's own register list. */
Test(mmio, dma_window)
{
    struct nicsim_params p;
    nicsim_params_default(&p);
    struct nic *n = make_nic(&p);
    uint32_t size = NIC_MMIO_DMA_BASE + 4u * DMA_TX_RING_SIZE;
    nic_mmio_write(n, size, 256);
    cr_assert_eq(nic_mmio_read(n, size), 256);
    uint32_t head = NIC_MMIO_DMA_BASE + 4u * DMA_TX_RING_HEAD;
    nic_mmio_write(n, head, 5);
    cr_assert_eq(nic_mmio_read(n, head), 0, "RO");
    cr_assert(nic_mmio_read(n, NIC_MMIO_DMA_BASE + 4u * DMA_ERR_CAUSE) & DMA_ERR_BAD_REG,
              "the dma block still flags its own bad accesses");
    nic_destroy(n);
}

/* Lifetime events through EVT: CAUSE.PENDING while events wait, POP takes them in order. */
Test(mmio, evt_pop_and_causes)
{
    struct nicsim_params p;
    nicsim_params_default(&p);
    p.tx_ring_size = p.rx_ring_size = 64;
    char err[200];
    struct dut *d = dut_create(&p, err, sizeof(err));
    cr_assert(d, "%s", err);
    struct nic_sa s = {.dir = NIC_SA_OUT, .offload = NIC_OFFLOAD_PACKET, .icv_len = 16,
                       .keymat_len = 20, .spi = 9, .soft_packets = 1, .hard_packets = 2};
    int h = nic_sa_add(d->nic, &s);
    cr_assert_geq(h, 0);
    cr_assert_eq(nic_mmio_read(d->nic, NICSIM_REG(EVT, CAUSE)), 0);
    cr_assert_eq(nic_mmio_read(d->nic, NICSIM_REG(EVT, POP)), 0, "empty");
    struct pktgen g;
    pktgen_seed(&g, 1);
    uint8_t pkt[200];
    size_t len = pktgen_ip(&g, pkt, 200, false, 0, 1);
    for (unsigned i = 0; i < 2; i++) {
        cr_assert_eq(dut_tx(d, pkt, len, h, 0, i), 0);
        cr_assert(dut_run(d, 1000000));
    }
    uint32_t pend = NICSIM_EVT_CAUSE_PENDING_MASK;
    cr_assert_eq(nic_mmio_read(d->nic, NICSIM_REG(EVT, CAUSE)) & pend, pend);
    nic_mmio_write(d->nic, NICSIM_REG(EVT, CAUSE), pend);
    cr_assert_eq(nic_mmio_read(d->nic, NICSIM_REG(EVT, CAUSE)) & pend, pend, "a level");
    uint32_t want[2] = {NIC_EVENT_SOFT_EXPIRE, NIC_EVENT_HARD_EXPIRE};
    for (unsigned i = 0; i < 2; i++) {
        uint32_t ev = nic_mmio_read(d->nic, NICSIM_REG(EVT, POP));
        cr_assert_eq(ev >> NICSIM_EVT_POP_TYPE_LSB & 0xff, want[i]);
        cr_assert_eq(ev >> NICSIM_EVT_POP_DIR_LSB & 0xff, NIC_SA_OUT);
        cr_assert_eq(ev >> NICSIM_EVT_POP_HANDLE_LSB, (uint32_t)h);
    }
    cr_assert_eq(nic_mmio_read(d->nic, NICSIM_REG(EVT, POP)), 0);
    cr_assert_eq(nic_mmio_read(d->nic, NICSIM_REG(EVT, CAUSE)) & pend, 0);
    cr_assert_eq(nic_mmio_read(d->nic, NICSIM_REG(EVT, LOST)), 0);
    dut_destroy(d);
}

/* The STATS window: every per-direction id equals nic_get_stats(), drops by reason, per-SA
 * counters by handle, and VALID = 0 for what names no counter. */
Test(mmio, stats_window_matches_nic_get_stats)
{
    struct nicsim_params p;
    nicsim_params_default(&p);
    p.tx_ring_size = p.rx_ring_size = 64;
    char err[200];
    struct dut *d = dut_create(&p, err, sizeof(err));
    cr_assert(d, "%s", err);
    struct nic_sa s = {.dir = NIC_SA_OUT, .offload = NIC_OFFLOAD_PACKET, .icv_len = 16,
                       .keymat_len = 20, .spi = 9};
    int h = nic_sa_add(d->nic, &s);
    struct pktgen g;
    pktgen_seed(&g, 2);
    uint8_t pkt[600];
    for (unsigned i = 0; i < 5; i++) {
        size_t len = pktgen_ip(&g, pkt, 100 + 100 * i, false, 0, i);
        cr_assert_eq(dut_tx(d, pkt, len, i == 4 ? 33 : h, 0, i), 0); /* the last: no SA */
    }
    cr_assert(dut_run(d, 10000000));
    const struct nic_stats *st = nic_get_stats(d->nic);
    struct nic_dir_stats tx = st->tx;
    uint32_t out = NICSIM_STATS_SEL_DIR_MASK;
    cr_assert_eq(stat(d->nic, out | STAT_IN), tx.in);
    cr_assert_eq(stat(d->nic, out | STAT_OUT), tx.out);
    cr_assert_eq(stat(d->nic, out | STAT_BYTES_OUT), tx.bytes_out);
    cr_assert_eq(stat(d->nic, out | STAT_OFFLOADED), tx.offloaded);
    cr_assert_eq(stat(d->nic, out | STAT_LATENCY_MAX), tx.latency_max);
    cr_assert_eq(stat(d->nic, out | STAT_LATENCY_SUM), tx.latency_sum);
    cr_assert_eq(stat(d->nic, STAT_ENGINE_BUSY), st->engine_busy_cycles);
    for (unsigned k = 0; k < NIC_DROP_COUNT; k++)
        cr_assert_eq(stat(d->nic, out | (STAT_DROP + k)), tx.dropped[k], "drop %u", k);
    cr_assert_eq(tx.dropped[NIC_DROP_NO_SA], 1);
    uint64_t pk, by;
    cr_assert_eq(nic_sa_stats(d->nic, NIC_SA_OUT, h, &pk, &by), 0);
    uint32_t sa = NICSIM_STATS_SEL_SA_MASK | out | (uint32_t)h;
    cr_assert_eq(stat(d->nic, sa), pk);
    cr_assert_eq(stat(d->nic, sa | NICSIM_STATS_SEL_BYTES_MASK), by);
    const uint32_t bad[] = {0x0ff, STAT_DROP + NIC_DROP_COUNT, NICSIM_STATS_SEL_SA_MASK | 5,
                            NICSIM_STATS_SEL_BYTES_MASK, 1u << 20};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        nic_mmio_write(d->nic, NICSIM_REG(STATS, SEL), bad[i]);
        cr_assert_eq(nic_mmio_read(d->nic, NICSIM_REG(STATS, VALID)), 0, "SEL 0x%x", bad[i]);
        cr_assert_eq(nic_mmio_read(d->nic, NICSIM_REG(STATS, DATA_LO)), 0);
    }
    dut_destroy(d);
}

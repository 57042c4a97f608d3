/* mmio.c - the BAR0 decoder and the small register blocks that have no block of their own:
 * TOP, EVT, STATS (contract in mmio.h). */
#include "mmio.h"

#include <stddef.h>

#include "nicsim/regs.h"

_Static_assert(NICSIM_DMA_BASE == NIC_MMIO_DMA_BASE, "the DMA window stays where dma users expect");

enum mmio_acc { MMIO_RO, MMIO_RW, MMIO_WO, MMIO_W1C, MMIO_DB };

/* Access type per register, straight from the X-macro lists. */
#define MMIO_ACC(n, a, r, d) MMIO_##a,

static const uint8_t top_acc[] = {NICSIM_REGS_TOP(MMIO_ACC)};
static const uint8_t dma_acc[] = {NICSIM_REGS_DMA(MMIO_ACC)};
static const uint8_t mbox_acc[] = {NICSIM_REGS_MBOX(MMIO_ACC)};
static const uint8_t evt_acc[] = {NICSIM_REGS_EVT(MMIO_ACC)};
static const uint8_t stats_acc[] = {NICSIM_REGS_STATS(MMIO_ACC)};
#undef MMIO_ACC

#define MMIO_RESET(n, a, r, d) (uint32_t)(r),
static const uint32_t top_reset[] = {NICSIM_REGS_TOP(MMIO_RESET)};
#undef MMIO_RESET

/* ---- TOP --------------------------------------------------------------------------------- */

uint32_t mmio_top_read(void *self, uint32_t reg)
{
    const struct mmio *m = self;
    const struct nicsim_params *p = m->port.p;
    switch (reg) {
    case NICSIM_TOP_CAPS:       return p->caps;
    case NICSIM_TOP_RX_SA_MAX:  return p->rx_sa_entries;
    case NICSIM_TOP_TX_SA_MAX:  return p->tx_sa_entries;
    case NICSIM_TOP_ENGINES:    return p->engines;
    case NICSIM_TOP_CLOCK_MHZ:  return p->clock_mhz;
    case NICSIM_TOP_SCRATCH:    return m->scratch;
    case NICSIM_TOP_WINDOW_MAX: return p->max_replay_window;
    default:                    return reg < NICSIM_TOP_NREGS ? top_reset[reg] : 0;
    }
}

static uint32_t top_rd(struct mmio *m, uint32_t reg)
{
    return mmio_top_read(m, reg);
}

static void top_wr(struct mmio *m, uint32_t reg, uint32_t v)
{
    if (reg == NICSIM_TOP_SCRATCH)
        m->scratch = v;
}

/* ---- DMA, MBOX: blocks of their own ------------------------------------------------------ */

static uint32_t dma_rd(struct mmio *m, uint32_t reg)
{
    return dma_csr_read(m->port.dma, (enum dma_reg)reg);
}

static void dma_wr(struct mmio *m, uint32_t reg, uint32_t v)
{
    dma_csr_write(m->port.dma, (enum dma_reg)reg, v);
}

static uint32_t mbox_rd(struct mmio *m, uint32_t reg)
{
    return fw_cpu_host_read(m->port.fw, reg);
}

static void mbox_wr(struct mmio *m, uint32_t reg, uint32_t v)
{
    fw_cpu_host_write(m->port.fw, reg, v);
}

/* ---- EVT --------------------------------------------------------------------------------- */

static uint32_t evt_cause(const struct mmio *m)
{
    const struct nic_ctx *c = m->port.ctx;
    uint32_t v = 0;
    if (c->ev_head != c->ev_tail)
        v |= NICSIM_EVT_CAUSE_PENDING_MASK;
    if (c->events_lost != m->lost_seen)
        v |= NICSIM_EVT_CAUSE_LOST_MASK;
    if (fw_cpu_cause(m->port.fw))
        v |= NICSIM_EVT_CAUSE_MBOX_DONE_MASK;
    return v;
}

static uint32_t evt_rd(struct mmio *m, uint32_t reg)
{
    struct nic_event ev;
    switch (reg) {
    case NICSIM_EVT_CAUSE:
        return evt_cause(m);
    case NICSIM_EVT_POP:
        if (!nic_poll_event(m->port.nic, &ev))
            return 0;
        return (uint32_t)ev.type << NICSIM_EVT_POP_TYPE_LSB |
               (uint32_t)ev.dir << NICSIM_EVT_POP_DIR_LSB |
               (uint32_t)ev.handle << NICSIM_EVT_POP_HANDLE_LSB;
    case NICSIM_EVT_LOST:
        return (uint32_t)m->port.ctx->events_lost;
    default:
        return 0;
    }
}

static void evt_wr(struct mmio *m, uint32_t reg, uint32_t v)
{
    if (reg != NICSIM_EVT_CAUSE)
        return;
    /* PENDING is a level: it clears when EVT.POP has taken the last event. */
    if (v & NICSIM_EVT_CAUSE_LOST_MASK)
        m->lost_seen = m->port.ctx->events_lost;
    if (v & NICSIM_EVT_CAUSE_MBOX_DONE_MASK)
        fw_cpu_cause_clear(m->port.fw);
}

/* ---- STATS ------------------------------------------------------------------------------- */

#define MMIO_STAT_ID(n, id, d) MMIO_STAT_##n = (id),
enum { NICSIM_STATS_IDS(MMIO_STAT_ID) };
#undef MMIO_STAT_ID

/* Per-direction counters: id -> field of struct nic_dir_stats. */
static const struct {
    uint16_t id;
    uint16_t off;
} dir_stats[] = {
    {MMIO_STAT_IN, offsetof(struct nic_dir_stats, in)},
    {MMIO_STAT_OUT, offsetof(struct nic_dir_stats, out)},
    {MMIO_STAT_BYTES_IN, offsetof(struct nic_dir_stats, bytes_in)},
    {MMIO_STAT_BYTES_OUT, offsetof(struct nic_dir_stats, bytes_out)},
    {MMIO_STAT_OFFLOADED, offsetof(struct nic_dir_stats, offloaded)},
    {MMIO_STAT_AUTH_FAILED_TO_HOST, offsetof(struct nic_dir_stats, auth_failed_to_host)},
    {MMIO_STAT_NO_SA_TO_HOST, offsetof(struct nic_dir_stats, no_sa_to_host)},
    {MMIO_STAT_LATENCY_MIN, offsetof(struct nic_dir_stats, latency_min)},
    {MMIO_STAT_LATENCY_MAX, offsetof(struct nic_dir_stats, latency_max)},
    {MMIO_STAT_LATENCY_SUM, offsetof(struct nic_dir_stats, latency_sum)},
};

static bool device_stat(const struct mmio *m, uint32_t id, uint64_t *v)
{
    switch (id) {
    case MMIO_STAT_ENGINE_BUSY:     *v = nic_get_stats(m->port.nic)->engine_busy_cycles; return true;
    case MMIO_STAT_MMIO_UNKNOWN:    *v = m->cnt.unknown; return true;
    case MMIO_STAT_MMIO_MISALIGNED: *v = m->cnt.misaligned; return true;
    case MMIO_STAT_MMIO_RO_WRITES:  *v = m->cnt.ro_writes; return true;
    case MMIO_STAT_MBOX_REFUSED:    *v = m->port.fw->refused; return true;
    default:                        return false;
    }
}

static bool stat_value(const struct mmio *m, uint32_t sel, uint64_t *v)
{
    uint32_t known = NICSIM_STATS_SEL_ID_MASK | NICSIM_STATS_SEL_DIR_MASK |
                     NICSIM_STATS_SEL_SA_MASK | NICSIM_STATS_SEL_BYTES_MASK;
    uint32_t id = (sel & NICSIM_STATS_SEL_ID_MASK) >> NICSIM_STATS_SEL_ID_LSB;
    enum nic_sa_dir dir = (sel & NICSIM_STATS_SEL_DIR_MASK) ? NIC_SA_OUT : NIC_SA_IN;
    *v = 0;
    if (sel & ~known)
        return false;
    if (sel & NICSIM_STATS_SEL_SA_MASK) {
        uint64_t pk, by;
        if (nic_sa_stats(m->port.nic, dir, (int)id, &pk, &by))
            return false;
        *v = (sel & NICSIM_STATS_SEL_BYTES_MASK) ? by : pk;
        return true;
    }
    if (sel & NICSIM_STATS_SEL_BYTES_MASK)
        return false;
    const struct nic_stats *st = nic_get_stats(m->port.nic);
    const struct nic_dir_stats *ds = dir == NIC_SA_OUT ? &st->tx : &st->rx;
    if (id >= MMIO_STAT_DROP && id < MMIO_STAT_DROP + NIC_DROP_COUNT) {
        *v = ds->dropped[id - MMIO_STAT_DROP];
        return true;
    }
    for (size_t i = 0; i < sizeof(dir_stats) / sizeof(dir_stats[0]); i++)
        if (dir_stats[i].id == id) {
            *v = *(const uint64_t *)((const char *)ds + dir_stats[i].off);
            return true;
        }
    return device_stat(m, id, v);
}

static uint32_t stats_rd(struct mmio *m, uint32_t reg)
{
    switch (reg) {
    case NICSIM_STATS_SEL:     return m->stats_sel;
    case NICSIM_STATS_DATA_LO: return (uint32_t)m->stats_data;
    case NICSIM_STATS_DATA_HI: return (uint32_t)(m->stats_data >> 32);
    case NICSIM_STATS_VALID:   return m->stats_valid;
    default:                   return 0;
    }
}

/* The 64-bit value is latched at the SEL write, so DATA_LO and DATA_HI always belong to the
 * same snapshot even while traffic runs between the two reads. */
static void stats_wr(struct mmio *m, uint32_t reg, uint32_t v)
{
    if (reg != NICSIM_STATS_SEL)
        return;
    m->stats_sel = v;
    m->stats_valid = stat_value(m, v, &m->stats_data) ? 1u : 0u;
}

/* ---- the decoder ------------------------------------------------------------------------- */

struct mmio_block {
    uint32_t base, nregs;
    const uint8_t *acc;
    bool self_checked; /* the block flags its own bad accesses: RO writes still reach it */
    uint32_t (*rd)(struct mmio *m, uint32_t reg);
    void (*wr)(struct mmio *m, uint32_t reg, uint32_t v);
};

#define NREGS(a) ((uint32_t)(sizeof(a) / sizeof((a)[0])))
static const struct mmio_block mmio_blocks[] = {
    {NICSIM_TOP_BASE, NREGS(top_acc), top_acc, false, top_rd, top_wr},
    {NICSIM_DMA_BASE, NREGS(dma_acc), dma_acc, true, dma_rd, dma_wr},
    {NICSIM_MBOX_BASE, NREGS(mbox_acc), mbox_acc, false, mbox_rd, mbox_wr},
    {NICSIM_EVT_BASE, NREGS(evt_acc), evt_acc, false, evt_rd, evt_wr},
    {NICSIM_STATS_BASE, NREGS(stats_acc), stats_acc, false, stats_rd, stats_wr},
};
#define MMIO_COUNT_BLOCK(b, base, d) +1
_Static_assert(NREGS(mmio_blocks) == 0 NICSIM_BAR0_BLOCKS(MMIO_COUNT_BLOCK),
               "one decoder row per BAR0 block of regs.def");
#undef MMIO_COUNT_BLOCK

void mmio_init(struct mmio *m, const struct mmio_ports *ports)
{
    *m = (struct mmio){.port = *ports};
}

/* The block and register index an offset names, or NULL (counted). */
static const struct mmio_block *decode(struct mmio *m, uint32_t off, uint32_t *reg)
{
    if (off & 3u) {
        m->cnt.misaligned++;
        return NULL;
    }
    for (size_t i = 0; i < NREGS(mmio_blocks); i++) {
        const struct mmio_block *b = &mmio_blocks[i];
        if (off >= b->base && off - b->base < 4u * b->nregs) {
            *reg = (off - b->base) / 4u;
            return b;
        }
    }
    m->cnt.unknown++;
    return NULL;
}

uint32_t mmio_read(struct mmio *m, uint32_t off)
{
    uint32_t reg;
    const struct mmio_block *b = decode(m, off, &reg);
    if (!b || b->acc[reg] == MMIO_WO)
        return 0;
    return b->rd(m, reg);
}

void mmio_write(struct mmio *m, uint32_t off, uint32_t v)
{
    uint32_t reg;
    const struct mmio_block *b = decode(m, off, &reg);
    if (!b)
        return;
    if (b->acc[reg] == MMIO_RO) {
        m->cnt.ro_writes++;
        if (!b->self_checked)
            return;
    }
    b->wr(m, reg, v);
}

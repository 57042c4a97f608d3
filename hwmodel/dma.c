/* dma.c - descriptor rings, doorbells, PCIe read/write channels, completions (see dma.h).
 *
 * One clock of dma_eval(), in this order (all decisions read q and the RAMs, write d and the
 * RAM write ports; the RAMs change only in dma_commit):
 *   1. write channel: the job in flight lands at its done cycle (host memory, HEADs, causes).
 *   2. read channel: the oldest outstanding read retires at its done cycle (reads retire in
 *      issue order, one per cycle). A TX or RX descriptor batch makes its cache entries
 *      visible, a faulted frame goes to the reorder buffer.
 *   3. tx_done: one finished TX token per cycle enters the reorder buffer (slot = id).
 *   4. issue port (one read per cycle), in priority order: RX descriptor batch prefetch, TX
 *      descriptor batch read, frame read of the TX descriptor cache head.
 *   5. TX descriptor cache head (one per cycle, in ring order, needs a pool buffer): a bad
 *      descriptor goes to the reorder buffer with its error (no read); a good one issues its
 *      frame read if the issue port is still free, a read slot is free and tx_out has room.
 *      The head sees a batch arriving in this same cycle (bypass from the read data).
 *   6. rx_in head: drop actions, or a delivery bid; write arbiter (round-robin TX/RX) starts
 *      the next write job when the channel is free.
 */
#include "dma.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "nicsim/nicsim.h"

#define DMA_TXD_BYTES ((uint32_t)sizeof(struct nic_tx_desc))
#define DMA_TXC_BYTES ((uint32_t)sizeof(struct nic_tx_cpl))
#define DMA_RXD_BYTES ((uint32_t)sizeof(struct nic_rx_desc))
#define DMA_RXC_BYTES ((uint32_t)sizeof(struct nic_rx_cpl))
#define DMA_WB_BYTES 4u
#define DMA_TXF_KNOWN NIC_TXF_IPSEC

/* ---- little-endian encoding: desc.h layouts are LE whatever the simulator host is --------- */
/* On a little-endian host a record field is the value's own bytes: one load or store (gcc
 * does not merge the byte-wise form here, it assembled each completion record a byte at a
 * time, ~50 instructions per TX completion). Big-endian hosts take the byte-wise form. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define DMA_HOST_LE 1
#else
#define DMA_HOST_LE 0
#endif
static uint16_t get_le16(const uint8_t *b)
{
    if (DMA_HOST_LE) {
        uint16_t v;
        memcpy(&v, b, sizeof(v));
        return v;
    }
    return (uint16_t)(b[0] | b[1] << 8);
}
static uint32_t get_le32(const uint8_t *b)
{
    if (DMA_HOST_LE) {
        uint32_t v;
        memcpy(&v, b, sizeof(v));
        return v;
    }
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}
static uint64_t get_le64(const uint8_t *b) { return get_le32(b) | (uint64_t)get_le32(b + 4) << 32; }
static void put_le16(uint8_t *b, uint16_t v)
{
    if (DMA_HOST_LE) {
        memcpy(b, &v, sizeof(v));
        return;
    }
    b[0] = (uint8_t)v;
    b[1] = (uint8_t)(v >> 8);
}
static void put_le32(uint8_t *b, uint32_t v)
{
    if (DMA_HOST_LE) {
        memcpy(b, &v, sizeof(v));
        return;
    }
    put_le16(b, (uint16_t)v);
    put_le16(b + 2, (uint16_t)(v >> 16));
}

/* The fields before rsvd are packed, so on a little-endian host a record's first 24 bytes are
 * the struct's own: one copy (gcc kept the six loads and stores of the field-wise form). */
_Static_assert(offsetof(struct nic_tx_desc, len) == 8 &&
                   offsetof(struct nic_tx_desc, sa_handle) == 12 &&
                   offsetof(struct nic_tx_desc, flags) == 14 &&
                   offsetof(struct nic_tx_desc, cookie) == 16 &&
                   offsetof(struct nic_tx_desc, seq_hi) == 20 &&
                   offsetof(struct nic_tx_desc, rsvd) == 24,
               "nic_tx_desc fields before rsvd are packed");

static void txd_decode(struct nic_tx_desc *d, const uint8_t *b)
{
    if (DMA_HOST_LE) {
        memcpy(d, b, offsetof(struct nic_tx_desc, rsvd));
        d->rsvd = 0;
        return;
    }
    d->addr = get_le64(b + offsetof(struct nic_tx_desc, addr));
    d->len = get_le32(b + offsetof(struct nic_tx_desc, len));
    d->sa_handle = get_le16(b + offsetof(struct nic_tx_desc, sa_handle));
    d->flags = get_le16(b + offsetof(struct nic_tx_desc, flags));
    d->cookie = get_le32(b + offsetof(struct nic_tx_desc, cookie));
    d->seq_hi = get_le32(b + offsetof(struct nic_tx_desc, seq_hi));
    d->rsvd = 0;
}

static void rxd_decode(struct nic_rx_desc *d, const uint8_t *b)
{
    d->addr = get_le64(b + offsetof(struct nic_rx_desc, addr));
    d->buf_len = get_le32(b + offsetof(struct nic_rx_desc, buf_len));
    d->rsvd = 0;
}

static void txc_encode(uint8_t *b, const struct nic_tx_cpl *c)
{
    memset(b, 0, DMA_TXC_BYTES);
    put_le32(b + offsetof(struct nic_tx_cpl, cookie), c->cookie);
    put_le16(b + offsetof(struct nic_tx_cpl, status), c->status);
    put_le16(b + offsetof(struct nic_tx_cpl, sa_handle), c->sa_handle);
    put_le32(b + offsetof(struct nic_tx_cpl, wire_len), c->wire_len);
}

static void rxc_encode(uint8_t *b, const struct nic_rx_cpl *c)
{
    memset(b, 0, DMA_RXC_BYTES);
    put_le32(b + offsetof(struct nic_rx_cpl, len), c->len);
    put_le16(b + offsetof(struct nic_rx_cpl, sa_handle), c->sa_handle);
    b[offsetof(struct nic_rx_cpl, status)] = c->status;
    b[offsetof(struct nic_rx_cpl, flags)] = c->flags;
    put_le32(b + offsetof(struct nic_rx_cpl, seq_hi), c->seq_hi);
}

/* ---- configuration ----------------------------------------------------------------------- */
static uint64_t gcd64(uint64_t a, uint64_t b)
{
    while (b) {
        uint64_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

void dma_cfg_from_params(struct dma_cfg *cfg, const struct nicsim_params *p,
                         struct pkt_pool *pool, struct host_mem *hm)
{
    memset(cfg, 0, sizeof(*cfg));
    /* ns * MHz / 1000 = cycles; round up so that a latency is never shortened. */
    cfg->lat_cycles = (uint32_t)(((uint64_t)p->pcie_latency_ns * p->clock_mhz + 999) / 1000);
    /* GB/s / MHz = 1e9 B/s / 1e6 cycles/s = 1000 * GB/s / MHz bytes per cycle. */
    uint64_t num = (uint64_t)p->pcie_gbytes_per_s * 1000, den = p->clock_mhz;
    uint64_t g = gcd64(num, den);
    cfg->bw_num = (uint32_t)(num / g);
    cfg->bw_den = (uint32_t)(den / g);
    cfg->max_reads = p->pcie_max_reads;
    cfg->mtu = p->mtu;
    cfg->rxd_batch = DMA_RXD_BATCH_DEFAULT;
    cfg->txd_batch = DMA_TXD_BATCH_DEFAULT;
    cfg->pool = pool;
    cfg->hm = hm;
}

uint64_t dma_xfer_cycles(const struct dma_cfg *cfg, uint64_t bytes)
{
    return (bytes * cfg->bw_den + cfg->bw_num - 1) / cfg->bw_num;
}

/* ---- TX completion status: one table, enum nic_drop -> NIC_TXS_* --------------------------- */
_Static_assert(NIC_DROP_COUNT == 16, "drops.def changed: update dma_tx_status_of_drop");
static const uint16_t dma_tx_status_of_drop[NIC_DROP_COUNT] = {
    [NIC_DROP_NONE] = NIC_TXS_OK,
    [NIC_DROP_DMA_ERROR] = NIC_TXS_DMA_ERROR,
    [NIC_DROP_BAD_DESC] = NIC_TXS_BAD_DESC,
    [NIC_DROP_NO_SA] = NIC_TXS_NO_SA,
    [NIC_DROP_BAD_SYNTAX] = NIC_TXS_BAD_PACKET,
    [NIC_DROP_REPLAY] = NIC_TXS_BAD_PACKET,      /* RX-only reasons: never expected on TX */
    [NIC_DROP_TOO_OLD] = NIC_TXS_BAD_PACKET,
    [NIC_DROP_BAD_ICV] = NIC_TXS_BAD_PACKET,
    [NIC_DROP_BAD_PAD] = NIC_TXS_BAD_PACKET,
    [NIC_DROP_DUMMY] = NIC_TXS_BAD_PACKET,
    [NIC_DROP_SN_OVERFLOW] = NIC_TXS_SN_OVERFLOW,
    [NIC_DROP_SA_HARD_LIMIT] = NIC_TXS_NO_SA,    /* the SA may no longer be used            */
    [NIC_DROP_RX_FIFO_FULL] = NIC_TXS_BAD_PACKET,
    [NIC_DROP_RX_NO_BUFFER] = NIC_TXS_BAD_PACKET,
    [NIC_DROP_RX_TOO_SMALL] = NIC_TXS_BAD_PACKET,
    [NIC_DROP_TOO_BIG] = NIC_TXS_BAD_PACKET,
};

uint16_t dma_tx_status(uint8_t drop)
{
    return drop < NIC_DROP_COUNT ? dma_tx_status_of_drop[drop] : NIC_TXS_BAD_PACKET;
}

/* ---- register map: name, access, and which ring field a register is -------------------- */
enum dma_acc { ACC_RW, ACC_RO, ACC_W1C, ACC_DB };
enum dma_field { F_NONE, F_BASE_LO, F_BASE_HI, F_SIZE, F_HEAD, F_TAIL, F_WB_LO, F_WB_HI };

static const struct {
    const char *name;
    uint8_t acc;
} dma_reg_info[DMA_NREGS] = {
#define X(name, acc, reset, doc) [DMA_##name] = {#name, ACC_##acc},
    DMA_REG_LIST(X)
#undef X
};

#define RING_FIELDS(P, R)                                                                      \
    [DMA_##P##_BASE_LO] = {R, F_BASE_LO}, [DMA_##P##_BASE_HI] = {R, F_BASE_HI},              \
    [DMA_##P##_SIZE] = {R, F_SIZE}, [DMA_##P##_HEAD] = {R, F_HEAD},                            \
    [DMA_##P##_TAIL] = {R, F_TAIL}
static const struct {
    uint8_t ring;
    uint8_t field;
} dma_reg_field[DMA_NREGS] = {
    RING_FIELDS(TX_RING, DMA_TXD),
    RING_FIELDS(TX_CPL, DMA_TXC),
    [DMA_TX_CPL_WB_LO] = {DMA_TXC, F_WB_LO},
    [DMA_TX_CPL_WB_HI] = {DMA_TXC, F_WB_HI},
    RING_FIELDS(RX_RING, DMA_RXD),
    RING_FIELDS(RX_CPL, DMA_RXC),
    [DMA_RX_CPL_WB_LO] = {DMA_RXC, F_WB_LO},
    [DMA_RX_CPL_WB_HI] = {DMA_RXC, F_WB_HI},
};

static const uint32_t dma_ring_entry_bytes[DMA_NRINGS] = {
    [DMA_TXD] = DMA_TXD_BYTES, [DMA_TXC] = DMA_TXC_BYTES,
    [DMA_RXD] = DMA_RXD_BYTES, [DMA_RXC] = DMA_RXC_BYTES,
};

const char *dma_reg_name(enum dma_reg reg)
{
    return (unsigned)reg < DMA_NREGS ? dma_reg_info[reg].name : "?";
}

/* ---- small helpers on registers -------------------------------------------------------- */
static uint32_t ring_next(const struct dma_ring_regs *r, uint32_t i) { return (i + 1) & (r->size - 1); }
/* A completion ring can take one more record (one slot stays empty: full != empty). */
static bool ring_has_room(const struct dma_ring_regs *r)
{
    return r->size && ring_next(r, r->head) != r->tail;
}
static uint32_t dir_enable_bit(unsigned ring)
{
    return ring == DMA_TXD || ring == DMA_TXC ? DMA_CTRL_TX_EN : DMA_CTRL_RX_EN;
}
static void raise_err(struct dma_regs *r, uint32_t bit)
{
    r->err_cause |= bit;
    r->intr_cause |= DMA_INTR_ERROR;
}
/* The same from eval, on d: the host-visible registers change at this edge. */
static void eval_err(struct dma *dma, uint32_t bit)
{
    raise_err(&dma->d, bit);
    dma->wr.we |= DMA_WE_HOST;
}
static uint32_t pow2_at_least(uint32_t n)
{
    uint32_t p = 1;
    while (p < n)
        p <<= 1;
    return p;
}
static uint64_t max_u64(uint64_t a, uint64_t b) { return a > b ? a : b; }
static uint64_t min_u64(uint64_t a, uint64_t b) { return a < b ? a : b; }

/* Beats of an n-byte transfer: dma_xfer_cycles() exactly, by a shift when the bandwidth
 * numerator is a power of two (ceil(x / 2^k) = (x + 2^k - 1) >> k). */
static uint64_t xfer(const struct dma *dma, uint64_t bytes)
{
    if (dma->bw_shift < 0)
        return dma_xfer_cycles(&dma->cfg, bytes);
    return (bytes * dma->cfg.bw_den + dma->cfg.bw_num - 1) >> dma->bw_shift;
}

static void xfer_init(struct dma *dma)
{
    uint32_t num = dma->cfg.bw_num;
    dma->bw_shift = (num & (num - 1)) ? -1 : __builtin_ctz(num);
    dma->x_txc = (uint32_t)xfer(dma, DMA_TXC_BYTES);
    dma->x_rxc = (uint32_t)xfer(dma, DMA_RXC_BYTES);
    dma->x_wb = (uint32_t)xfer(dma, DMA_WB_BYTES);
}

/* ---- lifetime ---------------------------------------------------------------------------- */
int dma_init(struct dma *dma, const struct dma_cfg *cfg, struct fifo *tx_done,
             struct fifo *rx_in)
{
    memset(dma, 0, sizeof(*dma));
    if (!cfg->pool || !cfg->hm || !cfg->bw_num || !cfg->bw_den || !cfg->max_reads ||
        !cfg->mtu || cfg->mtu > cfg->pool->mtu || cfg->txd_batch > DMA_TXD_BATCH_MAX ||
        cfg->rxd_batch > DMA_RXD_BATCH_MAX)
        return -EINVAL;
    dma->cfg = *cfg;
    if (!dma->cfg.rxd_batch)
        dma->cfg.rxd_batch = DMA_RXD_BATCH_DEFAULT;
    if (!dma->cfg.rxd_cache) {
        /* One batch being consumed while a read window's worth is on its way (docs/dma.md). */
        uint32_t b = dma->cfg.rxd_batch;
        dma->cfg.rxd_cache = b + (cfg->max_reads > b ? cfg->max_reads : b);
        if (dma->cfg.rxd_cache > DMA_RING_MAX)
            dma->cfg.rxd_cache = DMA_RING_MAX;
    }
    if (dma->cfg.rxd_cache < dma->cfg.rxd_batch || dma->cfg.rxd_cache > DMA_RING_MAX)
        return -EINVAL;
    if (!dma->cfg.txd_batch)
        dma->cfg.txd_batch = DMA_TXD_BATCH_DEFAULT;
    if (!dma->cfg.txd_cache) {
        /* Deep enough that descriptors run a whole read window ahead of the frames. */
        uint32_t b = dma->cfg.txd_batch;
        dma->cfg.txd_cache = b + (cfg->max_reads > b ? cfg->max_reads : b);
        if (dma->cfg.txd_cache > DMA_RING_MAX)
            dma->cfg.txd_cache = DMA_RING_MAX;
    }
    if (dma->cfg.txd_cache < dma->cfg.txd_batch || dma->cfg.txd_cache > DMA_RING_MAX)
        return -EINVAL;
    uint32_t txdc_size = pow2_at_least(dma->cfg.txd_cache);
    uint32_t rq_size = pow2_at_least(cfg->max_reads);
    /* A TX packet holds a pool buffer from leaving the descriptor cache to its completion, so
     * at most pool->count ids are in flight: a window of that size never aliases. */
    uint32_t rob_size = pow2_at_least(cfg->pool->count);
    uint32_t rxc_size = pow2_at_least(dma->cfg.rxd_cache);
    dma->rq_mask = rq_size - 1;
    dma->rob_mask = rob_size - 1;
    dma->rxc_mask = rxc_size - 1;
    dma->txdc_mask = txdc_size - 1;
    dma->rq = calloc(rq_size, sizeof(*dma->rq));
    dma->rob = calloc(rob_size, sizeof(*dma->rob));
    dma->rxc = calloc(rxc_size, sizeof(*dma->rxc));
    dma->txdc = calloc(txdc_size, sizeof(*dma->txdc));
    dma->txdc_new = calloc(dma->cfg.txd_batch, sizeof(*dma->txdc_new));
    dma->rxc_new = calloc(dma->cfg.rxd_batch, sizeof(*dma->rxc_new));
    /* Deep enough for every frame read in flight: the FIFO back-pressures only when the
     * pipeline itself stalls. */
    int rc = fifo_init(&dma->tx_out, cfg->max_reads);
    if (!dma->rq || !dma->rob || !dma->rxc || !dma->txdc || !dma->txdc_new || !dma->rxc_new ||
        rc) {
        dma_free(dma);
        return -ENOMEM;
    }
    /* An unconnected input reads as a FIFO that stays empty: the clock never tests for it. */
    dma->tx_done = tx_done ? tx_done : &dma->unconnected;
    dma->rx_in = rx_in ? rx_in : &dma->unconnected;
    dma->d = dma->q;
    xfer_init(dma);
    return 0;
}

void dma_free(struct dma *dma)
{
    free(dma->rq);
    free(dma->rob);
    free(dma->rxc);
    free(dma->txdc);
    free(dma->txdc_new);
    free(dma->rxc_new);
    fifo_free(&dma->tx_out);
    dma->rq = NULL;
    dma->rob = NULL;
    dma->rxc = NULL;
    dma->txdc = NULL;
    dma->txdc_new = NULL;
    dma->rxc_new = NULL;
}

/* ---- ports: eval notes which FIFO pointers it moves (wr.we), for commit and
 * dma_port_changes() ---------------------------------------------------------------------- */
static void port_push_tx_out(struct dma *dma, struct pkt *p, uint64_t ready_at)
{
    fifo_push(&dma->tx_out, p, ready_at);
    dma->wr.we |= DMA_PORT_TX_OUT;
}

static void port_pop(struct dma *dma, struct fifo *f, uint32_t port)
{
    fifo_pop(f);
    dma->wr.we |= port;
}

/* ---- read channel ------------------------------------------------------------------------ */
/* Cycle at which an n-byte read issued at `now` has fully arrived (see dma.h). */
static uint64_t rd_done(const struct dma *dma, uint64_t now, uint32_t bytes)
{
    uint64_t start = max_u64(now + dma->cfg.lat_cycles, dma->q.rd_busy);
    return start + xfer(dma, bytes);
}

/* Reserve the read channel for an n-byte read issued in this cycle. */
static void rd_reserve(struct dma *dma, uint64_t now, struct dma_rd *r, uint32_t bytes)
{
    r->done = rd_done(dma, now, bytes);
    dma->d.rd_busy = r->done;
}

/* Issue a read in this cycle: the host memory is sampled now and the channel is reserved. A
 * refused range becomes an error completion at the same done cycle (the completer abort arrives
 * when the data would have). The caller fills in the rest and pushes with rd_push(). */
static void rd_issue(struct dma *dma, uint64_t now, struct dma_rd *r, uint64_t iova, void *buf,
                     uint32_t bytes)
{
    r->fault = host_mem_read(dma->cfg.hm, iova, buf, bytes) != 0;
    rd_reserve(dma, now, r, bytes);
    if (!r->fault)
        dma->stats.bytes_read += bytes;
}

/* Write port of the read tracking RAM (one issue per cycle). */
static void rd_push(struct dma *dma, const struct dma_rd *r)
{
    dma->wr.we |= DMA_WE_RQ;
    dma->wr.rq_addr = dma->d.rq_wr & dma->rq_mask;
    /* Member by member: a struct copy of the caller's stack temporary made gcc reload the
     * fields it had just stored as 16-byte words, a store-forwarding stall on every read. */
    struct dma_rd *n = &dma->wr.rq_new;
    n->kind = r->kind;
    n->fault = r->fault;
    n->idx = r->idx;
    n->n = r->n;
    n->done = r->done;
    n->pkt = r->pkt;
    dma->d.rq_wr++;
}

/* Validation of a cached TX descriptor: the reason it is dropped, or NONE. */
static uint8_t txd_verdict(const struct dma *dma, const struct dma_txd_entry *e)
{
    if (e->fault)
        return NIC_DROP_DMA_ERROR;
    const struct nic_tx_desc *t = &e->d;
    if (t->len == 0 || t->len > dma->cfg.mtu || (t->flags & ~DMA_TXF_KNOWN))
        return NIC_DROP_BAD_DESC;
    return NIC_DROP_NONE;
}

/* Reorder buffer write port; three writers per cycle at most: a faulted frame read retiring,
 * the descriptor cache head failing, a tx_done token. */
static void rob_write(struct dma *dma, struct pkt *p)
{
    unsigned n = dma->wr.rob_nwe++;
    dma->wr.we |= DMA_WE_ROB;
    dma->wr.rob_addr[n] = p->id & dma->rob_mask;
    dma->wr.rob_new[n] = p;
}

/* A TX packet that will not reach the pipeline: straight to the reorder buffer. */
static void tx_fail(struct dma *dma, struct pkt *p, uint8_t drop)
{
    p->drop = drop;
    if (drop == NIC_DROP_DMA_ERROR) {
        dma->stats.tx_dma_error++;
        eval_err(dma, DMA_ERR_TX_DMA);
    } else {
        dma->stats.tx_bad_desc++;
        eval_err(dma, DMA_ERR_TX_DESC);
    }
    rob_write(dma, p);
}

/* Step 2: the oldest read retires at its done cycle. */
static void rd_retire(struct dma *dma, uint64_t now)
{
    const struct dma_regs *q = &dma->q;
    if (q->rq_wr == q->rq_rd || dma->rq_head_done > now)
        return;
    const struct dma_rd *r = &dma->rq[q->rq_rd & dma->rq_mask];
    dma->d.rq_rd++;
    dma->wr.we |= DMA_WE_RQ_RD;
    switch (r->kind) {
    case DMA_RD_TXD:
        /* The batch's entries were written at issue; now they are valid. */
        dma->d.txdc_wr += r->n;
        return;
    case DMA_RD_FRAME:
        if (r->fault)
            tx_fail(dma, r->pkt, NIC_DROP_DMA_ERROR);
        return;
    case DMA_RD_RXD:
    default:
        /* The batch's entries were written at issue; now they are valid, each with its own
         * fault (a faulted one completes with an error when its turn comes). */
        for (uint32_t i = 0; i < r->n; i++) {
            if (dma->rxc[(q->rxc_wr + i) & dma->rxc_mask].fault) {
                dma->stats.rx_dma_error++;
                eval_err(dma, DMA_ERR_RX_DMA);
            } else {
                dma->stats.rx_desc_fetched++;
            }
        }
        dma->d.rxc_wr += r->n;
        return;
    }
}

/* Step 4/5 conditions, on q (also used by next_event). `outstanding` counts this cycle's
 * retire. */
/* Descriptors the next RX prefetch read would cover: up to rxd_batch posted ones, not across
 * the ring wrap; 0 when there is nothing to read. */
static uint32_t rxd_batch_len(const struct dma *dma)
{
    const struct dma_regs *q = &dma->q;
    const struct dma_ring_regs *rg = &q->ring[DMA_RXD];
    if (!(q->ctrl & DMA_CTRL_RX_EN) || q->rxd_fetch == rg->tail)
        return 0;
    uint32_t posted = (rg->tail - q->rxd_fetch) & (rg->size - 1);
    uint32_t to_wrap = rg->size - q->rxd_fetch;
    uint32_t k = dma->cfg.rxd_batch;
    if (k > posted)
        k = posted;
    if (k > to_wrap)
        k = to_wrap;
    return k;
}

/* An RX prefetch read goes out as soon as the cache (entries + reads in flight) has room for
 * the whole batch. */
static bool can_prefetch_rxd(const struct dma *dma, uint32_t outstanding)
{
    const struct dma_regs *q = &dma->q;
    uint32_t room = dma->cfg.rxd_cache - (q->rxc_rsv - q->rxc_rd);
    /* A full cache or read window is the common case under load: decided without the batch
     * length (a batch is never empty, so no room means no read). */
    if (!room || outstanding >= dma->cfg.max_reads)
        return false;
    uint32_t k = rxd_batch_len(dma);
    return k && room >= k;
}

/* Descriptors the next TX batch read would cover: up to txd_batch posted ones, not across the
 * ring wrap; 0 when there is nothing to read. */
static uint32_t txd_batch_len(const struct dma *dma)
{
    const struct dma_regs *q = &dma->q;
    const struct dma_ring_regs *rg = &q->ring[DMA_TXD];
    if (!(q->ctrl & DMA_CTRL_TX_EN) || q->txd_fetch == rg->tail)
        return 0;
    uint32_t posted = (rg->tail - q->txd_fetch) & (rg->size - 1);
    uint32_t to_wrap = rg->size - q->txd_fetch;
    uint32_t k = dma->cfg.txd_batch;
    if (k > posted)
        k = posted;
    if (k > to_wrap)
        k = to_wrap;
    return k;
}

/* A batch read goes out as soon as the cache (entries + reads in flight) has room for it. */
static bool can_fetch_txd(const struct dma *dma, uint32_t outstanding)
{
    const struct dma_regs *q = &dma->q;
    uint32_t room = dma->cfg.txd_cache - (q->txdc_rsv - q->txdc_rd);
    if (!room || outstanding >= dma->cfg.max_reads) /* as can_prefetch_rxd */
        return false;
    uint32_t k = txd_batch_len(dma);
    return k && room >= k;
}

/* The TX descriptor cache head has arrived by `wr` (q, or d with this cycle's retire). */
static bool txdc_has_head(const struct dma *dma, uint32_t wr)
{
    return dma->q.txdc_rd != wr;
}

/* The TX descriptor cache head (txdc_has_head() first). Not a pointer-or-NULL from one
 * function: gcc then tested the computed slot address for NULL on every use. */
static const struct dma_txd_entry *txdc_head(const struct dma *dma)
{
    return &dma->txdc[dma->q.txdc_rd & dma->txdc_mask];
}

/* The head (txdc_has_head() first) can leave the cache now: a bad one needs only a buffer, a
 * good one also a read slot, the issue port and room in tx_out. */
static bool can_take_head(const struct dma *dma, uint32_t outstanding, bool port_free)
{
    /* The read conditions first: a full read window blocks a good head most of the time. */
    if (!dma->txdc_head_bad &&
        !(port_free && outstanding < dma->cfg.max_reads && fifo_can_push(&dma->tx_out)))
        return false;
    return pkt_pool_avail(dma->cfg.pool) != 0;
}

/* Sample k TX descriptors from host memory at `a` (ring index idx) into the cache write port.
 * When the whole batch lies in one registered region every descriptor would read fine on its
 * own, so one copy serves them all; otherwise each is read alone and a refused one faults in
 * its place. Same bytes, faults and counters either way. */
static void txd_sample(struct dma *dma, uint64_t now, uint64_t a, uint32_t idx, uint32_t k)
{
    uint8_t raw[DMA_TXD_BATCH_MAX * DMA_TXD_BYTES];
    bool whole = host_mem_valid(dma->cfg.hm, a, (uint64_t)k * DMA_TXD_BYTES) &&
                 host_mem_read(dma->cfg.hm, a, raw, (size_t)k * DMA_TXD_BYTES) == 0;
    if (whole)
        dma->stats.bytes_read += (uint64_t)k * DMA_TXD_BYTES; /* the same sum, added once */
    for (uint32_t i = 0; i < k; i++) {
        struct dma_txd_entry *e = &dma->txdc_new[i];
        const uint8_t *b = raw + (size_t)i * DMA_TXD_BYTES;
        /* Every field is written below (no memset: commit copies the entry to the cache in
         * wide moves, and a zeroing before these narrow stores would only add stores). */
        e->fault = false;
        if (!whole) {
            b = raw;
            e->fault = host_mem_read(dma->cfg.hm, a + (uint64_t)i * DMA_TXD_BYTES, raw,
                                     DMA_TXD_BYTES) != 0;
            if (!e->fault)
                dma->stats.bytes_read += DMA_TXD_BYTES;
        }
        e->t_in = now;
        e->idx = idx + i;
        if (!e->fault)
            txd_decode(&e->d, b);
        else
            e->d = (struct nic_tx_desc){0}; /* as read from nowhere; never used (verdict) */
        e->verdict = txd_verdict(dma, e); /* fixed from here on: the head checks it often */
    }
}

/* Step 4: at most one read issued. Returns true when the issue port was used. */
static bool rd_issue_next(struct dma *dma, uint64_t now, uint32_t outstanding)
{
    const struct dma_regs *q = &dma->q;
    if (can_prefetch_rxd(dma, outstanding)) {
        /* One read of k * 16 bytes, sampled now descriptor by descriptor (a descriptor the
         * host cannot serve faults alone, in its place); the entries go to their reserved
         * cache slots at this clock edge and become usable when the read is done. */
        const struct dma_ring_regs *rg = &q->ring[DMA_RXD];
        uint32_t k = rxd_batch_len(dma);
        struct dma_rd r = {.kind = DMA_RD_RXD, .idx = q->rxd_fetch, .n = k};
        for (uint32_t i = 0; i < k; i++) {
            uint8_t raw[DMA_RXD_BYTES];
            struct dma_rxd_entry *e = &dma->rxc_new[i];
            uint64_t a = rg->base + (uint64_t)(q->rxd_fetch + i) * DMA_RXD_BYTES;
            memset(e, 0, sizeof(*e));
            e->fault = host_mem_read(dma->cfg.hm, a, raw, DMA_RXD_BYTES) != 0;
            if (!e->fault) {
                rxd_decode(&e->d, raw);
                dma->stats.bytes_read += DMA_RXD_BYTES;
            }
        }
        rd_reserve(dma, now, &r, k * DMA_RXD_BYTES);
        rd_push(dma, &r);
        dma->wr.we |= DMA_WE_RXC;
        dma->wr.rxc_nwe = k;
        dma->wr.rxc_addr = q->rxc_rsv;
        dma->d.rxc_rsv += k;
        dma->d.rxd_fetch = (q->rxd_fetch + k) & (rg->size - 1);
        dma->stats.rx_desc_reads++;
        return true;
    }
    if (can_fetch_txd(dma, outstanding)) {
        /* One read of k * 32 bytes. Host memory is sampled now, descriptor by descriptor, so
         * a descriptor the host cannot serve fails alone and in its place. The entries go to
         * their reserved cache slots at this clock edge and become visible when the read is
         * done. */
        const struct dma_ring_regs *rg = &q->ring[DMA_TXD];
        uint32_t k = txd_batch_len(dma);
        struct dma_rd r = {.kind = DMA_RD_TXD, .idx = q->txd_fetch, .n = k};
        txd_sample(dma, now, rg->base + (uint64_t)q->txd_fetch * DMA_TXD_BYTES, q->txd_fetch, k);
        rd_reserve(dma, now, &r, k * DMA_TXD_BYTES);
        rd_push(dma, &r);
        dma->wr.we |= DMA_WE_TXDC;
        dma->wr.txdc_nwe = k;
        dma->wr.txdc_addr = q->txdc_rsv;
        dma->d.txdc_rsv += k;
        dma->d.txd_fetch = (q->txd_fetch + k) & (rg->size - 1);
        dma->stats.tx_desc_reads++;
        return true;
    }
    return false;
}

/* Step 5: the cache head becomes a packet (a buffer, the next id) and either fails at once or
 * issues its frame read. */
static void txdc_take(struct dma *dma, uint64_t now, uint32_t outstanding, bool port_free)
{
    if (!txdc_has_head(dma, dma->d.txdc_wr) || !can_take_head(dma, outstanding, port_free))
        return;
    const struct dma_txd_entry *e = txdc_head(dma);
    struct pkt *p = pkt_pool_get(dma->cfg.pool);
    p->dir = PKT_TX;
    p->id = dma->q.tx_next_id;
    p->t_in = e->t_in;
    dma->d.tx_next_id++;
    dma->d.txdc_rd++;
    dma->wr.we |= DMA_WE_TXDC_RD;
    if (!e->fault) {
        dma->stats.tx_desc_fetched++;
        p->len = e->d.len;
        p->cookie = e->d.cookie;
        p->sa = e->d.sa_handle;
        p->has_sa = (e->d.flags & NIC_TXF_IPSEC) != 0;
        p->seq_hi = e->d.seq_hi;
    }
    uint8_t v = e->verdict;
    if (v != NIC_DROP_NONE) {
        tx_fail(dma, p, v);
        return;
    }
    struct dma_rd fr = {.kind = DMA_RD_FRAME, .idx = e->idx, .pkt = p};
    rd_issue(dma, now, &fr, e->d.addr, p->data, p->len);
    rd_push(dma, &fr);
    /* The token leaves at the cycle its last byte has arrived, not before. */
    if (!fr.fault)
        port_push_tx_out(dma, p, fr.done);
}

/* ---- TX done input ----------------------------------------------------------------------- */
/* A token the reorder buffer can accept: a pool packet, TX, in flight, slot empty. */
static bool tx_done_ok(const struct dma *dma, const struct pkt *p)
{
    const struct dma_regs *q = &dma->q;
    if (pkt_pool_index(dma->cfg.pool, p) < 0 || p->dir != PKT_TX)
        return false;
    if (p->id - q->tx_cpl_id >= q->tx_next_id - q->tx_cpl_id)
        return false;
    return dma->rob[p->id & dma->rob_mask] == NULL;
}

static void tx_done_take(struct dma *dma, uint64_t now)
{
    struct pkt *p = fifo_peek(dma->tx_done, now);
    if (!p)
        return;
    port_pop(dma, dma->tx_done, DMA_PORT_TX_DONE);
    if (!tx_done_ok(dma, p)) {
        /* Not ours or already returned: leave the buffer alone (freeing it could corrupt the
         * owner's state) and report. */
        dma->stats.port_errors++;
        eval_err(dma, DMA_ERR_PORT);
        return;
    }
    rob_write(dma, p);
}

/* ---- RX delivery decision ------------------------------------------------------------------ */
enum dma_rx_act { RXA_WAIT, RXA_FREE, RXA_BOGUS, RXA_NOBUF, RXA_TOOSMALL, RXA_DELIVER };

/* What the rx_in head token p can do at a cycle where the write channel is (not) free.
 * `cpl` is the RX completion ring as it will be after this cycle's landing (see tx_cpl_ready). */
static enum dma_rx_act rx_action(const struct dma *dma, const struct pkt *p, bool wr_free,
                                 const struct dma_ring_regs *cpl)
{
    const struct dma_regs *q = &dma->q;
    if (pkt_pool_index(dma->cfg.pool, p) < 0 || p->dir != PKT_RX)
        return RXA_BOGUS;
    if (p->drop)
        return RXA_FREE;
    if (!(q->ctrl & DMA_CTRL_RX_EN))
        return RXA_NOBUF;
    if (q->rxc_wr == q->rxc_rd) {
        /* Posted but still on its way in: wait for the prefetch rather than drop. */
        bool posted = q->rxd_fetch != q->ring[DMA_RXD].tail || q->rxc_rsv != q->rxc_wr;
        return posted ? RXA_WAIT : RXA_NOBUF;
    }
    const struct dma_rxd_entry *e = &dma->rxc[q->rxc_rd & dma->rxc_mask];
    /* Too small: the descriptor stays posted for the next packet (docs/dma.md). */
    if (!e->fault && p->len > e->d.buf_len)
        return RXA_TOOSMALL;
    if (!wr_free || !ring_has_room(cpl))
        return RXA_WAIT;
    return RXA_DELIVER;
}

static bool wr_free_at(const struct dma *dma, uint64_t t)
{
    return dma->q.job.kind == DMA_JOB_NONE || dma->q.job.done <= t;
}

/* The room check of a completion ring must see the producer index AFTER a job landing in this
 * same cycle (d), else a job starting as the previous one lands could take the last slot twice
 * and overwrite a record the driver has not consumed. In next_event q == d. */
static bool tx_cpl_ready(const struct dma *dma, const struct dma_ring_regs *cpl)
{
    return dma->rob_head && ring_has_room(cpl);
}

/* ---- write channel ------------------------------------------------------------------------- */
static uint64_t job_cycles(const struct dma *dma, unsigned ring, uint32_t data_bytes)
{
    uint64_t c = data_bytes ? xfer(dma, data_bytes) : 0;
    c += ring == DMA_TXC ? dma->x_txc : dma->x_rxc;
    if (dma->q.ring[ring].wb)
        c += dma->x_wb;
    return c;
}

/* Completion record, then the producer index (and its write-back), then the cause: the host
 * never sees a HEAD that covers a record not yet in memory. Inline: gcc kept it out of line
 * (two callers), a call frame on every completion. `we` enables the registers it changes:
 * DMA_WE_TX_CPL (the two TX heads and INTR_CAUSE) or DMA_WE_HOST; an error adds DMA_WE_HOST. */
static inline void cpl_commit(struct dma *dma, unsigned cring, unsigned dring, const uint8_t *rec,
                              uint32_t rec_bytes, uint32_t cause, uint32_t we)
{
    struct dma_regs *d = &dma->d;
    struct dma_ring_regs *c = &d->ring[cring];
    dma->wr.we |= we;
    if (host_mem_write(dma->cfg.hm, c->base + (uint64_t)c->head * rec_bytes, rec, rec_bytes)) {
        dma->stats.cpl_dma_error++;
        eval_err(dma, DMA_ERR_CPL_DMA);
    } else {
        dma->stats.bytes_written += rec_bytes;
    }
    c->head = ring_next(c, c->head);
    d->ring[dring].head = ring_next(&d->ring[dring], d->ring[dring].head);
    if (c->wb) {
        uint8_t wb[DMA_WB_BYTES];
        put_le32(wb, c->head);
        if (host_mem_write(dma->cfg.hm, c->wb, wb, sizeof(wb))) {
            dma->stats.cpl_dma_error++;
            eval_err(dma, DMA_ERR_CPL_DMA);
        } else {
            dma->stats.bytes_written += sizeof(wb);
        }
    }
    d->intr_cause |= cause;
}

static void free_pkt(struct dma *dma, struct pkt *p)
{
    if (pkt_pool_put(dma->cfg.pool, p)) {
        dma->stats.port_errors++;
        eval_err(dma, DMA_ERR_PORT);
    }
}

/* Step 1: the job's writes land. */
static void job_land(struct dma *dma)
{
    const struct dma_job *j = &dma->q.job;
    struct pkt *p = j->pkt;
    uint8_t rec[16];
    if (j->kind == DMA_JOB_TX) {
        struct nic_tx_cpl c = {
            .cookie = p->cookie,
            .status = dma_tx_status(p->drop),
            .sa_handle = p->sa,
            .wire_len = p->drop ? 0 : p->len,
        };
        txc_encode(rec, &c);
        cpl_commit(dma, DMA_TXC, DMA_TXD, rec, DMA_TXC_BYTES, DMA_INTR_TX_CPL, DMA_WE_TX_CPL);
        dma->stats.tx_cpl_written++;
        if (c.status == NIC_TXS_OK)
            dma->stats.tx_ok++;
    } else {
        bool fault = j->rx_fault;
        if (!fault && p->len) {
            if (host_mem_write(dma->cfg.hm, j->rxd.d.addr, p->data, p->len)) {
                /* Unregistered between job start and landing. */
                fault = true;
                dma->stats.rx_dma_error++;
                eval_err(dma, DMA_ERR_RX_DMA);
            } else {
                dma->stats.bytes_written += p->len;
            }
        }
        struct nic_rx_cpl c = {
            .len = fault ? 0 : p->len,
            .sa_handle = p->has_sa && !fault ? p->sa : 0,
            .status = fault ? NIC_RXS_GENERIC_ERROR : p->rx_status,
            .flags = fault ? 0 : p->rx_flags,
            .seq_hi = fault ? 0 : p->seq_hi,
        };
        rxc_encode(rec, &c);
        cpl_commit(dma, DMA_RXC, DMA_RXD, rec, DMA_RXC_BYTES, DMA_INTR_RX_CPL, DMA_WE_HOST);
        if (!fault)
            dma->stats.rx_delivered++;
    }
    free_pkt(dma, p);
    if (j->kind == DMA_JOB_TX) {
        /* Its RX fields are zero already (struct dma_job). */
        dma->d.job.kind = DMA_JOB_NONE;
        dma->d.job.done = 0;
        dma->d.job.pkt = NULL;
        dma->wr.we |= DMA_WE_JOB_TX;
    } else {
        dma->d.job = (struct dma_job){0};
        dma->wr.we |= DMA_WE_JOB;
    }
}

static void job_start_tx(struct dma *dma, uint64_t now)
{
    uint32_t slot = dma->q.tx_cpl_id & dma->rob_mask;
    /* The channel is idle (kind NONE): its RX fields are zero and stay so (struct dma_job). */
    dma->d.job.kind = DMA_JOB_TX;
    dma->d.job.pkt = dma->rob[slot];
    dma->d.job.done = now + job_cycles(dma, DMA_TXC, 0);
    dma->wr.we |= DMA_WE_JOB_TX | DMA_WE_ROB_CLR;
    dma->wr.rob_clr_addr = slot;
    dma->d.tx_cpl_id++;
}

static void job_start_rx(struct dma *dma, uint64_t now, struct pkt *p)
{
    const struct dma_rxd_entry *e = &dma->rxc[dma->q.rxc_rd & dma->rxc_mask];
    bool fault = e->fault;
    if (!fault && p->len && !host_mem_valid(dma->cfg.hm, e->d.addr, p->len)) {
        fault = true; /* buffer outside registered memory: error completion, no data */
        dma->stats.rx_dma_error++;
        eval_err(dma, DMA_ERR_RX_DMA);
    }
    dma->d.job = (struct dma_job){.kind = DMA_JOB_RX,
                                  .pkt = p,
                                  .rxd = *e,
                                  .rx_fault = fault,
                                  .done = now + job_cycles(dma, DMA_RXC, fault ? 0 : p->len)};
    dma->wr.we |= DMA_WE_JOB;
    dma->d.rxc_rd++;
    port_pop(dma, dma->rx_in, DMA_PORT_RX_IN);
}

/* Step 5. */
static void rx_and_write(struct dma *dma, uint64_t now, bool wr_free)
{
    struct pkt *rp = fifo_peek(dma->rx_in, now);
    enum dma_rx_act act = rp ? rx_action(dma, rp, wr_free, &dma->d.ring[DMA_RXC]) : RXA_WAIT;
    switch (act) {
    case RXA_FREE:
        port_pop(dma, dma->rx_in, DMA_PORT_RX_IN);
        dma->stats.rx_pipeline_drop++;
        free_pkt(dma, rp);
        break;
    case RXA_NOBUF:
        port_pop(dma, dma->rx_in, DMA_PORT_RX_IN);
        dma->stats.rx_no_buffer++;
        free_pkt(dma, rp);
        break;
    case RXA_TOOSMALL:
        port_pop(dma, dma->rx_in, DMA_PORT_RX_IN);
        dma->stats.rx_too_small++;
        free_pkt(dma, rp);
        break;
    case RXA_BOGUS:
        port_pop(dma, dma->rx_in, DMA_PORT_RX_IN);
        dma->stats.port_errors++;
        eval_err(dma, DMA_ERR_PORT);
        break;
    default:
        break;
    }
    bool want_rx = act == RXA_DELIVER;
    bool want_tx = wr_free && tx_cpl_ready(dma, &dma->d.ring[DMA_TXC]);
    if (want_rx && want_tx) {
        /* Round-robin: whoever did not have the last grant goes first. */
        want_rx = dma->q.wr_rr == 0;
        want_tx = !want_rx;
    }
    if (want_tx) {
        job_start_tx(dma, now);
        dma->d.wr_rr = 0;
    } else if (want_rx) {
        job_start_rx(dma, now, rp);
        dma->d.wr_rr = 1;
    }
}

/* ---- the clock ----------------------------------------------------------------------------- */
/* q = d at the clock edge. A plain struct assignment of this size compiles to `rep movsq`,
 * whose start-up cost dominated dma_commit; 16-byte moves are several times cheaper (the
 * bytes copied are the same), and unrolled (the trip count is a constant) they cost no loop
 * overhead either: at -O2 gcc would otherwise keep the loop, twice the instructions.
 * Bytes [from, to) of the registers; from and to are constants, multiples of 8. */
static inline void regs_copy_range(struct dma_regs *dst, const struct dma_regs *src, size_t from,
                                   size_t to)
{
    unsigned char *o = (unsigned char *)dst + from;
    const unsigned char *i = (const unsigned char *)src + from;
    size_t chunks = (to - from) / 16;
#pragma GCC unroll 32
    for (size_t k = 0; k < chunks; k++)
        memcpy(o + 16 * k, i + 16 * k, 16);
    if ((to - from) % 16)
        memcpy(o + 16 * chunks, i + 16 * chunks, 8);
}

/* Three groups: the host-visible registers (ring[] to err_cause) first, which eval changes
 * only when a completion lands or an error is raised (DMA_WE_HOST); the write channel (job)
 * last, which changes when a job starts or lands, about two steps in four under TX load
 * (DMA_WE_JOB, or DMA_WE_JOB_TX for a TX job's three fields); the pointers, wr_rr and rd_busy
 * between them, copied every cycle. */
#define DMA_REGS_HOST_END offsetof(struct dma_regs, txd_fetch)
#define DMA_REGS_JOB offsetof(struct dma_regs, job)
_Static_assert(DMA_REGS_HOST_END == offsetof(struct dma_regs, err_cause) + sizeof(uint32_t),
               "the host-visible registers end at err_cause");
_Static_assert(DMA_REGS_JOB + sizeof(struct dma_job) == sizeof(struct dma_regs),
               "the write channel group (job) is last");
_Static_assert(DMA_REGS_HOST_END % 16 == 0 && DMA_REGS_JOB % 8 == 0 &&
                   sizeof(struct dma_regs) % 8 == 0,
               "dma_regs is copied in 16-byte units, a group's last one possibly 8");

static void regs_copy(struct dma_regs *dst, const struct dma_regs *src)
{
    regs_copy_range(dst, src, 0, sizeof(struct dma_regs));
}

/* The clock's three parts as always-inline bodies: the block functions below wrap them one by
 * one for the scheduler, and dma_step runs all three in one call (the step of a block due
 * alone), where gcc keeps the block's pointers and fields in registers across them. */
static inline __attribute__((always_inline)) void eval_body(struct dma *dma, uint64_t now)
{
    /* d == q here (commit and every host-side change of q keep them equal): no hold copy.
     * The write ports are idle too: commit applies and clears them. */
#ifdef DMA_CHECK_DQ
    if (memcmp(&dma->d, &dma->q, sizeof(dma->q)) || dma->wr.we || dma->wr.rob_nwe)
        abort();
    static const struct dma_job idle_rx = {0};
    if (dma->q.job.kind != DMA_JOB_RX &&
        (dma->q.job.rx_fault || memcmp(&dma->q.job.rxd, &idle_rx.rxd, sizeof(idle_rx.rxd))))
        abort(); /* the RX fields of a job that is not RX are zero (struct dma_job) */
    if (dma->rob_head != (dma->rob[dma->q.tx_cpl_id & dma->rob_mask] != NULL) ||
        dma->rq_head_done != dma->rq[dma->q.rq_rd & dma->rq_mask].done ||
        dma->txdc_head_bad != (txdc_head(dma)->verdict != NIC_DROP_NONE))
        abort();
#endif

    bool wr_free = wr_free_at(dma, now);
    if (dma->q.job.kind != DMA_JOB_NONE && dma->q.job.done <= now)
        job_land(dma);

    rd_retire(dma, now);
    /* A read retiring this cycle frees its slot for this cycle's issue. */
    uint32_t outstanding = dma->q.rq_wr - dma->d.rq_rd;

    tx_done_take(dma, now);
    /* A full read window (the common case under load) issues nothing: skip the conditions. */
    bool port_used = outstanding < dma->cfg.max_reads && rd_issue_next(dma, now, outstanding);
    txdc_take(dma, now, outstanding + port_used, !port_used);
    rx_and_write(dma, now, wr_free);
}

static inline __attribute__((always_inline)) void commit_body(struct dma *dma)
{
    struct dma_wr *w = &dma->wr;
    uint32_t we = w->we;
    /* q = d; the host-visible group and the write channel only when this cycle changed them
     * (under TX load 3 steps in 4 change no host register, about 2 in 4 no job). */
    if (we & (DMA_WE_HOST | DMA_WE_TX_CPL)) {
        if (we & DMA_WE_HOST) {
            regs_copy_range(&dma->q, &dma->d, 0, DMA_REGS_HOST_END);
        } else {
            /* A TX completion landed (one step per packet): its three registers alone. */
            dma->q.ring[DMA_TXC].head = dma->d.ring[DMA_TXC].head;
            dma->q.ring[DMA_TXD].head = dma->d.ring[DMA_TXD].head;
            dma->q.intr_cause = dma->d.intr_cause;
        }
    }
    regs_copy_range(&dma->q, &dma->d, DMA_REGS_HOST_END, DMA_REGS_JOB);
    if (we & (DMA_WE_JOB | DMA_WE_JOB_TX)) { /* one test on the steps without a job change */
        if (we & DMA_WE_JOB) {
            regs_copy_range(&dma->q, &dma->d, DMA_REGS_JOB, sizeof(struct dma_regs));
        } else {
            /* Field by field, at the widths eval stored them (no wide load over a byte
             * store). */
            dma->q.job.kind = dma->d.job.kind;
            dma->q.job.done = dma->d.job.done;
            dma->q.job.pkt = dma->d.job.pkt;
        }
    }
    if (we & DMA_WE_RQ)
        dma->rq[w->rq_addr] = w->rq_new;
    if (we & (DMA_WE_RQ | DMA_WE_RQ_RD)) /* the head slot moved or may have been written */
        dma->rq_head_done = dma->rq[dma->q.rq_rd & dma->rq_mask].done;
    if (we & (DMA_WE_ROB_CLR | DMA_WE_ROB)) {
        if (we & DMA_WE_ROB_CLR)
            dma->rob[w->rob_clr_addr] = NULL;
        if (we & DMA_WE_ROB) {
            for (unsigned i = 0; i < w->rob_nwe; i++)
                dma->rob[w->rob_addr[i]] = w->rob_new[i];
            w->rob_nwe = 0;
        }
        /* The head moves (tx_cpl_id) only with a clear: both are in place now. */
        dma->rob_head = dma->rob[dma->q.tx_cpl_id & dma->rob_mask] != NULL;
    }
    if (we & (DMA_WE_RXC | DMA_WE_TXDC)) { /* batch reads: one step in eight packets or fewer */
        if (we & DMA_WE_RXC)
            for (uint32_t i = 0; i < w->rxc_nwe; i++)
                dma->rxc[(w->rxc_addr + i) & dma->rxc_mask] = dma->rxc_new[i];
        if (we & DMA_WE_TXDC)
            for (uint32_t i = 0; i < w->txdc_nwe; i++)
                dma->txdc[(w->txdc_addr + i) & dma->txdc_mask] = dma->txdc_new[i];
    }
    if (we & (DMA_WE_TXDC | DMA_WE_TXDC_RD)) /* the head slot moved or may have been written */
        dma->txdc_head_bad = txdc_head(dma)->verdict != NIC_DROP_NONE;
    /* tx_out, which dma owns, every edge (its consumer may leave its pops to us); an input
     * only when dma popped from it: its producer commits its own pushes (dma.h). */
    fifo_commit(&dma->tx_out);
    if (we & DMA_PORT_TX_DONE)
        fifo_commit(dma->tx_done);
    if (we & DMA_PORT_RX_IN)
        fifo_commit(dma->rx_in);
    dma->port_changes = we & DMA_PORTS;
    w->we = 0; /* no write enabled (the data fields are read only under their enables) */
}

static inline __attribute__((always_inline)) uint64_t next_event_body(const struct dma *dma,
                                                                      uint64_t now)
{
    const struct dma_regs *q = &dma->q;
    uint64_t t = SIM_NEVER;

    if (q->job.kind != DMA_JOB_NONE)
        t = min_u64(t, max_u64(q->job.done, now));
    uint32_t outstanding = q->rq_wr - q->rq_rd;
    if (outstanding)
        t = min_u64(t, max_u64(dma->rq_head_done, now));
    /* A cache head blocked by the pipeline (tx_out full) waits for the consumer's pop, by the
     * pool for a buffer freed at a landing, by the read limit for a retire: events of their
     * own; spinning here would only burn steps. A full read window (the common case under
     * load) rules out both batch reads without looking at them. */
    if (outstanding < dma->cfg.max_reads &&
        (can_prefetch_rxd(dma, outstanding) || can_fetch_txd(dma, outstanding)))
        return now;
    if (txdc_has_head(dma, q->txdc_wr) && can_take_head(dma, outstanding, true))
        return now;
    t = min_u64(t, fifo_next_event(dma->tx_done, now));
    if (tx_cpl_ready(dma, &q->ring[DMA_TXC]))
        t = min_u64(t, wr_free_at(dma, now) ? now : q->job.done);
    if (!fifo_empty_q(dma->rx_in)) {
        const struct fifo_tok *h = &dma->rx_in->mem[dma->rx_in->rd_q & (dma->rx_in->depth - 1)];
        uint64_t ta = max_u64(h->ready_at, now);
        if (rx_action(dma, h->p, wr_free_at(dma, ta), &q->ring[DMA_RXC]) != RXA_WAIT)
            t = min_u64(t, ta);
    }
    return t;
}

/* The scheduler's separate calls (blocks due together: about one dma step in four under TX
 * load): gcc's own inlining choices. */
void dma_eval(void *self, uint64_t now) { eval_body(self, now); }
void dma_commit(void *self) { commit_body(self); }
uint64_t dma_next_event(const void *self, uint64_t now)
{
    return next_event_body(self, now);
}

/* flatten: every static helper is inlined here; gcc's own limits kept several (txdc_take,
 * rx_and_write, job_land, rd_retire) out of line once the bodies had two callers. */
__attribute__((flatten)) uint64_t dma_step(struct dma *dma, uint64_t now)
{
    eval_body(dma, now);
    commit_body(dma);
    pkt_pool_commit(dma->cfg.pool); /* the pool's edge is dma's (see dma.h) */
    return next_event_body(dma, now + 1);
}

/* ---- CSRs ---------------------------------------------------------------------------------- */
static void csr_error(struct dma *dma, uint32_t bit)
{
    dma->stats.csr_errors++;
    raise_err(&dma->q, bit);
    regs_copy(&dma->d, &dma->q); /* d mirrors q between clock steps (dma_eval relies on it) */
}

/* A direction may be (re)enabled only when nothing of it is in flight. */
static bool dir_quiescent(const struct dma *dma, uint32_t bit)
{
    const struct dma_regs *q = &dma->q;
    if (bit == DMA_CTRL_TX_EN)
        return q->tx_next_id == q->tx_cpl_id && q->job.kind != DMA_JOB_TX &&
               q->txdc_rd == q->txdc_rsv; /* no descriptor cached or on its way */
    return q->rxc_rsv == q->rxc_wr && q->job.kind != DMA_JOB_RX; /* no prefetch in flight */
}

static bool ring_valid(const struct dma *dma, unsigned ring)
{
    const struct dma_ring_regs *r = &dma->q.ring[ring];
    if (!r->size)
        return false;
    if (!host_mem_valid(dma->cfg.hm, r->base, (uint64_t)r->size * dma_ring_entry_bytes[ring]))
        return false;
    return !r->wb || host_mem_valid(dma->cfg.hm, r->wb, DMA_WB_BYTES);
}

static void ctrl_enable(struct dma *dma, uint32_t bit)
{
    struct dma_regs *q = &dma->q;
    unsigned dr = bit == DMA_CTRL_TX_EN ? DMA_TXD : DMA_RXD;
    unsigned cr = bit == DMA_CTRL_TX_EN ? DMA_TXC : DMA_RXC;
    if (!dir_quiescent(dma, bit)) {
        csr_error(dma, DMA_ERR_BAD_CTRL);
        return;
    }
    if (!ring_valid(dma, dr) || !ring_valid(dma, cr)) {
        csr_error(dma, DMA_ERR_BAD_BASE);
        return;
    }
    /* Fresh rings: every index 0, nothing cached. */
    q->ring[dr].head = q->ring[dr].tail = 0;
    q->ring[cr].head = q->ring[cr].tail = 0;
    if (bit == DMA_CTRL_TX_EN) {
        q->txd_fetch = 0; /* the descriptor cache is empty (dir_quiescent) */
    } else {
        q->rxd_fetch = 0;
        q->rxc_rd = q->rxc_wr; /* flush; rxc_rsv == rxc_wr (dir_quiescent) */
    }
    q->ctrl |= bit;
}

static void csr_write_q(struct dma *dma, enum dma_reg reg, uint32_t value);

void dma_csr_write(struct dma *dma, enum dma_reg reg, uint32_t value)
{
    /* The doorbell, once per post: a good tail write changes only that tail, in q and d. */
    if ((unsigned)reg < DMA_NREGS && dma_reg_info[reg].acc == ACC_DB &&
        dma_reg_field[reg].field == F_TAIL) {
        unsigned ring = dma_reg_field[reg].ring;
        if ((dma->q.ctrl & dir_enable_bit(ring)) && value < dma->q.ring[ring].size) {
            dma->q.ring[ring].tail = value;
            dma->d.ring[ring].tail = value;
            return;
        }
    }
    csr_write_q(dma, reg, value);
    regs_copy(&dma->d, &dma->q); /* d mirrors q between clock steps (dma_eval relies on it) */
}

static void csr_write_q(struct dma *dma, enum dma_reg reg, uint32_t value)
{
    struct dma_regs *q = &dma->q;
    if ((unsigned)reg >= DMA_NREGS || dma_reg_info[reg].acc == ACC_RO) {
        csr_error(dma, DMA_ERR_BAD_REG);
        return;
    }
    switch (reg) {
    case DMA_CTRL:
        if (value & ~(DMA_CTRL_TX_EN | DMA_CTRL_RX_EN)) {
            csr_error(dma, DMA_ERR_BAD_REG);
            return;
        }
        for (uint32_t bit = DMA_CTRL_TX_EN; bit <= DMA_CTRL_RX_EN; bit <<= 1) {
            if ((value & bit) && !(q->ctrl & bit))
                ctrl_enable(dma, bit);
            else if (!(value & bit))
                q->ctrl &= ~bit; /* stops new fetches; work in flight completes */
        }
        return;
    case DMA_INTR_CAUSE:
        q->intr_cause &= ~value;
        return;
    case DMA_INTR_MASK:
        q->intr_mask = value & (DMA_INTR_TX_CPL | DMA_INTR_RX_CPL | DMA_INTR_ERROR);
        return;
    case DMA_ERR_CAUSE:
        q->err_cause &= ~value;
        return;
    default:
        break;
    }
    unsigned ring = dma_reg_field[reg].ring;
    struct dma_ring_regs *r = &q->ring[ring];
    bool enabled = (q->ctrl & dir_enable_bit(ring)) != 0;
    uint8_t field = dma_reg_field[reg].field;
    if (field == F_TAIL) {
        if (!enabled || value >= r->size) {
            csr_error(dma, DMA_ERR_BAD_TAIL);
            return;
        }
        r->tail = value;
        return;
    }
    /* Geometry may change only while the direction is off: the fetch logic reads it live. */
    if (enabled) {
        csr_error(dma, DMA_ERR_BAD_REG);
        return;
    }
    switch (field) {
    case F_BASE_LO:
        r->base = (r->base & ~(uint64_t)UINT32_MAX) | value;
        break;
    case F_BASE_HI:
        r->base = (r->base & UINT32_MAX) | (uint64_t)value << 32;
        break;
    case F_WB_LO:
        r->wb = (r->wb & ~(uint64_t)UINT32_MAX) | value;
        break;
    case F_WB_HI:
        r->wb = (r->wb & UINT32_MAX) | (uint64_t)value << 32;
        break;
    case F_SIZE:
        if (value < 2 || value > DMA_RING_MAX || (value & (value - 1))) {
            csr_error(dma, DMA_ERR_BAD_SIZE);
            return;
        }
        r->size = value;
        break;
    default:
        csr_error(dma, DMA_ERR_BAD_REG);
        break;
    }
}

uint32_t dma_csr_read(struct dma *dma, enum dma_reg reg)
{
    const struct dma_regs *q = &dma->q;
    switch (reg) {
    case DMA_CTRL:
        return q->ctrl;
    case DMA_INTR_CAUSE:
        return q->intr_cause;
    case DMA_INTR_MASK:
        return q->intr_mask;
    case DMA_INTR_STATUS:
        return q->intr_cause & q->intr_mask;
    case DMA_ERR_CAUSE:
        return q->err_cause;
    default:
        break;
    }
    if ((unsigned)reg >= DMA_NREGS) {
        csr_error(dma, DMA_ERR_BAD_REG);
        return 0;
    }
    const struct dma_ring_regs *r = &q->ring[dma_reg_field[reg].ring];
    switch (dma_reg_field[reg].field) {
    case F_BASE_LO: return (uint32_t)r->base;
    case F_BASE_HI: return (uint32_t)(r->base >> 32);
    case F_SIZE: return r->size;
    case F_HEAD: return r->head;
    case F_TAIL: return r->tail;
    case F_WB_LO: return (uint32_t)r->wb;
    case F_WB_HI: return (uint32_t)(r->wb >> 32);
    default: return 0;
    }
}

bool dma_irq(const struct dma *dma)
{
    return (dma->q.intr_cause & dma->q.intr_mask) != 0;
}

const struct dma_stats *dma_get_stats(const struct dma *dma)
{
    return &dma->stats;
}

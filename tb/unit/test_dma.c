/* test_dma.c - the dma block in a sim: rings in a malloc'd, guarded host memory block, a tiny
 * pipeline stand-in that takes TX tokens and returns them (optionally out of order, optionally
 * dropped) after a hold time, RX tokens injected between clock steps.
 * Checks: byte-exact frames, in-order completions, error completions and counters, CSR errors,
 * no DMA outside registered memory (guard bytes), RX drops, TX descriptor batching (ring wrap,
 * bad descriptors inside a batch, doorbells during a batch read, disable), RX descriptor
 * prefetch batching (ring wrap, faults inside a batch, cache depth), and the timing
 * formulas of docs/dma.md (lone packet, bandwidth- and latency-bound streams, idle skipping). */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dma.h"
#include "nicsim/nicsim.h"

#define MEM_IOVA 0x40000000ull
#define MEM_LEN (1u << 20)
#define GUARD 4096u
#define GUARD_BYTE 0xa5
#define OFF_TXD 0xd0000u /* up to 1024 descriptors */
#define OFF_TXC 0xd8000u /* up to 1024 completions */
#define OFF_RXD 0x4000u
#define OFF_RXC 0x6000u
#define OFF_TXWB 0x7f00u
#define OFF_RXWB 0x7f40u
#define OFF_FRAMES 0x10000u
#define OFF_RXBUF 0x80000u
#define SLOT 0x2800u /* one frame/buffer slot, > 9216 */
#define NSLOTS 32u
#define MAXREC 1024u

struct held {
    struct pkt *p;
    uint64_t at;
};

/* The pipeline stand-in: a sim block with private state (test code, not a model block). */
struct cons {
    struct tb *tb;
    uint64_t hold_default;
    uint64_t hold[MAXREC];   /* per id, if nonzero                                      */
    uint8_t drop[MAXREC];    /* per id: pkt->drop to return                            */
    struct held held[64];
    unsigned nheld;
    unsigned n;              /* arrivals                                                */
    uint64_t arr_cycle[MAXREC];
    uint32_t arr_id[MAXREC], arr_cookie[MAXREC];
    bool arr_data_ok[MAXREC];
    bool arr_has_sa[MAXREC];
    uint16_t arr_sa[MAXREC];
    unsigned nret;
    uint32_t ret_id[MAXREC]; /* order in which tokens went back                         */
    uint32_t max_in_use;     /* most pool buffers held at once                          */
    uint64_t release_at;     /* if nonzero: hold every token at least until this cycle  */
};

struct tb {
    struct sim sim;
    struct host_mem hm;
    struct pkt_pool pool;
    struct dma dma;
    struct fifo tx_done, rx_in;
    struct cons cons;
    uint8_t *raw, *mem;
    uint32_t txd_size, txc_size, rxd_size, rxc_size;
};

struct tb_opts {
    uint32_t lat, bw_num, bw_den, max_reads, pool, mtu;
    uint32_t txd_batch, txd_cache; /* 0 = dma defaults */
    uint32_t rxd_batch, rxd_cache; /* 0 = dma defaults */
    uint32_t txd_size, txc_size, rxd_size, rxc_size;
    bool no_wb;
};

static const struct tb_opts defaults = {
    .lat = 100, .bw_num = 32, .bw_den = 1, .max_reads = 16, .pool = 32, .mtu = 9216,
    .txd_size = 64, .txc_size = 64, .rxd_size = 64, .rxc_size = 64,
};

/* ---- pipeline stand-in ------------------------------------------------------------------ */
static void cons_eval(void *self, uint64_t now)
{
    struct cons *c = self;
    struct dma *dma = &c->tb->dma;
    if (pkt_pool_in_use(&c->tb->pool) > c->max_in_use)
        c->max_in_use = pkt_pool_in_use(&c->tb->pool);
    struct pkt *p = fifo_peek(&dma->tx_out, now);
    if (p && c->nheld < 64 && c->n < MAXREC) {
        fifo_pop(&dma->tx_out);
        unsigned k = c->n++;
        c->arr_cycle[k] = now;
        c->arr_id[k] = p->id;
        c->arr_cookie[k] = p->cookie;
        c->arr_has_sa[k] = p->has_sa;
        c->arr_sa[k] = p->sa;
        /* Frames are posted at OFF_FRAMES + cookie * SLOT (see post_tx). */
        const uint8_t *want = c->tb->mem + OFF_FRAMES + (p->cookie % NSLOTS) * SLOT;
        c->arr_data_ok[k] = memcmp(p->data, want, p->len) == 0;
        uint64_t h = p->id < MAXREC && c->hold[p->id] ? c->hold[p->id] : c->hold_default;
        if (p->id < MAXREC)
            p->drop = c->drop[p->id];
        uint64_t at = now + h > c->release_at ? now + h : c->release_at;
        c->held[c->nheld++] = (struct held){p, at};
    }
    /* Return the earliest-due token (ties: lowest id): out of order when holds differ. */
    int best = -1;
    for (unsigned i = 0; i < c->nheld; i++) {
        if (c->held[i].at > now)
            continue;
        if (best < 0 || c->held[i].at < c->held[best].at ||
            (c->held[i].at == c->held[best].at && c->held[i].p->id < c->held[best].p->id))
            best = (int)i;
    }
    if (best >= 0 && fifo_can_push(&c->tb->tx_done)) {
        struct pkt *r = c->held[best].p;
        c->ret_id[c->nret++ % MAXREC] = r->id;
        fifo_push(&c->tb->tx_done, r, now);
        c->held[best] = c->held[--c->nheld];
    }
}

static void cons_commit(void *self)
{
    struct cons *c = self;
    fifo_commit(&c->tb->tx_done);
}

static uint64_t cons_next_event(const void *self, uint64_t now)
{
    const struct cons *c = self;
    uint64_t t = fifo_next_event(&c->tb->dma.tx_out, now);
    for (unsigned i = 0; i < c->nheld; i++) {
        uint64_t a = c->held[i].at > now ? c->held[i].at : now;
        if (a < t)
            t = a;
    }
    return t;
}

/* ---- bench ------------------------------------------------------------------------------ */
static uint64_t iova(uint32_t off) { return MEM_IOVA + off; }

static struct tb *tb_new(const struct tb_opts *o)
{
    struct tb *t = calloc(1, sizeof(*t));
    cr_assert_not_null(t);
    t->raw = malloc(MEM_LEN + 2 * GUARD);
    cr_assert_not_null(t->raw);
    memset(t->raw, GUARD_BYTE, MEM_LEN + 2 * GUARD);
    t->mem = t->raw + GUARD;
    memset(t->mem, 0, MEM_LEN);
    host_mem_init(&t->hm);
    cr_assert_eq(host_mem_register(&t->hm, MEM_IOVA, t->mem, MEM_LEN), 0);
    cr_assert_eq(pkt_pool_init(&t->pool, o->pool, 9216), 0);
    cr_assert_eq(fifo_init(&t->tx_done, 8), 0);
    cr_assert_eq(fifo_init(&t->rx_in, 8), 0);
    struct dma_cfg cfg = {.lat_cycles = o->lat, .bw_num = o->bw_num, .bw_den = o->bw_den,
                          .max_reads = o->max_reads, .mtu = o->mtu, .txd_batch = o->txd_batch,
                          .txd_cache = o->txd_cache, .rxd_batch = o->rxd_batch,
                          .rxd_cache = o->rxd_cache, .pool = &t->pool, .hm = &t->hm};
    cr_assert_eq(dma_init(&t->dma, &cfg, &t->tx_done, &t->rx_in), 0);
    t->cons.tb = t;
    t->cons.hold_default = 1;
    sim_init(&t->sim);
    cr_assert_eq(sim_add(&t->sim, &(struct sim_block)DMA_BLOCK(&t->dma)), 0);
    cr_assert_eq(sim_add(&t->sim, &(struct sim_block){"cons", &t->cons, cons_eval,
                                                       cons_commit, cons_next_event}),
                 0);
    cr_assert_eq(sim_add(&t->sim, &(struct sim_block)PKT_POOL_BLOCK(&t->pool)), 0);
    t->txd_size = o->txd_size;
    t->txc_size = o->txc_size;
    t->rxd_size = o->rxd_size;
    t->rxc_size = o->rxc_size;
    struct dma *d = &t->dma;
    dma_csr_write(d, DMA_TX_RING_BASE_LO, (uint32_t)iova(OFF_TXD));
    dma_csr_write(d, DMA_TX_RING_BASE_HI, (uint32_t)(iova(OFF_TXD) >> 32));
    dma_csr_write(d, DMA_TX_RING_SIZE, o->txd_size);
    dma_csr_write(d, DMA_TX_CPL_BASE_LO, (uint32_t)iova(OFF_TXC));
    dma_csr_write(d, DMA_TX_CPL_SIZE, o->txc_size);
    dma_csr_write(d, DMA_RX_RING_BASE_LO, (uint32_t)iova(OFF_RXD));
    dma_csr_write(d, DMA_RX_RING_SIZE, o->rxd_size);
    dma_csr_write(d, DMA_RX_CPL_BASE_LO, (uint32_t)iova(OFF_RXC));
    dma_csr_write(d, DMA_RX_CPL_SIZE, o->rxc_size);
    if (!o->no_wb) {
        dma_csr_write(d, DMA_TX_CPL_WB_LO, (uint32_t)iova(OFF_TXWB));
        dma_csr_write(d, DMA_RX_CPL_WB_LO, (uint32_t)iova(OFF_RXWB));
    }
    dma_csr_write(d, DMA_CTRL, DMA_CTRL_TX_EN | DMA_CTRL_RX_EN);
    cr_assert_eq(dma_csr_read(d, DMA_CTRL), DMA_CTRL_TX_EN | DMA_CTRL_RX_EN);
    cr_assert_eq(dma_get_stats(d)->csr_errors, 0);
    return t;
}

static void tb_guards_intact(const struct tb *t)
{
    for (size_t i = 0; i < GUARD; i++) {
        cr_assert_eq(t->raw[i], GUARD_BYTE, "guard before the region changed at -%zu", GUARD - i);
        cr_assert_eq(t->raw[GUARD + MEM_LEN + i], GUARD_BYTE, "guard after changed at +%zu", i);
    }
}

/* Every packet back in the pool, no protocol errors. */
static void tb_conserved(const struct tb *t)
{
    cr_assert_eq(pkt_pool_in_use(&t->pool), 0, "buffers still held: %u", pkt_pool_in_use(&t->pool));
    cr_assert_eq(t->pool.stats.double_put, 0);
    cr_assert_eq(t->pool.stats.bad_put, 0);
    cr_assert_eq(dma_get_stats(&t->dma)->port_errors, 0);
}

static void tb_free(struct tb *t)
{
    tb_guards_intact(t);
    dma_free(&t->dma);
    fifo_free(&t->tx_done);
    fifo_free(&t->rx_in);
    pkt_pool_free(&t->pool);
    free(t->raw);
    free(t);
}

/* Run until idle (bounded). */
static void tb_run(struct tb *t)
{
    cr_assert(sim_run(&t->sim, t->sim.cycle + 10000000), "device did not go idle");
}

/* Advance to the start of cycle `target`: every cycle < target has been evaluated if it had
 * an event, none >= target has. */
static void tb_run_to(struct tb *t, uint64_t target)
{
    while (t->sim.cycle < target) {
        uint64_t next = sim_next_event(&t->sim);
        if (next >= target) {
            t->sim.cycle = target;
            return;
        }
        if (next > t->sim.cycle)
            t->sim.cycle = next;
        sim_step(&t->sim);
    }
}

static void fill_frame(struct tb *t, uint32_t slot, uint32_t len)
{
    uint8_t *f = t->mem + OFF_FRAMES + slot * SLOT;
    for (uint32_t j = 0; j < len; j++)
        f[j] = (uint8_t)(slot * 7 + j * 13 + (j >> 8));
}

static void post_tx_raw(struct tb *t, uint32_t idx, uint64_t addr, uint32_t len, uint16_t flags,
                        uint32_t cookie, uint16_t sa)
{
    struct nic_tx_desc d = {.addr = addr, .len = len, .sa_handle = sa, .flags = flags,
                            .cookie = cookie, .seq_hi = 0};
    memcpy(t->mem + OFF_TXD + (idx % t->txd_size) * sizeof(d), &d, sizeof(d));
}

/* A valid descriptor for frame slot cookie % NSLOTS. */
static void post_tx(struct tb *t, uint32_t idx, uint32_t cookie, uint32_t len)
{
    fill_frame(t, cookie % NSLOTS, len);
    post_tx_raw(t, idx, iova(OFF_FRAMES + (cookie % NSLOTS) * SLOT), len, 0, cookie, 0);
}

static struct nic_tx_cpl txc_at(const struct tb *t, uint32_t i)
{
    struct nic_tx_cpl c;
    memcpy(&c, t->mem + OFF_TXC + (i % t->txc_size) * sizeof(c), sizeof(c));
    return c;
}

static struct nic_rx_cpl rxc_at(const struct tb *t, uint32_t i)
{
    struct nic_rx_cpl c;
    memcpy(&c, t->mem + OFF_RXC + (i % t->rxc_size) * sizeof(c), sizeof(c));
    return c;
}

static uint32_t wb_at(const struct tb *t, uint32_t off)
{
    uint32_t v;
    memcpy(&v, t->mem + off, sizeof(v));
    return v;
}

static uint64_t X(const struct tb *t, uint64_t bytes) { return dma_xfer_cycles(&t->dma.cfg, bytes); }

static void post_rx(struct tb *t, uint32_t idx, uint64_t addr, uint32_t buf_len)
{
    struct nic_rx_desc d = {.addr = addr, .buf_len = buf_len};
    memcpy(t->mem + OFF_RXD + (idx % t->rxd_size) * sizeof(d), &d, sizeof(d));
}

static uint64_t rxbuf(uint32_t i) { return iova(OFF_RXBUF + i * SLOT); }

/* ---- TX ----------------------------------------------------------------------------------- */
Test(dma_tx, lone_frame_exact_timing_and_commit_order)
{
    struct tb *t = tb_new(&defaults);
    const uint64_t L = 100, k = 5, len = 1500;
    t->cons.hold_default = k;
    post_tx(t, 0, 0, len);
    dma_csr_write(&t->dma, DMA_INTR_MASK, DMA_INTR_TX_CPL);
    uint64_t c = t->sim.cycle;
    dma_csr_write(&t->dma, DMA_TX_RING_TAIL, 1);
    /* docs/dma.md: ready = c + 2L + x(32) + x(len) */
    uint64_t ready = c + 2 * L + X(t, 32) + X(t, len);
    cr_assert_eq(ready, c + 248);
    tb_run_to(t, ready + 1);
    cr_assert_eq(t->cons.n, 1);
    cr_assert_eq(t->cons.arr_cycle[0], ready);
    cr_assert(t->cons.arr_data_ok[0], "frame bytes differ");
    /* Fetched is not done: the host-visible indices have not moved. */
    cr_assert_eq(dma_csr_read(&t->dma, DMA_TX_RING_HEAD), 0);
    cr_assert_eq(dma_csr_read(&t->dma, DMA_TX_CPL_HEAD), 0);
    cr_assert_not(dma_irq(&t->dma));
    /* Returned at ready+k, in the ROB at ready+k+1, job starts ready+k+2, lands after
     * x(16) + x(4) cycles. */
    uint64_t land = ready + k + 2 + X(t, 16) + X(t, 4);
    tb_run_to(t, land);
    cr_assert_eq(dma_csr_read(&t->dma, DMA_TX_CPL_HEAD), 0);
    cr_assert_eq(wb_at(t, OFF_TXWB), 0);
    tb_run_to(t, land + 1);
    cr_assert_eq(dma_csr_read(&t->dma, DMA_TX_CPL_HEAD), 1);
    cr_assert_eq(dma_csr_read(&t->dma, DMA_TX_RING_HEAD), 1);
    cr_assert_eq(wb_at(t, OFF_TXWB), 1);
    cr_assert(dma_irq(&t->dma));
    tb_run(t);
    struct nic_tx_cpl cp = txc_at(t, 0);
    cr_assert_eq(cp.cookie, 0);
    cr_assert_eq(cp.status, NIC_TXS_OK);
    cr_assert_eq(cp.wire_len, len);
    /* W1C */
    dma_csr_write(&t->dma, DMA_INTR_CAUSE, 0);
    cr_assert(dma_irq(&t->dma));
    dma_csr_write(&t->dma, DMA_INTR_CAUSE, DMA_INTR_TX_CPL);
    cr_assert_not(dma_irq(&t->dma));
    const struct dma_stats *s = dma_get_stats(&t->dma);
    cr_assert_eq(s->tx_desc_fetched, 1);
    cr_assert_eq(s->tx_cpl_written, 1);
    cr_assert_eq(s->bytes_read, 32 + len);
    cr_assert_eq(s->bytes_written, 16 + 4);
    tb_conserved(t);
    tb_free(t);
}

Test(dma_tx, idle_cycles_are_skipped)
{
    struct tb_opts o = defaults;
    o.lat = 50000;
    struct tb *t = tb_new(&o);
    post_tx(t, 0, 0, 64);
    dma_csr_write(&t->dma, DMA_TX_RING_TAIL, 1);
    tb_run(t);
    cr_assert_eq(t->cons.n, 1);
    cr_assert_eq(t->cons.arr_cycle[0], 2 * 50000 + X(t, 32) + X(t, 64));
    cr_assert_gt(t->sim.cycle, 100000);
    cr_assert_lt(t->sim.steps, 20, "%llu steps for %llu cycles",
                 (unsigned long long)t->sim.steps, (unsigned long long)t->sim.cycle);
    tb_conserved(t);
    tb_free(t);
}

Test(dma_tx, completions_in_order_when_pipeline_reorders)
{
    struct tb *t = tb_new(&defaults);
    const unsigned n = 8;
    for (unsigned i = 0; i < n; i++) {
        post_tx(t, i, 100 + i, 200 + 50 * i);
        t->cons.hold[i] = 400 - 40 * i; /* later packets come back first */
    }
    t->cons.drop[3] = NIC_DROP_NO_SA;
    t->cons.drop[5] = NIC_DROP_BAD_SYNTAX;
    dma_csr_write(&t->dma, DMA_TX_RING_TAIL, n);
    tb_run(t);
    cr_assert_eq(t->cons.n, n);
    bool reordered = false;
    for (unsigned i = 0; i < n; i++) {
        cr_assert_eq(t->cons.arr_cookie[i], 100 + i);
        cr_assert_eq(t->cons.arr_id[i], i);
        cr_assert(t->cons.arr_data_ok[i]);
        if (t->cons.ret_id[i] != i)
            reordered = true;
    }
    cr_assert(reordered, "the stand-in should have returned tokens out of order");
    for (unsigned i = 0; i < n; i++) {
        struct nic_tx_cpl c = txc_at(t, i);
        cr_assert_eq(c.cookie, 100 + i, "completion %u has cookie %u", i, c.cookie);
        uint16_t want = i == 3 ? NIC_TXS_NO_SA : i == 5 ? NIC_TXS_BAD_PACKET : NIC_TXS_OK;
        cr_assert_eq(c.status, want);
        cr_assert_eq(c.wire_len, want == NIC_TXS_OK ? 200 + 50 * i : 0);
    }
    cr_assert_eq(dma_csr_read(&t->dma, DMA_TX_RING_HEAD), n);
    cr_assert_eq(dma_csr_read(&t->dma, DMA_TX_CPL_HEAD), n);
    cr_assert_eq(wb_at(t, OFF_TXWB), n);
    cr_assert_eq(dma_get_stats(&t->dma)->tx_ok, n - 2);
    tb_conserved(t);
    tb_free(t);
}

Test(dma_tx, bad_descriptors_complete_in_order_with_errors)
{
    struct tb *t = tb_new(&defaults);
    uint64_t end = MEM_IOVA + MEM_LEN;
    post_tx(t, 0, 0, 100);
    post_tx_raw(t, 1, end - 10, 100, 0, 1, 0);             /* runs past the region  */
    post_tx_raw(t, 2, iova(OFF_FRAMES), 0, 0, 2, 0);       /* len 0                 */
    post_tx(t, 3, 3, 1000);
    post_tx_raw(t, 4, iova(OFF_FRAMES), 9217, 0, 4, 0);    /* len > mtu             */
    post_tx_raw(t, 5, iova(OFF_FRAMES), 64, 0x8000, 5, 0); /* unknown flag          */
    post_tx_raw(t, 6, MEM_IOVA - 64, 64, 0, 6, 0);         /* in the guard before   */
    post_tx_raw(t, 7, UINT64_MAX - 10, 100, 0, 7, 0);      /* iova + len wraps      */
    fill_frame(t, 8, 300);
    post_tx_raw(t, 8, iova(OFF_FRAMES + 8 * SLOT), 300, NIC_TXF_IPSEC, 8, 42);
    dma_csr_write(&t->dma, DMA_TX_RING_TAIL, 9);
    tb_run(t);
    /* Only the valid ones reached the pipeline. */
    cr_assert_eq(t->cons.n, 3);
    cr_assert_eq(t->cons.arr_cookie[0], 0);
    cr_assert_eq(t->cons.arr_cookie[1], 3);
    cr_assert_eq(t->cons.arr_cookie[2], 8);
    cr_assert(t->cons.arr_has_sa[2]);
    cr_assert_eq(t->cons.arr_sa[2], 42);
    cr_assert_not(t->cons.arr_has_sa[0]);
    static const uint16_t want[9] = {NIC_TXS_OK,        NIC_TXS_DMA_ERROR, NIC_TXS_BAD_DESC,
                                     NIC_TXS_OK,        NIC_TXS_BAD_DESC,  NIC_TXS_BAD_DESC,
                                     NIC_TXS_DMA_ERROR, NIC_TXS_DMA_ERROR, NIC_TXS_OK};
    for (unsigned i = 0; i < 9; i++) {
        struct nic_tx_cpl c = txc_at(t, i);
        cr_assert_eq(c.cookie, i);
        cr_assert_eq(c.status, want[i], "descriptor %u: status %u, want %u", i, c.status, want[i]);
    }
    cr_assert_eq(txc_at(t, 8).sa_handle, 42);
    const struct dma_stats *s = dma_get_stats(&t->dma);
    cr_assert_eq(s->tx_desc_fetched, 9);
    cr_assert_eq(s->tx_dma_error, 3);
    cr_assert_eq(s->tx_bad_desc, 3);
    cr_assert_eq(s->tx_cpl_written, 9);
    uint32_t err = dma_csr_read(&t->dma, DMA_ERR_CAUSE);
    cr_assert_eq(err, DMA_ERR_TX_DMA | DMA_ERR_TX_DESC);
    cr_assert(dma_csr_read(&t->dma, DMA_INTR_CAUSE) & DMA_INTR_ERROR);
    cr_assert_eq(t->hm.faults, 3);
    tb_conserved(t);
    tb_free(t);
}

Test(dma_tx, descriptor_ring_unregistered_after_enable)
{
    struct tb_opts o = defaults;
    struct tb *t = tb_new(&o);
    /* Move the TX descriptor ring into its own region, enable, then pull the region. */
    static uint8_t ring[64 * 32];
    const uint64_t ring_iova = 0x900000000ull;
    cr_assert_eq(host_mem_register(&t->hm, ring_iova, ring, sizeof(ring)), 0);
    dma_csr_write(&t->dma, DMA_CTRL, DMA_CTRL_RX_EN);
    dma_csr_write(&t->dma, DMA_TX_RING_BASE_LO, (uint32_t)ring_iova);
    dma_csr_write(&t->dma, DMA_TX_RING_BASE_HI, (uint32_t)(ring_iova >> 32));
    dma_csr_write(&t->dma, DMA_CTRL, DMA_CTRL_RX_EN | DMA_CTRL_TX_EN);
    cr_assert_eq(dma_get_stats(&t->dma)->csr_errors, 0);
    cr_assert_eq(host_mem_unregister(&t->hm, ring_iova), 0);
    dma_csr_write(&t->dma, DMA_TX_RING_TAIL, 2);
    tb_run(t);
    cr_assert_eq(t->cons.n, 0);
    for (unsigned i = 0; i < 2; i++)
        cr_assert_eq(txc_at(t, i).status, NIC_TXS_DMA_ERROR);
    cr_assert_eq(dma_get_stats(&t->dma)->tx_dma_error, 2);
    cr_assert_eq(dma_get_stats(&t->dma)->tx_desc_fetched, 0);
    cr_assert_eq(dma_csr_read(&t->dma, DMA_TX_RING_HEAD), 2);
    tb_conserved(t);
    tb_free(t);
}

Test(dma_tx, pool_backpressure_and_ring_wrap)
{
    struct tb_opts o = defaults;
    o.pool = 2;
    o.txd_size = 8;
    o.txc_size = 8;
    struct tb *t = tb_new(&o);
    t->cons.hold_default = 50;
    uint32_t posted = 0;
    for (unsigned batch = 0; batch < 5; batch++) {
        for (unsigned j = 0; j < 5; j++, posted++)
            post_tx(t, posted % 8, posted, 64 + posted);
        dma_csr_write(&t->dma, DMA_TX_RING_TAIL, posted % 8);
        tb_run(t);
        cr_assert_eq(t->cons.n, posted);
        cr_assert_eq(dma_csr_read(&t->dma, DMA_TX_RING_HEAD), posted % 8);
        cr_assert_eq(dma_csr_read(&t->dma, DMA_TX_CPL_HEAD), posted % 8);
        for (unsigned j = posted - 5; j < posted; j++)
            cr_assert_eq(txc_at(t, j).cookie, j);
        /* The driver consumed them. */
        dma_csr_write(&t->dma, DMA_TX_CPL_TAIL, posted % 8);
    }
    for (unsigned i = 0; i < posted; i++) {
        cr_assert(t->cons.arr_data_ok[i]);
        cr_assert_eq(t->cons.arr_id[i], i);
    }
    /* The 2-buffer pool, not the ring or the read limit, bounded the packets in flight. */
    cr_assert_eq(t->cons.max_in_use, 2);
    tb_conserved(t);
    tb_free(t);
}

static void cpl_ring_full(uint64_t release_at)
{
    struct tb_opts o = defaults;
    o.txc_size = 4; /* holds 3 */
    struct tb *t = tb_new(&o);
    t->cons.release_at = release_at;
    for (unsigned i = 0; i < 6; i++)
        post_tx(t, i, i, 128);
    dma_csr_write(&t->dma, DMA_TX_RING_TAIL, 6);
    tb_run(t);
    cr_assert_eq(dma_get_stats(&t->dma)->tx_cpl_written, 3);
    cr_assert_eq(dma_csr_read(&t->dma, DMA_TX_CPL_HEAD), 3);
    cr_assert_eq(dma_csr_read(&t->dma, DMA_TX_RING_HEAD), 3);
    cr_assert_eq(wb_at(t, OFF_TXWB), 3);
    dma_csr_write(&t->dma, DMA_TX_CPL_TAIL, 3);
    tb_run(t);
    cr_assert_eq(dma_get_stats(&t->dma)->tx_cpl_written, 6);
    cr_assert_eq(dma_csr_read(&t->dma, DMA_TX_CPL_HEAD), 2);
    cr_assert_eq(dma_csr_read(&t->dma, DMA_TX_RING_HEAD), 6);
    cr_assert_eq(txc_at(t, 3).cookie, 3);
    cr_assert_eq(txc_at(t, 4).cookie, 4);
    cr_assert_eq(txc_at(t, 5).cookie, 5);
    tb_conserved(t);
    tb_free(t);
}

Test(dma_tx, completion_ring_full_stalls_until_driver_consumes)
{
    cpl_ring_full(0);    /* completions trickle in, one job at a time            */
    cpl_ring_full(2000); /* all back at once: jobs back to back, landing + start */
}

Test(dma_tx, unexpected_done_token_is_counted_not_freed)
{
    struct tb *t = tb_new(&defaults);
    struct pkt *p = pkt_pool_get(&t->pool);
    p->dir = PKT_TX;
    p->id = 77; /* never fetched */
    fifo_push(&t->tx_done, p, t->sim.cycle);
    fifo_commit(&t->tx_done);
    tb_run(t);
    cr_assert_eq(dma_get_stats(&t->dma)->port_errors, 1);
    cr_assert(dma_csr_read(&t->dma, DMA_ERR_CAUSE) & DMA_ERR_PORT);
    cr_assert_eq(pkt_pool_in_use(&t->pool), 1); /* still the caller's */
    cr_assert_eq(pkt_pool_put(&t->pool, p), 0);
    pkt_pool_commit(&t->pool);
    tb_free(t);
}

/* dma.h: dma commits an input FIFO at an edge where it popped from it, and leaves the
 * producer's pushes to the producer's own commit. */
Test(dma_tx, done_fifo_committed_by_dma_only_when_it_pops)
{
    struct tb *t = tb_new(&defaults);
    struct dma *d = &t->dma;
    struct pkt *p = pkt_pool_get(&t->pool);
    p->dir = PKT_TX;
    p->id = 77; /* never fetched: taken, counted, left alone */
    uint64_t now = t->sim.cycle;
    fifo_push(&t->tx_done, p, now); /* pushed, not yet committed by its producer */
    dma_eval(d, now);
    dma_commit(d);
    cr_assert_eq(t->tx_done.wr_q, 0, "dma committed a push it did not make");
    cr_assert_eq(t->tx_done.wr_d, 1);
    cr_assert_eq(dma_port_changes(d), 0);
    cr_assert_eq(dma_get_stats(d)->port_errors, 0);
    fifo_commit(&t->tx_done); /* the producer's edge */
    dma_eval(d, now + 1);
    dma_commit(d);
    cr_assert(fifo_empty_q(&t->tx_done), "dma did not commit its pop");
    cr_assert_eq(t->tx_done.rd_q, 1);
    cr_assert_eq(dma_port_changes(d) & DMA_PORT_TX_DONE, DMA_PORT_TX_DONE);
    cr_assert_eq(dma_get_stats(d)->port_errors, 1);
    cr_assert_eq(pkt_pool_put(&t->pool, p), 0);
    pkt_pool_commit(&t->pool);
    tb_free(t);
}

/* ---- TX descriptor batching --------------------------------------------------------------- */
Test(dma_batch, one_read_per_batch_and_counters)
{
    struct tb *t = tb_new(&defaults); /* txd_batch 0 = 8 */
    const uint64_t L = 100, len = 200;
    for (unsigned i = 0; i < 20; i++)
        post_tx(t, i, i, len);
    uint64_t c = t->sim.cycle;
    dma_csr_write(&t->dma, DMA_TX_RING_TAIL, 20);
    tb_run(t);
    const struct dma_stats *s = dma_get_stats(&t->dma);
    /* 20 descriptors: reads of 8, 8 and 4, each one request of 32 k bytes. */
    cr_assert_eq(s->tx_desc_reads, 3);
    cr_assert_eq(s->tx_desc_fetched, 20);
    cr_assert_eq(s->bytes_read, 20 * (32 + len));
    cr_assert_eq(t->cons.n, 20);
    /* The first frame waits for the whole first batch: c + 2L + x(256) + x(len). */
    cr_assert_eq(t->cons.arr_cycle[0], c + 2 * L + X(t, 8 * 32) + X(t, len));
    for (unsigned i = 0; i < 20; i++) {
        cr_assert_eq(t->cons.arr_cookie[i], i);
        cr_assert(t->cons.arr_data_ok[i]);
        cr_assert_eq(txc_at(t, i).cookie, i);
        cr_assert_eq(txc_at(t, i).status, NIC_TXS_OK);
    }
    cr_assert_eq(dma_csr_read(&t->dma, DMA_TX_RING_HEAD), 20);
    /* A lone doorbell reads just what was posted. */
    post_tx(t, 20, 20, len);
    c = t->sim.cycle;
    dma_csr_write(&t->dma, DMA_TX_RING_TAIL, 21);
    tb_run(t);
    cr_assert_eq(s->tx_desc_reads, 4);
    cr_assert_eq(t->cons.arr_cycle[20], c + 2 * L + X(t, 32) + X(t, len));
    tb_conserved(t);
    tb_free(t);
}

Test(dma_batch, lone_packet_behind_rx_prefetch)
{
    /* docs/dma.md: RX descriptor batch reads issue first (one per cycle); the TX descriptor
     * read issues after them and its data queues behind theirs:
     * ready = c + 2L + sum x(16 k_i) + x(32) + x(len). 20 posted, rxd_cache = 8 + max(8, 16)
     * = 24: reads of 8, 8 and 4 at c .. c+2 (the old one-per-read model: 8 reads of 16 B). */
    struct tb *t = tb_new(&defaults);
    const uint64_t L = 100, len = 1500;
    cr_assert_eq(t->dma.cfg.rxd_cache, 24);
    for (uint32_t i = 0; i < 20; i++)
        post_rx(t, i, rxbuf(i % 4), 2048);
    post_tx(t, 0, 0, len);
    uint64_t c = t->sim.cycle;
    dma_csr_write(&t->dma, DMA_RX_RING_TAIL, 20);
    dma_csr_write(&t->dma, DMA_TX_RING_TAIL, 1);
    tb_run(t);
    cr_assert_eq(t->cons.n, 1);
    uint64_t rx_beats = 2 * X(t, 8 * 16) + X(t, 4 * 16);
    cr_assert_eq(t->cons.arr_cycle[0], c + 2 * L + rx_beats + X(t, 32) + X(t, len));
    cr_assert_eq(dma_get_stats(&t->dma)->rx_desc_fetched, 20);
    cr_assert_eq(dma_get_stats(&t->dma)->rx_desc_reads, 3);
    tb_conserved(t);
    tb_free(t);
}

Test(dma_batch, ring_wrap_splits_a_batch)
{
    struct tb_opts o = defaults;
    o.txd_size = 16;
    o.txc_size = 16;
    struct tb *t = tb_new(&o);
    const uint64_t L = 100, len = 64;
    /* Move the fetch index to 12. */
    for (unsigned i = 0; i < 12; i++)
        post_tx(t, i, i, len);
    dma_csr_write(&t->dma, DMA_TX_RING_TAIL, 12);
    tb_run(t);
    dma_csr_write(&t->dma, DMA_TX_CPL_TAIL, 12);
    const struct dma_stats *s = dma_get_stats(&t->dma);
    uint64_t reads0 = s->tx_desc_reads;
    cr_assert_eq(reads0, 2); /* 8 + 4 */
    /* Eight more, ring positions 12..15 and 0..3: one read each side of the wrap. */
    for (unsigned i = 12; i < 20; i++)
        post_tx(t, i, i, len);
    uint64_t c = t->sim.cycle;
    dma_csr_write(&t->dma, DMA_TX_RING_TAIL, 4);
    tb_run(t);
    cr_assert_eq(s->tx_desc_reads, reads0 + 2);
    /* First read: 4 descriptors (x(128)), issued at c; the second issues at c + 1. */
    cr_assert_eq(t->cons.arr_cycle[12], c + 2 * L + X(t, 4 * 32) + X(t, len));
    uint64_t d1 = c + L + X(t, 128);
    uint64_t d2 = (c + 1 + L > d1 ? c + 1 + L : d1) + X(t, 128);
    /* Frame 16 issues when the second batch arrives (d2), behind frames 12..15. */
    uint64_t busy = d1 + L + 4 * X(t, len);
    cr_assert_eq(t->cons.arr_cycle[16], (d2 + L > busy ? d2 + L : busy) + X(t, len));
    for (unsigned i = 0; i < 20; i++) {
        cr_assert_eq(t->cons.arr_cookie[i], i);
        cr_assert(t->cons.arr_data_ok[i]);
        if (i >= 4) /* 0..3 were overwritten by 16..19 */
            cr_assert_eq(txc_at(t, i).cookie, i);
    }
    cr_assert_eq(dma_csr_read(&t->dma, DMA_TX_RING_HEAD), 4);
    cr_assert_eq(dma_csr_read(&t->dma, DMA_TX_CPL_HEAD), 4);
    cr_assert_eq(s->tx_desc_fetched, 20);
    tb_conserved(t);
    tb_free(t);
}

Test(dma_batch, bad_descriptors_inside_a_batch_complete_in_order)
{
    struct tb *t = tb_new(&defaults);
    uint64_t end = MEM_IOVA + MEM_LEN;
    post_tx(t, 0, 0, 100);
    post_tx(t, 1, 1, 100);
    post_tx_raw(t, 2, iova(OFF_FRAMES), 0, 0, 2, 0);       /* len 0: no read           */
    post_tx(t, 3, 3, 1000);
    post_tx_raw(t, 4, end - 10, 100, 0, 4, 0);             /* frame runs past memory  */
    post_tx_raw(t, 5, iova(OFF_FRAMES), 64, 0x4000, 5, 0); /* unknown flag            */
    post_tx(t, 6, 6, 300);
    post_tx(t, 7, 7, 64);
    dma_csr_write(&t->dma, DMA_TX_RING_TAIL, 8);
    tb_run(t);
    const struct dma_stats *s = dma_get_stats(&t->dma);
    cr_assert_eq(s->tx_desc_reads, 1);
    cr_assert_eq(t->cons.n, 5);
    static const uint32_t good[5] = {0, 1, 3, 6, 7};
    for (unsigned i = 0; i < 5; i++) {
        cr_assert_eq(t->cons.arr_cookie[i], good[i]);
        cr_assert_eq(t->cons.arr_id[i], good[i]); /* ids follow the ring, errors included */
        cr_assert(t->cons.arr_data_ok[i]);
    }
    static const uint16_t want[8] = {NIC_TXS_OK, NIC_TXS_OK,        NIC_TXS_BAD_DESC, NIC_TXS_OK,
                                     NIC_TXS_DMA_ERROR, NIC_TXS_BAD_DESC, NIC_TXS_OK, NIC_TXS_OK};
    for (unsigned i = 0; i < 8; i++) {
        cr_assert_eq(txc_at(t, i).cookie, i);
        cr_assert_eq(txc_at(t, i).status, want[i], "descriptor %u", i);
    }
    cr_assert_eq(s->tx_bad_desc, 2);
    cr_assert_eq(s->tx_dma_error, 1);
    cr_assert_eq(t->hm.faults, 1);
    cr_assert_eq(dma_csr_read(&t->dma, DMA_TX_RING_HEAD), 8);
    tb_conserved(t);
    tb_free(t);
}

Test(dma_batch, descriptor_fault_is_per_descriptor)
{
    /* The ring's region is replaced by one that covers only its first 3 descriptors: one batch
     * read of 8 returns 3 good descriptors and 5 faults, each completed in its place. */
    struct tb *t = tb_new(&defaults);
    static uint8_t ring[64 * 32];
    const uint64_t ring_iova = 0x900000000ull;
    cr_assert_eq(host_mem_register(&t->hm, ring_iova, ring, sizeof(ring)), 0);
    dma_csr_write(&t->dma, DMA_CTRL, DMA_CTRL_RX_EN);
    dma_csr_write(&t->dma, DMA_TX_RING_BASE_LO, (uint32_t)ring_iova);
    dma_csr_write(&t->dma, DMA_TX_RING_BASE_HI, (uint32_t)(ring_iova >> 32));
    dma_csr_write(&t->dma, DMA_CTRL, DMA_CTRL_RX_EN | DMA_CTRL_TX_EN);
    cr_assert_eq(dma_get_stats(&t->dma)->csr_errors, 0);
    for (unsigned i = 0; i < 8; i++) {
        fill_frame(t, i, 100);
        struct nic_tx_desc d = {.addr = iova(OFF_FRAMES + i * SLOT), .len = 100, .cookie = i};
        memcpy(ring + i * 32, &d, sizeof(d));
    }
    cr_assert_eq(host_mem_unregister(&t->hm, ring_iova), 0);
    cr_assert_eq(host_mem_register(&t->hm, ring_iova, ring, 3 * 32), 0);
    dma_csr_write(&t->dma, DMA_TX_RING_TAIL, 8);
    tb_run(t);
    const struct dma_stats *s = dma_get_stats(&t->dma);
    cr_assert_eq(s->tx_desc_reads, 1);
    cr_assert_eq(s->tx_desc_fetched, 3);
    cr_assert_eq(s->tx_dma_error, 5);
    cr_assert_eq(t->cons.n, 3);
    for (unsigned i = 0; i < 8; i++) {
        struct nic_tx_cpl c = txc_at(t, i);
        cr_assert_eq(c.status, i < 3 ? NIC_TXS_OK : NIC_TXS_DMA_ERROR, "descriptor %u", i);
        if (i < 3)
            cr_assert_eq(c.cookie, i);
    }
    cr_assert_eq(dma_csr_read(&t->dma, DMA_TX_RING_HEAD), 8);
    cr_assert(dma_csr_read(&t->dma, DMA_ERR_CAUSE) & DMA_ERR_TX_DMA);
    tb_conserved(t);
    tb_free(t);
}

Test(dma_batch, tail_moves_while_a_batch_read_is_outstanding)
{
    struct tb *t = tb_new(&defaults);
    const uint64_t L = 100, len = 64;
    for (unsigned i = 0; i < 11; i++)
        post_tx(t, i, i, len);
    uint64_t c = t->sim.cycle;
    dma_csr_write(&t->dma, DMA_TX_RING_TAIL, 3); /* read of 3 issued at c */
    tb_run_to(t, c + 10);
    const struct dma_stats *s = dma_get_stats(&t->dma);
    cr_assert_eq(s->tx_desc_reads, 1);
    cr_assert_eq(t->cons.n, 0);
    dma_csr_write(&t->dma, DMA_TX_RING_TAIL, 11); /* read of 8 (3..10) issued at c + 10 */
    tb_run(t);
    cr_assert_eq(s->tx_desc_reads, 2);
    cr_assert_eq(t->cons.n, 11);
    for (unsigned i = 0; i < 11; i++) {
        cr_assert_eq(t->cons.arr_cookie[i], i);
        cr_assert(t->cons.arr_data_ok[i]);
        cr_assert_eq(txc_at(t, i).cookie, i);
    }
    /* Batch 1 arrives at c + L + x(96); its frames issue in that cycle and the next two. */
    uint64_t b1 = c + L + X(t, 96);
    cr_assert_eq(t->cons.arr_cycle[0], b1 + L + X(t, len));
    /* Batch 2 (issued at c + 10 behind batch 1's data) arrives at b2; the frame of descriptor
     * 3 issues then and queues behind the three frames of batch 1. */
    uint64_t t2 = c + 10;
    uint64_t b2 = (t2 + L > b1 ? t2 + L : b1) + X(t, 8 * 32);
    uint64_t busy = b1 + L + 3 * X(t, len);
    cr_assert_eq(t->cons.arr_cycle[3], (b2 + L > busy ? b2 + L : busy) + X(t, len));
    cr_assert_eq(dma_csr_read(&t->dma, DMA_TX_RING_HEAD), 11);
    tb_conserved(t);
    tb_free(t);
}

Test(dma_batch, disable_completes_cached_descriptors)
{
    /* Clearing TX_EN stops new descriptor reads; descriptors already read (or on their way)
     * are still sent and completed, and enable is refused until they are. */
    struct tb_opts o = defaults;
    o.lat = 1000;
    struct tb *t = tb_new(&o);
    for (unsigned i = 0; i < 40; i++)
        post_tx(t, i, i, 64);
    dma_csr_write(&t->dma, DMA_TX_RING_TAIL, 40);
    tb_run_to(t, 10); /* batch reads in flight: cache of 8 + max(8, 16) = 24 */
    const struct dma_stats *s = dma_get_stats(&t->dma);
    cr_assert_eq(s->tx_desc_reads, 3);
    dma_csr_write(&t->dma, DMA_CTRL, DMA_CTRL_RX_EN);
    dma_csr_write(&t->dma, DMA_CTRL, DMA_CTRL_RX_EN | DMA_CTRL_TX_EN);
    cr_assert(dma_csr_read(&t->dma, DMA_ERR_CAUSE) & DMA_ERR_BAD_CTRL);
    cr_assert_eq(dma_csr_read(&t->dma, DMA_CTRL), DMA_CTRL_RX_EN);
    tb_run(t);
    cr_assert_eq(s->tx_desc_reads, 3);
    cr_assert_eq(s->tx_cpl_written, 24);
    cr_assert_eq(t->cons.n, 24);
    cr_assert_eq(dma_csr_read(&t->dma, DMA_TX_RING_HEAD), 24);
    /* Quiet now: enable works and starts from index 0 again. */
    dma_csr_write(&t->dma, DMA_CTRL, DMA_CTRL_RX_EN | DMA_CTRL_TX_EN);
    cr_assert_eq(dma_csr_read(&t->dma, DMA_CTRL), DMA_CTRL_RX_EN | DMA_CTRL_TX_EN);
    cr_assert_eq(dma_csr_read(&t->dma, DMA_TX_RING_HEAD), 0);
    dma_csr_write(&t->dma, DMA_TX_RING_TAIL, 2);
    tb_run(t);
    cr_assert_eq(s->tx_cpl_written, 26);
    cr_assert_eq(t->cons.arr_cookie[24], 0);
    tb_conserved(t);
    tb_free(t);
}

/* ---- timing of streams ----------------------------------------------------------------- */
enum regime { BW_BOUND, LAT_BOUND, BETWEEN };

struct stream_case {
    uint32_t lat, max_reads, batch, len, bw_num, bw_den;
    enum regime want;
};

/* docs/dma.md, "Saturated TX stream", with B = txd_batch, xf = x(len), xb = x(32 B):
 *   bandwidth bound, cycles per batch of B packets:   T_bw  = B xf + xb
 *   read-slot bound, cycles per M batches (M B pkts): T_lat = B (L + xf) + L + xb
 *   the stream is bandwidth-bound (exactly T_bw per batch) when the M - 1 reads queued behind
 *   any read carry at least L + 1 beats:
 *     S = nD xb + (M - 1 - nD) xf >= L + 1,  nD = ceil((M - 1) / (B + 1)) if xb <= xf,
 *                                                 floor((M - 1) / (B + 1)) otherwise. */
static uint64_t t_bw(const struct tb *t, const struct stream_case *c)
{
    return (uint64_t)c->batch * X(t, c->len) + X(t, 32ull * c->batch);
}

static uint64_t t_lat(const struct tb *t, const struct stream_case *c)
{
    uint64_t L = c->lat, B = c->batch;
    return B * (L + X(t, c->len)) + L + X(t, 32ull * c->batch);
}

static bool bw_condition(const struct tb *t, const struct stream_case *c)
{
    uint64_t W = c->max_reads - 1, B = c->batch, xf = X(t, c->len), xb = X(t, 32ull * B);
    uint64_t nd = xb <= xf ? (W + B) / (B + 1) : W / (B + 1);
    return nd * xb + (W - nd) * xf >= (uint64_t)c->lat + 1;
}

static struct tb *run_stream(const struct stream_case *c, unsigned n)
{
    struct tb_opts o = defaults;
    o.lat = c->lat;
    o.max_reads = c->max_reads;
    o.txd_batch = c->batch;
    o.bw_num = c->bw_num;
    o.bw_den = c->bw_den;
    o.pool = 64;
    o.txd_size = 1024;
    o.txc_size = 1024;
    struct tb *t = tb_new(&o);
    for (unsigned i = 0; i < n; i++)
        post_tx(t, i, i, c->len);
    dma_csr_write(&t->dma, DMA_TX_RING_TAIL, n);
    tb_run(t);
    cr_assert_eq(t->cons.n, n);
    for (unsigned i = 0; i < n; i++)
        cr_assert(t->cons.arr_data_ok[i]);
    return t;
}

Test(dma_timing, saturated_stream_period_formula)
{
    static const struct stream_case cases[] = {
        {250, 16, 8, 1500, 32, 1, BW_BOUND},  /* defaults: 8 x 47 + 8 = 384 per 8 = 48/pkt */
        {20, 32, 8, 1500, 32, 1, BW_BOUND},   /* (the old model: 48 per packet too)       */
        {20, 16, 8, 1500, 32, 1, BW_BOUND},   /* (old model: a 5-cycle bubble per 16)     */
        {100, 4, 8, 1500, 32, 1, BW_BOUND},   /* (old model: bubble regime)               */
        {250, 4, 8, 9000, 32, 1, BW_BOUND},   /* jumbo frames, few reads                  */
        {250, 16, 8, 9000, 32, 1, BW_BOUND},
        {100, 16, 4, 512, 32, 1, BW_BOUND},   /* small batches                             */
        {5, 8, 1, 64, 32, 1, BW_BOUND},       /* one descriptor per read, small everything */
        {100, 16, 8, 1500, 10, 3, BW_BOUND},  /* 3.33 bytes per cycle: rounding of x()      */
        {250, 16, 8, 64, 32, 1, LAT_BOUND},   /* defaults, 64 B: 2274 cycles per 128 pkts  */
        {250, 16, 8, 256, 32, 1, LAT_BOUND},
        {1000, 8, 8, 512, 32, 1, LAT_BOUND},
        {1000, 8, 8, 1500, 32, 1, LAT_BOUND},
        {1000, 16, 16, 1500, 32, 1, LAT_BOUND},
        {1000, 1, 8, 1500, 32, 1, LAT_BOUND}, /* one read at a time                        */
        {100, 1, 4, 64, 32, 1, LAT_BOUND},
        {250, 16, 8, 512, 32, 1, BETWEEN},    /* defaults, 512 B: 2386..2394 per 128       */
        {1000, 16, 8, 512, 32, 1, BETWEEN},   /* 9136..9144: T_lat on average, jitter xb   */
        {250, 8, 4, 1500, 32, 1, BETWEEN},    /* 1564 per 32: above both bounds            */
    };
    for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        const struct stream_case *c = &cases[k];
        /* One period: a batch when bandwidth-bound, M batches when bound by the read slots. */
        unsigned per = c->want == BW_BOUND ? c->batch : c->batch * c->max_reads;
        /* Steady state only: skip the ramp-up (two periods and the cache fill), and the tail,
         * where the last frames stream without descriptor reads between them. */
        unsigned skip = per + 64, n = skip + (2 * per > 128 ? 2 * per : 128) + 64;
        struct tb *t = run_stream(c, n);
        uint64_t bw = t_bw(t, c), lat = t_lat(t, c);
        bool cond = bw_condition(t, c);
        cr_assert_eq(cond, c->want == BW_BOUND, "case %zu: the condition says %d", k, cond);
        uint64_t want = c->want == BW_BOUND ? bw : lat;
        uint64_t floor_m = bw * c->max_reads > lat ? bw * c->max_reads : lat; /* per M batches */
        for (unsigned i = skip; i + per < n - 64; i++) {
            uint64_t got = t->cons.arr_cycle[i + per] - t->cons.arr_cycle[i];
            if (c->want == BETWEEN) {
                /* Neither bound is exact here, but both hold. */
                cr_assert_geq(got, floor_m, "case %zu: %llu < %llu", k,
                              (unsigned long long)got, (unsigned long long)floor_m);
                continue;
            }
            cr_assert_eq(got, want,
                         "case %zu L=%u M=%u B=%u len=%u: packets %u..%u took %llu, formula %llu",
                         k, c->lat, c->max_reads, c->batch, c->len, i, i + per,
                         (unsigned long long)got, (unsigned long long)want);
        }
        if (k == 0)
            cr_assert_eq(bw, 8 * 48, "defaults: x(32) + x(1500) = 48 cycles per packet");
        if (c->want == LAT_BOUND)
            cr_assert_gt(lat, bw * c->max_reads, "case %zu: not latency-bound", k);
        /* Idle skipping: far fewer steps than cycles once latency dominates. */
        if (c->lat >= 1000)
            cr_assert_lt(t->sim.steps * 4, t->sim.cycle);
        /* Full batches: every read but the ramp-up's and the tail's carried B descriptors. */
        const struct dma_stats *s = dma_get_stats(&t->dma);
        cr_assert_eq(s->tx_desc_fetched, n);
        cr_assert_leq(s->tx_desc_reads, n / c->batch + 2);
        tb_conserved(t);
        tb_free(t);
    }
}

/* The measured periods that docs/dma.md quotes for the defaults (L 250, M 16, B 8, 32 B/cycle):
 * 64 B 2274 per 128 packets, 512 B 2386..2394 per 128 (between the bounds), 1500 B 384 per 8,
 * 9000 B 2264 per 8. */
Test(dma_timing, documented_default_periods)
{
    static const struct {
        uint32_t len, per;
        uint64_t lo, hi;
    } d[] = {{64, 128, 2274, 2274}, {512, 128, 2386, 2394}, {1500, 8, 384, 384},
             {9000, 8, 2264, 2264}};
    for (size_t k = 0; k < sizeof(d) / sizeof(d[0]); k++) {
        struct stream_case c = {250, 16, 8, d[k].len, 32, 1, BETWEEN};
        unsigned skip = 2 * d[k].per + 64, n = skip + 2 * d[k].per + 64;
        struct tb *t = run_stream(&c, n);
        for (unsigned i = skip; i + d[k].per < n - 64; i++) {
            uint64_t got = t->cons.arr_cycle[i + d[k].per] - t->cons.arr_cycle[i];
            cr_assert(got >= d[k].lo && got <= d[k].hi, "len %u at packet %u: %llu", d[k].len,
                      i, (unsigned long long)got);
        }
        tb_conserved(t);
        tb_free(t);
    }
}

/* ---- CSRs ---------------------------------------------------------------------------------- */
Test(dma_csr, bad_values_are_errors_not_crashes)
{
    struct tb *t = tb_new(&defaults);
    struct dma *d = &t->dma;
    const struct dma_stats *s = dma_get_stats(d);
    uint8_t *snap = malloc(MEM_LEN);
    memcpy(snap, t->mem, MEM_LEN);
    uint64_t e = 0;

    /* Geometry cannot change while enabled. */
    dma_csr_write(d, DMA_TX_RING_BASE_LO, 0x1234);
    cr_assert_eq(s->csr_errors, ++e);
    cr_assert_eq(dma_csr_read(d, DMA_TX_RING_BASE_LO), (uint32_t)iova(OFF_TXD));
    cr_assert_eq(dma_csr_read(d, DMA_ERR_CAUSE), DMA_ERR_BAD_REG);
    cr_assert(dma_csr_read(d, DMA_INTR_CAUSE) & DMA_INTR_ERROR);
    /* W1C: writing 0 clears nothing, writing the bit clears it. */
    dma_csr_write(d, DMA_ERR_CAUSE, 0);
    cr_assert_eq(dma_csr_read(d, DMA_ERR_CAUSE), DMA_ERR_BAD_REG);
    dma_csr_write(d, DMA_ERR_CAUSE, DMA_ERR_BAD_REG);
    dma_csr_write(d, DMA_INTR_CAUSE, DMA_INTR_ERROR);
    cr_assert_eq(dma_csr_read(d, DMA_ERR_CAUSE), 0);
    cr_assert_eq(dma_csr_read(d, DMA_INTR_CAUSE), 0);

    /* Tail beyond the ring. */
    dma_csr_write(d, DMA_TX_RING_TAIL, 64);
    cr_assert_eq(s->csr_errors, ++e);
    cr_assert_eq(dma_csr_read(d, DMA_TX_RING_TAIL), 0);
    dma_csr_write(d, DMA_RX_CPL_TAIL, 1000);
    cr_assert_eq(s->csr_errors, ++e);
    cr_assert_eq(dma_csr_read(d, DMA_ERR_CAUSE), DMA_ERR_BAD_TAIL);

    /* Read-only and unknown registers. */
    dma_csr_write(d, DMA_TX_RING_HEAD, 5);
    dma_csr_write(d, DMA_INTR_STATUS, 1);
    dma_csr_write(d, (enum dma_reg)(DMA_NREGS + 7), 1);
    cr_assert_eq(dma_csr_read(d, (enum dma_reg)(DMA_NREGS + 7)), 0);
    dma_csr_write(d, DMA_CTRL, 0x80 | DMA_CTRL_TX_EN);
    e += 5;
    cr_assert_eq(s->csr_errors, e);
    cr_assert_eq(dma_csr_read(d, DMA_TX_RING_HEAD), 0);
    cr_assert_eq(dma_csr_read(d, DMA_CTRL), DMA_CTRL_TX_EN | DMA_CTRL_RX_EN);

    /* Disabled: now geometry may change, doorbells may not. */
    dma_csr_write(d, DMA_CTRL, DMA_CTRL_RX_EN);
    dma_csr_write(d, DMA_TX_RING_TAIL, 1);
    cr_assert_eq(s->csr_errors, ++e);
    dma_csr_write(d, DMA_TX_RING_SIZE, 12);
    dma_csr_write(d, DMA_TX_RING_SIZE, 1);
    dma_csr_write(d, DMA_TX_RING_SIZE, 131072);
    dma_csr_write(d, DMA_TX_RING_SIZE, 0);
    e += 4;
    cr_assert_eq(s->csr_errors, e);
    cr_assert_eq(dma_csr_read(d, DMA_TX_RING_SIZE), 64);
    cr_assert(dma_csr_read(d, DMA_ERR_CAUSE) & DMA_ERR_BAD_SIZE);

    /* Unregistered ring base: enable refused. */
    dma_csr_write(d, DMA_TX_RING_BASE_LO, 0x1000);
    dma_csr_write(d, DMA_TX_RING_BASE_HI, 0);
    dma_csr_write(d, DMA_CTRL, DMA_CTRL_RX_EN | DMA_CTRL_TX_EN);
    cr_assert_eq(s->csr_errors, ++e);
    cr_assert_eq(dma_csr_read(d, DMA_CTRL), DMA_CTRL_RX_EN);
    cr_assert(dma_csr_read(d, DMA_ERR_CAUSE) & DMA_ERR_BAD_BASE);
    /* Ring that runs past the end of the region (64 x 32 B from 1 KiB before the end). */
    dma_csr_write(d, DMA_TX_RING_BASE_LO, (uint32_t)(MEM_IOVA + MEM_LEN - 1024));
    dma_csr_write(d, DMA_CTRL, DMA_CTRL_RX_EN | DMA_CTRL_TX_EN);
    cr_assert_eq(s->csr_errors, ++e);
    /* Write-back address outside registered memory. */
    dma_csr_write(d, DMA_TX_RING_BASE_LO, (uint32_t)iova(OFF_TXD));
    dma_csr_write(d, DMA_TX_CPL_WB_LO, (uint32_t)(MEM_IOVA + MEM_LEN - 2));
    dma_csr_write(d, DMA_CTRL, DMA_CTRL_RX_EN | DMA_CTRL_TX_EN);
    cr_assert_eq(s->csr_errors, ++e);
    cr_assert_eq(dma_csr_read(d, DMA_CTRL), DMA_CTRL_RX_EN);
    /* Fixed: enable works, and the device still moves packets. */
    dma_csr_write(d, DMA_TX_CPL_WB_LO, (uint32_t)iova(OFF_TXWB));
    dma_csr_write(d, DMA_CTRL, DMA_CTRL_RX_EN | DMA_CTRL_TX_EN);
    cr_assert_eq(s->csr_errors, e);
    cr_assert_eq(dma_csr_read(d, DMA_CTRL), DMA_CTRL_RX_EN | DMA_CTRL_TX_EN);
    tb_run(t);
    /* No DMA happened for any of the refused settings. */
    cr_assert_eq(memcmp(snap, t->mem, MEM_LEN), 0);
    cr_assert_eq(t->hm.faults, 0);
    free(snap);
    post_tx(t, 0, 0, 100);
    dma_csr_write(d, DMA_TX_RING_TAIL, 1);
    tb_run(t);
    cr_assert_eq(txc_at(t, 0).status, NIC_TXS_OK);
    cr_assert_str_eq(dma_reg_name(DMA_TX_RING_BASE_LO), "TX_RING_BASE_LO");
    tb_conserved(t);
    tb_free(t);
}

Test(dma_csr, enable_refused_while_work_in_flight)
{
    struct tb_opts o = defaults;
    o.lat = 1000;
    struct tb *t = tb_new(&o);
    post_tx(t, 0, 0, 100);
    dma_csr_write(&t->dma, DMA_TX_RING_TAIL, 1);
    tb_run_to(t, 10);
    dma_csr_write(&t->dma, DMA_CTRL, DMA_CTRL_RX_EN);
    dma_csr_write(&t->dma, DMA_CTRL, DMA_CTRL_RX_EN | DMA_CTRL_TX_EN);
    cr_assert(dma_csr_read(&t->dma, DMA_ERR_CAUSE) & DMA_ERR_BAD_CTRL);
    tb_run(t);
    /* The packet in flight still completed. */
    cr_assert_eq(txc_at(t, 0).status, NIC_TXS_OK);
    cr_assert_eq(dma_get_stats(&t->dma)->tx_cpl_written, 1);
    tb_conserved(t);
    tb_free(t);
}

/* ---- RX ------------------------------------------------------------------------------------ */
static struct pkt *rx_push(struct tb *t, uint32_t len, uint8_t seed)
{
    struct pkt *p = pkt_pool_get(&t->pool);
    cr_assert_not_null(p);
    p->dir = PKT_RX;
    p->len = len;
    for (uint32_t j = 0; j < len; j++)
        p->data[j] = (uint8_t)(seed + j * 3);
    cr_assert(fifo_can_push(&t->rx_in));
    fifo_push(&t->rx_in, p, t->sim.cycle);
    fifo_commit(&t->rx_in);
    return p;
}

static bool rx_data_ok(const struct tb *t, uint32_t buf, uint32_t len, uint8_t seed)
{
    const uint8_t *b = t->mem + OFF_RXBUF + buf * SLOT;
    for (uint32_t j = 0; j < len; j++)
        if (b[j] != (uint8_t)(seed + j * 3))
            return false;
    return true;
}

Test(dma_rx, deliver_frames_and_completions)
{
    struct tb *t = tb_new(&defaults);
    memset(t->mem + OFF_RXBUF, 0xcc, 4 * SLOT);
    for (uint32_t i = 0; i < 4; i++)
        post_rx(t, i, rxbuf(i), 2048);
    dma_csr_write(&t->dma, DMA_INTR_MASK, DMA_INTR_RX_CPL);
    dma_csr_write(&t->dma, DMA_RX_RING_TAIL, 4);
    tb_run(t); /* prefetch */
    cr_assert_eq(dma_get_stats(&t->dma)->rx_desc_fetched, 4);
    cr_assert_eq(dma_csr_read(&t->dma, DMA_RX_RING_HEAD), 0); /* fetched is not consumed */
    static const uint32_t lens[3] = {100, 1500, 2048};
    for (uint32_t i = 0; i < 3; i++) {
        struct pkt *p = rx_push(t, lens[i], (uint8_t)(i * 40));
        p->has_sa = i != 1;
        p->sa = (uint16_t)(10 + i);
        p->rx_status = i == 2 ? NIC_RXS_TRANSPORT_ESP_AUTH_FAILED : NIC_RXS_SUCCESS;
        p->rx_flags = NIC_RXF_IPSEC | NIC_RXF_CRYPTO_DONE;
        p->seq_hi = 0x1000 + i;
    }
    tb_run(t);
    for (uint32_t i = 0; i < 3; i++) {
        cr_assert(rx_data_ok(t, i, lens[i], (uint8_t)(i * 40)), "buffer %u", i);
        cr_assert_eq(t->mem[OFF_RXBUF + i * SLOT + lens[i]], 0xcc, "wrote past the frame");
        struct nic_rx_cpl c = rxc_at(t, i);
        cr_assert_eq(c.len, lens[i]);
        cr_assert_eq(c.sa_handle, i != 1 ? 10 + i : 0);
        cr_assert_eq(c.status, i == 2 ? NIC_RXS_TRANSPORT_ESP_AUTH_FAILED : NIC_RXS_SUCCESS);
        cr_assert_eq(c.flags, NIC_RXF_IPSEC | NIC_RXF_CRYPTO_DONE);
        cr_assert_eq(c.seq_hi, 0x1000 + i);
    }
    cr_assert_eq(dma_csr_read(&t->dma, DMA_RX_RING_HEAD), 3);
    cr_assert_eq(dma_csr_read(&t->dma, DMA_RX_CPL_HEAD), 3);
    cr_assert_eq(wb_at(t, OFF_RXWB), 3);
    cr_assert(dma_irq(&t->dma));
    cr_assert_eq(dma_get_stats(&t->dma)->rx_delivered, 3);
    cr_assert_eq(dma_get_stats(&t->dma)->bytes_written, 100 + 1500 + 2048 + 3 * (16 + 4));
    tb_conserved(t);
    tb_free(t);
}

Test(dma_rx, delivery_timing)
{
    struct tb *t = tb_new(&defaults);
    post_rx(t, 0, rxbuf(0), 4096);
    dma_csr_write(&t->dma, DMA_RX_RING_TAIL, 1);
    tb_run(t);
    uint64_t c = t->sim.cycle;
    rx_push(t, 1000, 1);
    /* Job starts at c, lands at c + x(len) + x(16) + x(4). */
    uint64_t land = c + X(t, 1000) + X(t, 16) + X(t, 4);
    tb_run_to(t, land);
    cr_assert_eq(dma_csr_read(&t->dma, DMA_RX_CPL_HEAD), 0);
    cr_assert_neq(t->mem[OFF_RXBUF], 1, "frame visible before the write landed");
    tb_run_to(t, land + 1);
    cr_assert_eq(dma_csr_read(&t->dma, DMA_RX_CPL_HEAD), 1);
    cr_assert(rx_data_ok(t, 0, 1000, 1));
    tb_run(t);
    tb_conserved(t);
    tb_free(t);
}

Test(dma_rx, waits_for_posted_descriptor_in_flight)
{
    struct tb *t = tb_new(&defaults);
    post_rx(t, 0, rxbuf(0), 2048);
    rx_push(t, 64, 9);
    dma_csr_write(&t->dma, DMA_RX_RING_TAIL, 1); /* posted, but the prefetch takes L */
    tb_run(t);
    cr_assert_eq(dma_get_stats(&t->dma)->rx_no_buffer, 0);
    cr_assert_eq(dma_get_stats(&t->dma)->rx_delivered, 1);
    cr_assert(rx_data_ok(t, 0, 64, 9));
    tb_conserved(t);
    tb_free(t);
}

Test(dma_rx, no_buffer_is_a_counted_drop)
{
    struct tb *t = tb_new(&defaults);
    rx_push(t, 64, 1);
    rx_push(t, 64, 2);
    tb_run(t);
    cr_assert_eq(dma_get_stats(&t->dma)->rx_no_buffer, 2);
    cr_assert_eq(dma_get_stats(&t->dma)->rx_delivered, 0);
    cr_assert_eq(dma_csr_read(&t->dma, DMA_RX_CPL_HEAD), 0);
    /* RX disabled: same. */
    dma_csr_write(&t->dma, DMA_CTRL, DMA_CTRL_TX_EN);
    rx_push(t, 64, 3);
    tb_run(t);
    cr_assert_eq(dma_get_stats(&t->dma)->rx_no_buffer, 3);
    tb_conserved(t);
    tb_free(t);
}

Test(dma_rx, too_small_drops_and_keeps_the_descriptor)
{
    struct tb *t = tb_new(&defaults);
    post_rx(t, 0, rxbuf(0), 100);
    post_rx(t, 1, rxbuf(1), 2048);
    dma_csr_write(&t->dma, DMA_RX_RING_TAIL, 2);
    tb_run(t);
    rx_push(t, 200, 1);  /* does not fit buffer 0: dropped, buffer 0 stays posted */
    rx_push(t, 50, 2);   /* fits buffer 0 */
    rx_push(t, 1000, 3); /* buffer 1 */
    tb_run(t);
    const struct dma_stats *s = dma_get_stats(&t->dma);
    cr_assert_eq(s->rx_too_small, 1);
    cr_assert_eq(s->rx_delivered, 2);
    cr_assert_eq(rxc_at(t, 0).len, 50);
    cr_assert_eq(rxc_at(t, 1).len, 1000);
    cr_assert(rx_data_ok(t, 0, 50, 2));
    cr_assert(rx_data_ok(t, 1, 1000, 3));
    cr_assert_eq(dma_csr_read(&t->dma, DMA_RX_RING_HEAD), 2);
    tb_conserved(t);
    tb_free(t);
}

Test(dma_rx, pipeline_drops_only_free_the_buffer)
{
    struct tb *t = tb_new(&defaults);
    post_rx(t, 0, rxbuf(0), 2048);
    dma_csr_write(&t->dma, DMA_RX_RING_TAIL, 1);
    tb_run(t);
    struct pkt *p = rx_push(t, 64, 1);
    p->drop = NIC_DROP_BAD_ICV;
    tb_run(t);
    cr_assert_eq(dma_get_stats(&t->dma)->rx_pipeline_drop, 1);
    cr_assert_eq(dma_get_stats(&t->dma)->rx_delivered, 0);
    cr_assert_eq(dma_csr_read(&t->dma, DMA_RX_RING_HEAD), 0);
    cr_assert_eq(dma_csr_read(&t->dma, DMA_RX_CPL_HEAD), 0);
    tb_conserved(t);
    tb_free(t);
}

Test(dma_rx, buffer_outside_registered_memory)
{
    struct tb *t = tb_new(&defaults);
    post_rx(t, 0, MEM_IOVA + MEM_LEN - 100, 2048); /* runs into the guard after the region */
    post_rx(t, 1, MEM_IOVA - 2048, 2048);          /* the guard before the region */
    post_rx(t, 2, rxbuf(2), 2048);
    dma_csr_write(&t->dma, DMA_RX_RING_TAIL, 3);
    tb_run(t);
    rx_push(t, 1000, 1);
    rx_push(t, 1000, 2);
    rx_push(t, 1000, 3);
    tb_run(t);
    for (uint32_t i = 0; i < 2; i++) {
        struct nic_rx_cpl c = rxc_at(t, i);
        cr_assert_eq(c.len, 0);
        cr_assert_eq(c.status, NIC_RXS_GENERIC_ERROR);
    }
    cr_assert_eq(rxc_at(t, 2).len, 1000);
    cr_assert(rx_data_ok(t, 2, 1000, 3));
    cr_assert_eq(dma_get_stats(&t->dma)->rx_dma_error, 2);
    cr_assert_eq(dma_get_stats(&t->dma)->rx_delivered, 1);
    cr_assert(dma_csr_read(&t->dma, DMA_ERR_CAUSE) & DMA_ERR_RX_DMA);
    cr_assert_eq(dma_csr_read(&t->dma, DMA_RX_RING_HEAD), 3);
    tb_conserved(t);
    tb_free(t); /* checks the guards */
}

Test(dma_rx, completion_ring_full_backpressures_not_drops)
{
    struct tb_opts o = defaults;
    o.rxc_size = 4; /* holds 3 */
    struct tb *t = tb_new(&o);
    for (uint32_t i = 0; i < 8; i++)
        post_rx(t, i, rxbuf(i), 2048);
    dma_csr_write(&t->dma, DMA_RX_RING_TAIL, 8);
    tb_run(t);
    for (uint32_t i = 0; i < 6; i++)
        rx_push(t, 64, (uint8_t)i); /* all at once: deliveries back to back */
    tb_run(t);
    const struct dma_stats *s = dma_get_stats(&t->dma);
    cr_assert_eq(s->rx_delivered, 3);
    cr_assert_eq(s->rx_no_buffer + s->rx_too_small, 0);
    cr_assert_eq(dma_csr_read(&t->dma, DMA_RX_CPL_HEAD), 3);
    dma_csr_write(&t->dma, DMA_RX_CPL_TAIL, 3);
    tb_run(t);
    cr_assert_eq(s->rx_delivered, 6);
    cr_assert_eq(dma_csr_read(&t->dma, DMA_RX_CPL_HEAD), 2);
    cr_assert_eq(dma_csr_read(&t->dma, DMA_RX_RING_HEAD), 6);
    for (uint32_t i = 0; i < 6; i++)
        cr_assert(rx_data_ok(t, i, 64, (uint8_t)i));
    tb_conserved(t);
    tb_free(t);
}

Test(dma_rx, tx_and_rx_share_the_write_channel)
{
    struct tb *t = tb_new(&defaults);
    for (uint32_t i = 0; i < 8; i++)
        post_rx(t, i, rxbuf(i), 4096);
    dma_csr_write(&t->dma, DMA_RX_RING_TAIL, 8);
    for (unsigned i = 0; i < 8; i++)
        post_tx(t, i, i, 700);
    dma_csr_write(&t->dma, DMA_TX_RING_TAIL, 8);
    for (uint32_t i = 0; i < 6; i++)
        rx_push(t, 3000, (uint8_t)i);
    tb_run(t);
    const struct dma_stats *s = dma_get_stats(&t->dma);
    cr_assert_eq(s->rx_delivered, 6);
    cr_assert_eq(s->tx_cpl_written, 8);
    for (uint32_t i = 0; i < 6; i++)
        cr_assert(rx_data_ok(t, i, 3000, (uint8_t)i));
    for (uint32_t i = 0; i < 8; i++)
        cr_assert_eq(txc_at(t, i).cookie, i);
    tb_conserved(t);
    tb_free(t);
}

/* ---- RX descriptor prefetch batching ---------------------------------------------------- */
/* Deliver n packets of len bytes (seed = first + i), at most 8 at a time (rx_in depth). */
static void rx_deliver(struct tb *t, unsigned n, uint32_t len, unsigned first)
{
    for (unsigned i = 0; i < n;) {
        unsigned m = n - i < 8 ? n - i : 8;
        for (unsigned j = 0; j < m; j++)
            rx_push(t, len, (uint8_t)(first + i + j));
        tb_run(t);
        i += m;
    }
}

Test(dma_rx_batch, one_read_per_batch_ring_wrap_and_timing)
{
    struct tb_opts o = defaults;
    o.rxd_size = 16;
    o.rxc_size = 16;
    struct tb *t = tb_new(&o);
    const uint64_t L = 100, len = 300;
    const struct dma_stats *s = dma_get_stats(&t->dma);
    cr_assert_eq(t->dma.cfg.rxd_batch, DMA_RXD_BATCH_DEFAULT);
    cr_assert_eq(t->dma.cfg.rxd_cache, 8 + 16); /* batch + max(batch, max_reads) */
    /* 12 posted: reads of 8 and 4 (16 k bytes each). A packet waiting in rx_in at c lands in
     * the first descriptor once the first batch has arrived (d1) and been seen (d1 + 1). */
    for (uint32_t i = 0; i < 12; i++)
        post_rx(t, i, rxbuf(i), 2048);
    rx_push(t, len, 0);
    uint64_t c = t->sim.cycle;
    dma_csr_write(&t->dma, DMA_RX_RING_TAIL, 12);
    uint64_t d1 = c + L + X(t, 8 * 16);
    uint64_t land = d1 + 1 + X(t, len) + X(t, 16) + X(t, 4);
    tb_run_to(t, land);
    cr_assert_eq(dma_csr_read(&t->dma, DMA_RX_CPL_HEAD), 0);
    tb_run_to(t, land + 1);
    cr_assert_eq(dma_csr_read(&t->dma, DMA_RX_CPL_HEAD), 1);
    tb_run(t);
    cr_assert_eq(s->rx_desc_reads, 2);
    cr_assert_eq(s->rx_desc_fetched, 12);
    cr_assert_eq(s->bytes_read, 12 * 16);
    rx_deliver(t, 11, len, 1);
    cr_assert_eq(s->rx_delivered, 12);
    cr_assert_eq(dma_csr_read(&t->dma, DMA_RX_RING_HEAD), 12);
    dma_csr_write(&t->dma, DMA_RX_CPL_TAIL, 12);
    /* Eight more at ring positions 12..15 and 0..3: one read each side of the wrap, the
     * second issued in the next cycle with its data behind the first's. */
    for (uint32_t i = 12; i < 20; i++)
        post_rx(t, i, rxbuf(i), 2048);
    rx_push(t, len, 12);
    c = t->sim.cycle;
    dma_csr_write(&t->dma, DMA_RX_RING_TAIL, 4);
    d1 = c + L + X(t, 4 * 16);
    land = d1 + 1 + X(t, len) + X(t, 16) + X(t, 4);
    tb_run_to(t, land + 1);
    cr_assert_eq(dma_csr_read(&t->dma, DMA_RX_CPL_HEAD), 13);
    tb_run(t);
    cr_assert_eq(s->rx_desc_reads, 4);
    cr_assert_eq(s->rx_desc_fetched, 20);
    rx_deliver(t, 7, len, 13);
    cr_assert_eq(s->rx_delivered, 20);
    cr_assert_eq(s->rx_dma_error + s->rx_no_buffer + s->rx_too_small, 0);
    for (uint32_t i = 0; i < 20; i++) {
        cr_assert(rx_data_ok(t, i, len, (uint8_t)i), "buffer %u", i);
        cr_assert_eq(rxc_at(t, i).len, len, "completion %u", i);
    }
    cr_assert_eq(dma_csr_read(&t->dma, DMA_RX_RING_HEAD), 4);
    cr_assert_eq(dma_csr_read(&t->dma, DMA_RX_CPL_HEAD), 4);
    cr_assert_eq(wb_at(t, OFF_RXWB), 4);
    tb_conserved(t);
    tb_free(t);
}

Test(dma_rx_batch, cache_depth_bounds_the_prefetch)
{
    /* rxd_batch 4, rxd_cache 6: a second batch of 4 waits until 4 entries are free (not 1),
     * and nothing is ever read twice. */
    struct tb_opts o = defaults;
    o.rxd_batch = 4;
    o.rxd_cache = 6;
    struct tb *t = tb_new(&o);
    const struct dma_stats *s = dma_get_stats(&t->dma);
    for (uint32_t i = 0; i < 30; i++)
        post_rx(t, i, rxbuf(i), 2048);
    dma_csr_write(&t->dma, DMA_RX_RING_TAIL, 30);
    tb_run(t);
    cr_assert_eq(s->rx_desc_reads, 1);
    cr_assert_eq(s->rx_desc_fetched, 4);
    rx_deliver(t, 1, 64, 0); /* 3 cached, room 3 < 4: no read */
    cr_assert_eq(s->rx_desc_reads, 1);
    rx_deliver(t, 1, 64, 1); /* room 4: the next batch */
    cr_assert_eq(s->rx_desc_reads, 2);
    cr_assert_eq(s->rx_desc_fetched, 8);
    rx_deliver(t, 28, 100, 2);
    cr_assert_eq(s->rx_delivered, 30);
    cr_assert_eq(s->rx_desc_fetched, 30);
    cr_assert_eq(s->rx_desc_reads, 8); /* 7 x 4 + 2 */
    cr_assert_eq(s->bytes_read, 30 * 16);
    for (uint32_t i = 2; i < 30; i++)
        cr_assert(rx_data_ok(t, i, 100, (uint8_t)i), "buffer %u", i);
    cr_assert_eq(dma_csr_read(&t->dma, DMA_RX_RING_HEAD), 30);
    tb_conserved(t);
    tb_free(t);
}

Test(dma_rx_batch, descriptor_fault_is_per_descriptor)
{
    /* The RX ring's region shrinks to its first 3 descriptors: one batch read of 8 gives 3 good
     * descriptors and 5 faults; each is consumed in its place with an error completion. */
    struct tb *t = tb_new(&defaults);
    static uint8_t ring[64 * 16];
    const uint64_t ring_iova = 0x900000000ull;
    cr_assert_eq(host_mem_register(&t->hm, ring_iova, ring, sizeof(ring)), 0);
    dma_csr_write(&t->dma, DMA_CTRL, DMA_CTRL_TX_EN);
    dma_csr_write(&t->dma, DMA_RX_RING_BASE_LO, (uint32_t)ring_iova);
    dma_csr_write(&t->dma, DMA_RX_RING_BASE_HI, (uint32_t)(ring_iova >> 32));
    dma_csr_write(&t->dma, DMA_CTRL, DMA_CTRL_RX_EN | DMA_CTRL_TX_EN);
    cr_assert_eq(dma_get_stats(&t->dma)->csr_errors, 0);
    for (unsigned i = 0; i < 8; i++) {
        struct nic_rx_desc d = {.addr = rxbuf(i), .buf_len = 2048};
        memcpy(ring + i * 16, &d, sizeof(d));
    }
    cr_assert_eq(host_mem_unregister(&t->hm, ring_iova), 0);
    cr_assert_eq(host_mem_register(&t->hm, ring_iova, ring, 3 * 16), 0);
    dma_csr_write(&t->dma, DMA_RX_RING_TAIL, 8);
    tb_run(t);
    const struct dma_stats *s = dma_get_stats(&t->dma);
    cr_assert_eq(s->rx_desc_reads, 1);
    cr_assert_eq(s->rx_desc_fetched, 3);
    cr_assert_eq(s->rx_dma_error, 5);
    cr_assert(dma_csr_read(&t->dma, DMA_ERR_CAUSE) & DMA_ERR_RX_DMA);
    rx_deliver(t, 8, 500, 0);
    for (unsigned i = 0; i < 8; i++) {
        struct nic_rx_cpl c = rxc_at(t, i);
        cr_assert_eq(c.len, i < 3 ? 500 : 0, "completion %u", i);
        /* rx_push leaves rx_status 0: a good delivery copies it, a fault reports an error. */
        cr_assert_eq(c.status, i < 3 ? 0 : NIC_RXS_GENERIC_ERROR, "status %u", i);
        if (i < 3)
            cr_assert(rx_data_ok(t, i, 500, (uint8_t)i));
    }
    cr_assert_eq(s->rx_delivered, 3);
    cr_assert_eq(s->rx_dma_error, 5); /* counted once, at the read */
    cr_assert_eq(dma_csr_read(&t->dma, DMA_RX_RING_HEAD), 8);
    tb_conserved(t);
    tb_free(t);
}

Test(dma_cfg, from_params)
{
    struct nicsim_params p;
    nicsim_params_default(&p);
    struct pkt_pool pool;
    struct host_mem hm;
    cr_assert_eq(pkt_pool_init(&pool, p.pkt_buffers, p.mtu), 0);
    host_mem_init(&hm);
    struct dma_cfg c;
    dma_cfg_from_params(&c, &p, &pool, &hm);
    /* 500 ns at 500 MHz = 250 cycles; 16 GB/s at 500 MHz = 32 B/cycle. */
    cr_assert_eq(c.lat_cycles, 250);
    cr_assert_eq(dma_xfer_cycles(&c, 32), 1);
    cr_assert_eq(dma_xfer_cycles(&c, 33), 2);
    cr_assert_eq(dma_xfer_cycles(&c, 1500), 47);
    cr_assert_eq(dma_xfer_cycles(&c, 0), 0);
    /* Rounding up: 1 ns at 333 MHz is 0.333 cycles -> 1; 3 GB/s at 1000 MHz = 3 B/cycle. */
    p.pcie_latency_ns = 1;
    p.clock_mhz = 333;
    dma_cfg_from_params(&c, &p, &pool, &hm);
    cr_assert_eq(c.lat_cycles, 1);
    p.clock_mhz = 1000;
    p.pcie_gbytes_per_s = 3;
    dma_cfg_from_params(&c, &p, &pool, &hm);
    cr_assert_eq(dma_xfer_cycles(&c, 10), 4);
    struct dma dma;
    cr_assert_eq(dma_init(&dma, &c, NULL, NULL), 0);
    cr_assert_eq(dma.cfg.txd_batch, DMA_TXD_BATCH_DEFAULT);
    cr_assert_eq(dma.cfg.txd_cache, 8 + 16); /* batch + max(batch, max_reads) */
    cr_assert_eq(dma.cfg.rxd_batch, DMA_RXD_BATCH_DEFAULT);
    cr_assert_eq(dma.cfg.rxd_cache, 8 + 16); /* batch + max(batch, max_reads) */
    dma_free(&dma);
    c.rxd_batch = DMA_RXD_BATCH_MAX + 1;
    cr_assert_eq(dma_init(&dma, &c, NULL, NULL), -EINVAL);
    c.rxd_batch = 32;
    c.rxd_cache = 31; /* smaller than one batch */
    cr_assert_eq(dma_init(&dma, &c, NULL, NULL), -EINVAL);
    c.rxd_cache = 0;
    cr_assert_eq(dma_init(&dma, &c, NULL, NULL), 0);
    cr_assert_eq(dma.cfg.rxd_cache, 64);
    dma_free(&dma);
    c.rxd_batch = 0;
    c.txd_batch = DMA_TXD_BATCH_MAX + 1;
    cr_assert_eq(dma_init(&dma, &c, NULL, NULL), -EINVAL);
    c.txd_batch = 16;
    c.txd_cache = 15; /* smaller than one batch */
    cr_assert_eq(dma_init(&dma, &c, NULL, NULL), -EINVAL);
    c.txd_cache = 0;
    cr_assert_eq(dma_init(&dma, &c, NULL, NULL), 0);
    cr_assert_eq(dma.cfg.txd_cache, 32);
    dma_free(&dma);
    c.txd_batch = 0;
    c.mtu = pool.mtu + 1;
    cr_assert_eq(dma_init(&dma, &c, NULL, NULL), -EINVAL);
    pkt_pool_free(&pool);
}

Test(dma_cfg, tx_status_table)
{
    cr_assert_eq(dma_tx_status(NIC_DROP_NONE), NIC_TXS_OK);
    cr_assert_eq(dma_tx_status(NIC_DROP_DMA_ERROR), NIC_TXS_DMA_ERROR);
    cr_assert_eq(dma_tx_status(NIC_DROP_BAD_DESC), NIC_TXS_BAD_DESC);
    cr_assert_eq(dma_tx_status(NIC_DROP_NO_SA), NIC_TXS_NO_SA);
    cr_assert_eq(dma_tx_status(NIC_DROP_SN_OVERFLOW), NIC_TXS_SN_OVERFLOW);
    cr_assert_eq(dma_tx_status(NIC_DROP_BAD_SYNTAX), NIC_TXS_BAD_PACKET);
    /* Every non-NONE reason maps to a non-OK status: a drop is never reported as sent. */
    for (unsigned r = 1; r < NIC_DROP_COUNT + 3; r++)
        cr_assert_neq(dma_tx_status((uint8_t)r), NIC_TXS_OK, "reason %u", r);
}

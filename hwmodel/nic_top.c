/* nic_top.c - one whole card: the blocks, the links between them, the host-side API
 * (nicsim.h). Pipeline (one token per packet, FIFOs between blocks):
 *
 *   TX: dma.tx_out -> esp_tx -> gcm_pool(tx) -> tx_mac -> wire ; tx_mac -> dma.tx_done
 *   RX: wire -> rx_mac -> esp_rx -> gcm_pool(rx) -> esp_rx_post -> dma.rx_in -> host
 *
 * Control path: host MMIO -> mmio (BAR0 decoder) -> fw_cpu (mailbox, runs firmware/) -> sa_csr
 * (SAT port) -> CAM, key RAM, sequence state, counters. The backdoor SA calls below use the
 * same sa_csr operations, between cycles, as the firmware's CSR writes land on a clock edge.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dma.h"
#include "esp_rx.h"
#include "esp_tx.h"
#include "fw_cpu.h"
#include "gcm_pool.h"
#include "host_mem.h"
#include "mac.h"
#include "mmio.h"
#include "nic_ctx.h"
#include "nicsim/nicsim.h"
#include "pkt_pool.h"
#include "sa_csr.h"
#include "sim.h"
#include "trace.h"

#define NIC_FIFO_DEPTH 8u

struct nic {
    struct nic_ctx ctx;
    struct sim sim;
    struct host_mem hm;
    struct pkt_pool pool;
    struct gcm_job *jobs;
    struct dma dma;
    struct fifo tx_pool_in, tx_mac_in, tx_done, rx_in, rx_pool_in, rx_post_in, rx_dma_in;
    struct esp_tx esp_tx;
    struct gcm_pool gp_tx, gp_rx;
    struct tx_mac tx_mac;
    struct rx_mac rx_mac;
    struct esp_rx esp_rx;
    struct esp_rx_post esp_rx_post;
    struct sa_csr sat;     /* SA table port: SAT CSRs and the backdoor API               */
    struct fw_cpu fw;      /* control CPU: mailbox and firmware                          */
    struct mmio mmio;      /* BAR0 decoder                                               */
    struct nic_stats view; /* nic_get_stats() result: ctx.stats merged with dma counters */
    struct trace trace;
    /* scheduler masks of the FIFO neighbours, for the neighbour filters (set_filters) */
    uint32_t m_dma, m_esp_tx, m_gp_tx, m_tx_mac, m_rx_post;
};

static const char *const drop_names[] = {
#define X(id, name, doc) name,
#include "nicsim/drops.def"
#undef X
};

const char *nic_drop_name(enum nic_drop d)
{
    return (unsigned)d < NIC_DROP_COUNT ? drop_names[d] : "?";
}

static int fail(char *err, size_t errlen, const char *msg)
{
    if (err && errlen)
        snprintf(err, errlen, "%s", msg);
    return -1;
}

static int tables_init(struct nic_ctx *c)
{
    struct sa_cam_params cp = {c->p.rx_sa_entries, c->p.tx_sa_entries, c->p.cam_latency};
    if (sa_cam_init(&c->cam, &cp))
        return -1;
    c->kr_tx = key_ram_create(c->p.tx_sa_entries);
    c->kr_rx = key_ram_create(c->p.rx_sa_entries);
    struct esn_params etx = {c->p.tx_sa_entries, 0};
    struct esn_params erx = {c->p.rx_sa_entries, c->p.max_replay_window};
    if (!c->kr_tx || !c->kr_rx || esn_init(&c->esn_tx, &etx) || esn_init(&c->esn_rx, &erx))
        return -1;
    c->sa_tx = calloc(c->p.tx_sa_entries, sizeof(*c->sa_tx));
    c->sa_rx = calloc(c->p.rx_sa_entries, sizeof(*c->sa_rx));
    return c->sa_tx && c->sa_rx ? 0 : -1;
}

static int add_block(struct nic *n, const char *name, void *self, void (*eval)(void *, uint64_t),
                     void (*commit)(void *), uint64_t (*next)(const void *, uint64_t),
                     sim_step_fn *step)
{
    struct sim_block b = {name, self, eval, commit, next};
    return sim_add(&n->sim, &b) || (step && sim_set_step(&n->sim, self, step));
}

/* The dma block and the packet pool it takes buffers from and returns them to: the pool's
 * clock edge (pending puts become free) is the dma's, so that a skipped pool never holds
 * freed buffers back (sparse scheduling). */
static void dma_pool_eval(void *self, uint64_t now)
{
    struct nic *n = self;
    dma_eval(&n->dma, now);
}

static void dma_pool_commit(void *self)
{
    struct nic *n = self;
    dma_commit(&n->dma);
    pkt_pool_commit(&n->pool);
}

static uint64_t dma_pool_next_event(const void *self, uint64_t now)
{
    const struct nic *n = self;
    return dma_next_event(&n->dma, now);
}

/* Neighbour filters (sparse scheduling): after a block steps, only the neighbours sharing a
 * FIFO whose pointers its commit moved recompute their next event. The FIFO neighbours read
 * nothing else of these blocks (their next_event reads their own registers and their FIFOs);
 * a FIFO moved by both its ends in one step was committed by one of them, and both stepped. */
static uint32_t dma_neighbours(void *self, uint32_t adj)
{
    const struct nic *n = self;
    uint32_t ch = dma_port_changes(&n->dma);
    uint32_t keep = (ch & DMA_PORT_TX_OUT ? n->m_esp_tx : 0) |
                    (ch & DMA_PORT_TX_DONE ? n->m_tx_mac : 0) |
                    (ch & DMA_PORT_RX_IN ? n->m_rx_post : 0);
    return adj & keep;
}

/* esp_tx and tx_mac: their filters, and their whole steps (esp_tx_step, tx_mac_step), live
 * with the blocks (esp_tx.h, mac.h), which inline them into the step. */
static uint32_t esp_tx_neighbours(void *self, uint32_t adj)
{
    return esp_tx_filter(self, adj);
}

static uint32_t tx_mac_neighbours(void *self, uint32_t adj)
{
    return tx_mac_filter(self, adj);
}

/* Whole steps of the TX blocks due alone (sim_block.step): eval, commit, neighbour filter and
 * next event, as the scheduler would call them one by one. */
static uint64_t dma_pool_step(void *self, uint64_t now, uint32_t adj, uint32_t *nbrs)
{
    struct nic *n = self;
    uint64_t t = dma_step(&n->dma, now); /* eval, dma_pool_commit's two commits, next event */
    *nbrs = dma_neighbours(n, adj);
    return t;
}

static int set_filters(struct nic *n)
{
    const void *blk[6] = {n, &n->esp_tx, &n->gp_tx, &n->tx_mac, &n->esp_rx_post, &n->esp_rx};
    uint32_t m_esp_rx;
    uint32_t *mask[6] = {&n->m_dma,    &n->m_esp_tx,  &n->m_gp_tx,
                         &n->m_tx_mac, &n->m_rx_post, &m_esp_rx};
    for (unsigned i = 0; i < 6; i++) {
        int b = sim_find(&n->sim, blk[i]);
        if (b < 0)
            return -1;
        *mask[i] = 1u << b;
    }
    /* The pools' FIFO neighbours: tx_pool_in / tx_mac_in, rx_pool_in / rx_post_in. */
    gcm_pool_set_fifo_peers(&n->gp_tx, n->m_esp_tx, n->m_tx_mac);
    gcm_pool_set_fifo_peers(&n->gp_rx, m_esp_rx, n->m_rx_post);
    return sim_set_neighbour_filter(&n->sim, n, dma_neighbours) ||
           sim_set_neighbour_filter(&n->sim, &n->esp_tx, esp_tx_neighbours) ||
           sim_set_neighbour_filter(&n->sim, &n->tx_mac, tx_mac_neighbours);
}

/* Every pair of blocks that share a FIFO or a stream, for sparse scheduling. */
static int link_blocks(struct nic *n)
{
    const void *pairs[][2] = {
        {n, &n->esp_tx},          {n, &n->tx_mac},           {n, &n->esp_rx_post},
        {&n->esp_tx, &n->gp_tx},  {&n->gp_tx, &n->tx_mac},   {&n->esp_rx, &n->gp_rx},
        {&n->gp_rx, &n->esp_rx_post},
    };
    int bad = 0;
    for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++)
        bad |= sim_link(&n->sim, pairs[i][0], pairs[i][1]);
    const struct gcm_pool *gps[2] = {&n->gp_tx, &n->gp_rx};
    for (unsigned k = 0; k < 2; k++)
        for (unsigned i = 0; i < gps[k]->nunits; i++)
            bad |= sim_link(&n->sim, gps[k], gps[k]->unit[i]);
    return bad;
}

struct nic *nic_create(const struct nicsim_params *p, char *err, size_t errlen)
{
    char msg[160];
    if (nicsim_params_check(p, msg, sizeof(msg))) {
        fail(err, errlen, msg);
        return NULL;
    }
    struct nic *n = calloc(1, sizeof(*n));
    if (!n) {
        fail(err, errlen, "out of memory");
        return NULL;
    }
    struct nic_ctx *c = &n->ctx;
    c->p = *p;
    /* wire: cycles per byte = 8 bits / (Gb/s) * MHz / 1000 */
    c->wire_cycles_num = 8ull * p->clock_mhz;
    c->wire_cycles_den = 1000ull * p->wire_gbps;
    sim_init(&n->sim);
    host_mem_init(&n->hm);

    struct gcm_unit_cfg ucfg;
    gcm_unit_cfg_default(&ucfg);
    ucfg.mode = p->data_mode ? GCM_DATA_BIT : GCM_DATA_FAST;
    ucfg.force_portable = p->force_portable != 0;
    ucfg.max_len = p->mtu + PKT_TAILROOM;

    struct dma_cfg dcfg;
    int bad = tables_init(c) || sa_csr_init(&n->sat, c) ||
              pkt_pool_init(&n->pool, p->pkt_buffers, p->mtu);
    n->jobs = bad ? NULL : calloc(p->pkt_buffers, sizeof(*n->jobs));
    bad = bad || !n->jobs;
    struct fifo *fifos[] = {&n->tx_pool_in, &n->tx_mac_in, &n->tx_done, &n->rx_in,
                            &n->rx_pool_in, &n->rx_post_in, &n->rx_dma_in};
    for (size_t i = 0; i < sizeof(fifos) / sizeof(fifos[0]); i++)
        bad = bad || fifo_init(fifos[i], i == 3 ? p->pkt_buffers : NIC_FIFO_DEPTH);
    if (!bad) {
        dma_cfg_from_params(&dcfg, p, &n->pool, &n->hm);
        bad = dma_init(&n->dma, &dcfg, &n->tx_done, &n->rx_dma_in) ||
              gcm_pool_init(&n->gp_tx, p->engines, &ucfg, p->pkt_buffers, &n->tx_pool_in,
                            &n->tx_mac_in) ||
              gcm_pool_init(&n->gp_rx, p->engines, &ucfg, p->pkt_buffers, &n->rx_pool_in,
                            &n->rx_post_in);
    }
    if (bad) {
        nic_destroy(n);
        fail(err, errlen, "out of memory (or OpenSSL unavailable) creating the device");
        return NULL;
    }
    n->gp_tx.trace = n->gp_rx.trace = &n->ctx.trace;
    n->gp_tx.tblock = TRACE_GCM_TX;
    n->gp_rx.tblock = TRACE_GCM_RX;
    esp_tx_init(&n->esp_tx, c, &n->pool, n->jobs, &n->dma.tx_out, &n->tx_pool_in);
    tx_mac_init(&n->tx_mac, c, &n->tx_mac_in, &n->tx_done);
    rx_mac_init(&n->rx_mac, c, &n->pool, &n->rx_in);
    esp_rx_init(&n->esp_rx, c, &n->pool, n->jobs, &n->rx_in, &n->rx_pool_in);
    esp_rx_post_init(&n->esp_rx_post, c, &n->rx_post_in, &n->rx_dma_in);
    fw_cpu_init(&n->fw, &c->p, &n->sat, mmio_top_read, &n->mmio);
    struct mmio_ports ports = {n, &c->p, c, &n->dma, &n->fw};
    mmio_init(&n->mmio, &ports);

    bad = add_block(n, "dma", n, dma_pool_eval, dma_pool_commit, dma_pool_next_event,
                    dma_pool_step) ||
          add_block(n, "esp_tx", &n->esp_tx, esp_tx_eval, esp_tx_commit, esp_tx_next_event,
                    esp_tx_step) ||
          gcm_pool_add_to_sim(&n->gp_tx, &n->sim, "gcm_tx") ||
          add_block(n, "tx_mac", &n->tx_mac, tx_mac_eval, tx_mac_commit, tx_mac_next_event,
                    tx_mac_step) || tx_mac_set_peers(&n->tx_mac, &n->sim, &n->gp_tx, n) ||
          add_block(n, "esp_rx", &n->esp_rx, esp_rx_eval, esp_rx_commit, esp_rx_next_event,
                    NULL) ||
          gcm_pool_add_to_sim(&n->gp_rx, &n->sim, "gcm_rx") ||
          add_block(n, "esp_rx_post", &n->esp_rx_post, esp_rx_post_eval, esp_rx_post_commit,
                    esp_rx_post_next_event, NULL) ||
          add_block(n, "fw_cpu", &n->fw, fw_cpu_eval, fw_cpu_commit, fw_cpu_next_event, NULL) ||
          link_blocks(n) || set_filters(n);
    sim_set_sparse(&n->sim, true);
    if (bad) {
        nic_destroy(n);
        fail(err, errlen, "too many blocks for the scheduler (engines too large)");
        return NULL;
    }
    return n;
}

void nic_destroy(struct nic *n)
{
    if (!n)
        return;
    struct nic_ctx *c = &n->ctx;
    if (n->dma.rq)
        dma_free(&n->dma);
    if (n->gp_tx.rob)
        gcm_pool_free(&n->gp_tx);
    if (n->gp_rx.rob)
        gcm_pool_free(&n->gp_rx);
    struct fifo *fifos[] = {&n->tx_pool_in, &n->tx_mac_in, &n->tx_done, &n->rx_in,
                            &n->rx_pool_in, &n->rx_post_in, &n->rx_dma_in};
    for (size_t i = 0; i < sizeof(fifos) / sizeof(fifos[0]); i++)
        fifo_free(fifos[i]);
    free(n->jobs);
    if (n->pool.pkts)
        pkt_pool_free(&n->pool);
    fw_cpu_destroy(&n->fw);
    sa_csr_destroy(&n->sat);
    sa_cam_destroy(&c->cam);
    key_ram_destroy(c->kr_tx);
    key_ram_destroy(c->kr_rx);
    esn_destroy(&c->esn_tx);
    esn_destroy(&c->esn_rx);
    free(c->sa_tx);
    free(c->sa_rx);
    free(n);
}

const struct nicsim_params *nic_params(const struct nic *n)
{
    return &n->ctx.p;
}

int nic_host_register(struct nic *n, uint64_t iova, void *host, size_t len)
{
    return host_mem_register(&n->hm, iova, host, len);
}

int nic_set_hostbus(struct nic *n, const struct nic_hostbus *bus)
{
    if (!n || (bus && (!bus->read || !bus->write)))
        return -EINVAL;
    struct host_mem_bus b = {0};
    if (bus)
        b = (struct host_mem_bus){bus->read, bus->write, bus->ctx};
    host_mem_set_bus(&n->hm, bus ? &b : NULL);
    return 0;
}

/* BAR0: regs.def, decoded by mmio.c (the DMA window stays at NIC_MMIO_DMA_BASE). */
uint32_t nic_mmio_read(struct nic *n, uint32_t off)
{
    return mmio_read(&n->mmio, off);
}

void nic_mmio_write(struct nic *n, uint32_t off, uint32_t value)
{
    mmio_write(&n->mmio, off, value);
}

/* ---- SAs: the backdoor (the firmware's path is SAT.OP; both end in sa_csr) -------------- */

int nic_sa_add(struct nic *n, const struct nic_sa *sa)
{
    return sa_csr_add(&n->sat, sa);
}

int nic_sa_delete(struct nic *n, enum nic_sa_dir dir, int handle)
{
    int rc = sa_csr_delete(&n->sat, dir, handle);
    return rc ? rc : sa_csr_free_slot(&n->sat, dir, handle);
}

int nic_sa_unlink(struct nic *n, enum nic_sa_dir dir, int handle)
{
    return sa_csr_delete(&n->sat, dir, handle);
}

int nic_sa_release(struct nic *n, enum nic_sa_dir dir, int handle)
{
    return sa_csr_free_slot(&n->sat, dir, handle);
}

int nic_sa_advance_esn(struct nic *n, int handle, uint32_t seq_hi, uint32_t bottom)
{
    if (handle < 0)
        return -ENOENT;
    return esn_rx_advance(&n->ctx.esn_rx, (uint32_t)handle, seq_hi, bottom);
}

int nic_sa_stats(const struct nic *n, enum nic_sa_dir dir, int handle, uint64_t *packets,
                 uint64_t *bytes)
{
    return sa_csr_stats(&n->sat, dir, handle, packets, bytes);
}

/* ---- wire, time, statistics ------------------------------------------------------------ */

void nic_set_wire_tx(struct nic *n, nic_wire_fn fn, void *user)
{
    n->tx_mac.wire = fn;
    n->tx_mac.wire_user = user;
}

int nic_wire_rx(struct nic *n, const uint8_t *frame, size_t len)
{
    return rx_mac_frame(&n->rx_mac, frame, len, n->sim.cycle);
}

uint64_t nic_cycle(const struct nic *n)
{
    return n->sim.cycle;
}

/* The steps of cycles < `cycle` run and the clock stands at `cycle` (sim_run's limit is
 * exclusive), so a host call that follows (nic_wire_rx, MMIO) acts at exactly `cycle`, and
 * nic_run_until(n, a); nic_run_until(n, b) is nic_run_until(n, b). */
void nic_run_until(struct nic *n, uint64_t cycle)
{
    if (cycle <= n->sim.cycle)
        return;
    sim_run(&n->sim, cycle);
    if (n->sim.cycle < cycle)
        n->sim.cycle = cycle; /* idle: time passes with nothing to do */
}

uint64_t nic_steps(const struct nic *n)
{
    return n->sim.steps;
}

/* Steps the cycles [now, now + max_cycles): a busy card stands at now + max_cycles after it,
 * so nic_run(n, a); nic_run(n, b) is nic_run(n, a + b) (when the first does not go idle). */
bool nic_run(struct nic *n, uint64_t max_cycles)
{
    uint64_t limit = n->sim.cycle + max_cycles;
    if (limit < n->sim.cycle)
        limit = SIM_NEVER - 1;
    return sim_run(&n->sim, limit);
}

const struct nic_stats *nic_get_stats(const struct nic *n)
{
    struct nic *m = (struct nic *)n; /* the view is a cache, not device state */
    const struct dma_stats *ds = dma_get_stats(&n->dma);
    m->view = n->ctx.stats;
    struct nic_dir_stats *tx = &m->view.tx, *rx = &m->view.rx;
    tx->dropped[NIC_DROP_DMA_ERROR] += ds->tx_dma_error;
    tx->dropped[NIC_DROP_BAD_DESC] += ds->tx_bad_desc;
    tx->in = tx->out;
    for (unsigned i = 1; i < NIC_DROP_COUNT; i++)
        tx->in += tx->dropped[i];
    tx->bytes_in = ds->bytes_read;
    /* RX packets the pipeline passed on can still fail in dma (no buffer posted). */
    rx->dropped[NIC_DROP_RX_NO_BUFFER] += ds->rx_no_buffer;
    rx->dropped[NIC_DROP_RX_TOO_SMALL] += ds->rx_too_small;
    rx->dropped[NIC_DROP_DMA_ERROR] += ds->rx_dma_error;
    uint64_t lost = ds->rx_no_buffer + ds->rx_too_small + ds->rx_dma_error;
    rx->out = rx->out > lost ? rx->out - lost : 0;
    m->view.engine_busy_cycles = n->gp_tx.busy_cycles + n->gp_rx.busy_cycles;
    return &m->view;
}

int nic_poll_event(struct nic *n, struct nic_event *ev)
{
    struct nic_ctx *c = &n->ctx;
    if (c->ev_head == c->ev_tail)
        return 0;
    *ev = c->events[c->ev_head++ % NIC_EVENT_RING];
    return 1;
}

size_t nic_sa_state_bytes(const struct nic *n)
{
    const struct nic_ctx *c = &n->ctx;
    size_t cap = (size_t)c->p.rx_sa_entries + c->p.tx_sa_entries;
    size_t bytes = sa_cam_bytes(&c->cam) + esn_bytes(&c->esn_tx) + esn_bytes(&c->esn_rx) +
                   cap * (sizeof(struct key_ram_slot) + sizeof(struct sa_counters));
    return bytes / cap;
}

/* ---- observability ------------------------------------------------------------------------ */

static void after_step(void *ctx, uint64_t cycle)
{
    trace_sample(ctx, cycle);
}

/* Probe table: names follow the RTL hierarchy (nic_top.u_<block>.<signal>). */
static int probe_all(struct nic *n)
{
    struct trace *t = &n->trace;
    const struct dma_regs *dq = &n->dma.q;
    static const char *const ring_names[DMA_NRINGS] = {"txd", "txc", "rxd", "rxc"};
    char name[64];
    int bad = 0;
    for (unsigned r = 0; r < DMA_NRINGS; r++) {
        snprintf(name, sizeof(name), "nic_top.u_dma.%s_head", ring_names[r]);
        bad |= trace_probe(t, name, &dq->ring[r].head, 4, 16);
        snprintf(name, sizeof(name), "nic_top.u_dma.%s_tail", ring_names[r]);
        bad |= trace_probe(t, name, &dq->ring[r].tail, 4, 16);
    }
    bad |= trace_probe(t, "nic_top.u_dma.intr_cause", &dq->intr_cause, 4, 3);
    const struct gcm_pool *pools[2] = {&n->gp_tx, &n->gp_rx};
    static const char *const pool_names[2] = {"u_gcm_tx", "u_gcm_rx"};
    for (unsigned k = 0; k < 2; k++) {
        const struct gcm_pool *gp = pools[k];
        snprintf(name, sizeof(name), "nic_top.%s.rob_head", pool_names[k]);
        bad |= trace_probe(t, name, &gp->q.rob_head, 4, 16);
        snprintf(name, sizeof(name), "nic_top.%s.rob_tail", pool_names[k]);
        bad |= trace_probe(t, name, &gp->q.rob_tail, 4, 16);
        for (unsigned i = 0; i < gp->nunits; i++) {
            const struct gcm_unit *u = gp->unit[i];
            static const char *const sig[4] = {"in_valid", "in_ready", "out_valid", "busy"};
            const void *ptr[4] = {&u->in.valid_q, &u->in.ready_q, &u->out.valid_q, &u->q.cur};
            const unsigned size[4] = {sizeof(bool), sizeof(bool), sizeof(bool), sizeof(void *)};
            for (unsigned s = 0; s < 4; s++) {
                snprintf(name, sizeof(name), "nic_top.%s.u_unit%u.%s", pool_names[k], i, sig[s]);
                bad |= trace_probe(t, name, ptr[s], size[s], 1);
            }
        }
    }
    bad |= trace_probe(t, "nic_top.u_tx_mac.busy", &n->tx_mac.q.cur, sizeof(void *), 1);
    bad |= trace_probe(t, "nic_top.u_stats.tx_out", &n->ctx.stats.tx.out, 8, 32);
    bad |= trace_probe(t, "nic_top.u_stats.rx_out", &n->ctx.stats.rx.out, 8, 32);
    return bad ? -EINVAL : 0;
}

int nic_trace_vcd(struct nic *n, FILE *vcd)
{
    if (!vcd || n->trace.vcd)
        return -EINVAL;
    n->trace.vcd = vcd;
    if (probe_all(n))
        return -EINVAL;
    n->ctx.trace = &n->trace;
    n->sim.after_step = after_step;
    n->sim.after_ctx = &n->trace;
    trace_sample(&n->trace, n->sim.cycle);
    return 0;
}

int nic_trace_events(struct nic *n, FILE *out, const char *blocks)
{
    int64_t mask = blocks ? trace_parse_mask(blocks) : -1;
    if (!out || mask < 0)
        return -EINVAL;
    n->trace.events = out;
    n->trace.event_mask = (uint32_t)mask;
    n->ctx.trace = &n->trace;
    return 0;
}

/* bench_model.c - the whole device doing TX packet-offload ESP on the bench's packets, through
 * the testbench harness (libdut), in FAST or BIT data mode (see bench.h).
 *
 * One device with the default parameters and one TX SA (AES-128, ICV 16, transport, packet
 * offload, first SN 1). The host keeps the TX ring full: it posts until the ring is full, runs
 * the card for BENCH_SLICE cycles with nic_run(), reaps completions and frees the harness's
 * records (dut_run for one cycle), and repeats until the measurement has lasted
 * opts->min_time seconds and seen opts->min_packets packets; then it lets the card drain.
 * Wall time is split into post (dut_tx), run (nic_run) and reap; the golden check of sampled
 * frames is timed apart and not counted. Simulated figures are cycles and scheduler steps from
 * the first post to the cycle the card went idle. The device lives from bench_model_open (which
 * also runs a warm-up measurement) to bench_model_close, so that bench_main.c can take its
 * measurements in turn with the reference's.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "dut.h"

#define BENCH_SLICE 8192u        /* cycles per nic_run call: < a ring of work at 64 bytes   */
#define BENCH_STALL_SLICES 2000u /* slices without a completion: the device is stuck        */
#define BENCH_STAGE_IOVA 0x800000000ull /* the staged packets (above the dut's host block)  */

struct bench_dev {
    struct dut *d;
    const struct bench_traffic *t;
    struct gold_sa gsa;
    int sa;
    uint8_t *stage;     /* the BENCH_NPKT packets in a host memory region of their own */
    uint32_t stride;    /* bytes between two staged packets (size rounded up to 64)    */
    uint32_t clock_mhz;
    uint64_t posted, completed, frames, verified;
    double t_post, t_run, t_reap, t_check;
    char *err;
    size_t errlen;
};

void bench_model_params(unsigned data_mode, unsigned *clock_mhz, unsigned *engines)
{
    struct nicsim_params p;
    nicsim_params_default(&p);
    p.data_mode = data_mode;
    *clock_mhz = p.clock_mhz;
    *engines = p.engines;
}

static bool sampled(uint64_t k)
{
    return k < 8 || k % 257 == 0;
}

/* Post until the TX ring is full. Zero-copy, like a driver that maps the packet's own buffer:
 * each descriptor points at the staged copy of its packet (the card reads the same bytes as
 * from a copy in the harness's ring buffers; the DMA timing depends on the length only). */
static int post(struct bench_dev *m)
{
    double t0 = bench_now();
    for (;;) {
        struct nic_tx_desc desc = {
            .addr = BENCH_STAGE_IOVA + (m->posted % BENCH_NPKT) * m->stride,
            .len = m->t->size,
            .sa_handle = (uint16_t)m->sa,
            .flags = NIC_TXF_IPSEC,
            .cookie = (uint32_t)m->posted,
        };
        int rc = dut_tx_desc(m->d, &desc);
        if (rc == -EAGAIN)
            break;
        if (rc) {
            snprintf(m->err, m->errlen, "dut_tx refused a %u-byte packet: %d", m->t->size, rc);
            return -1;
        }
        m->posted++;
    }
    dut_tx_doorbell(m->d); /* one doorbell for the batch (tx_defer_doorbell) */
    m->t_post += bench_now() - t0;
    return 0;
}

/* Check what the card produced since the last call, then drop the harness's records. */
static int collect(struct bench_dev *m)
{
    struct dut *d = m->d;
    for (size_t i = 0; i < d->txc.n; i++, m->completed++) {
        const struct nic_tx_cpl *c = &d->txc.v[i].tx;
        if (c->status != NIC_TXS_OK || c->cookie != (uint32_t)m->completed) {
            snprintf(m->err, m->errlen, "TX completion %llu: status %u cookie %u",
                     (unsigned long long)m->completed, c->status, c->cookie);
            return -1;
        }
    }
    /* The harness records only the sampled frames (dut wire_keep), each with its number. */
    for (size_t i = 0; i < d->wire.n; i++) {
        const struct dut_frame *f = &d->wire.v[i];
        if (!sampled(f->k) || f->k < m->frames || f->k >= d->wire_sent) {
            snprintf(m->err, m->errlen, "harness recorded wire frame %llu out of sequence",
                     (unsigned long long)f->k);
            return -1;
        }
        double t0 = bench_now();
        int rc = bench_check_frame(&m->gsa, m->t, f->k, f->data, f->len, m->err, m->errlen);
        m->t_check += bench_now() - t0;
        if (rc)
            return -1;
        m->verified++;
    }
    m->frames = d->wire_sent;
    if (m->frames < m->completed) { /* a frame leaves before its completion lands */
        snprintf(m->err, m->errlen, "%llu wire frames but %llu TX completions",
                 (unsigned long long)m->frames, (unsigned long long)m->completed);
        return -1;
    }
    dut_list_clear(&d->txc);
    dut_list_clear(&d->wire);
    return 0;
}

/* One measurement; fills r from the wall and simulated time it took. */
static int run_once(struct bench_dev *m, double min_time, uint64_t min_packets,
                    struct bench_model *r)
{
    struct nic *n = m->d->nic;
    uint64_t cyc0 = nic_cycle(n), steps0 = nic_steps(n), posted0 = m->posted;
    unsigned stall = 0;
    m->t_post = m->t_run = m->t_reap = m->t_check = 0;
    double start = bench_now();
    for (;;) {
        double el = bench_now() - start - m->t_check;
        bool more = el < min_time || m->posted - posted0 < min_packets;
        if (more && post(m))
            return -1;
        uint64_t before = m->completed;
        double t0 = bench_now();
        nic_run(n, BENCH_SLICE);
        double t1 = bench_now();
        dut_run(m->d, 1); /* reap completions, re-post RX buffers */
        m->t_reap += bench_now() - t1;
        m->t_run += t1 - t0;
        double t2 = bench_now();
        int rc = collect(m);
        m->t_reap += bench_now() - t2;
        if (rc)
            return -1;
        if (!more && m->completed == m->posted && m->frames == m->posted)
            break;
        stall = m->completed == before ? stall + 1 : 0;
        if (stall > BENCH_STALL_SLICES) {
            snprintf(m->err, m->errlen, "device stalled: %llu posted, %llu completed",
                     (unsigned long long)m->posted, (unsigned long long)m->completed);
            return -1;
        }
    }
    const struct nic_stats *st = nic_get_stats(n);
    if (st->tx.out != m->completed || st->tx.offloaded != m->completed) {
        snprintf(m->err, m->errlen, "device counted %llu out, %llu offloaded, %llu completed",
                 (unsigned long long)st->tx.out, (unsigned long long)st->tx.offloaded,
                 (unsigned long long)m->completed);
        return -1;
    }
    memset(r, 0, sizeof(*r));
    double wall = m->t_post + m->t_run + m->t_reap;
    r->packets = m->posted - posted0;
    r->wall_s = wall;
    r->pps = (double)r->packets / wall;
    r->mbps = r->pps * m->t->size / 1e6;
    r->cycles = nic_cycle(n) - cyc0;
    r->steps = nic_steps(n) - steps0;
    r->cycles_per_pkt = (double)r->cycles / (double)r->packets;
    r->steps_per_pkt = (double)r->steps / (double)r->packets;
    r->sim_mpps = m->clock_mhz / r->cycles_per_pkt;
    r->sim_gbps = r->sim_mpps * m->t->size * 8 / 1e3;
    r->cycles_per_s = (double)r->cycles / wall;
    r->share_post = m->t_post / wall;
    r->share_run = m->t_run / wall;
    r->share_reap = m->t_reap / wall;
    return 0;
}

static int setup(struct bench_dev *m, const struct bench_traffic *t, unsigned data_mode)
{
    struct nicsim_params p;
    nicsim_params_default(&p);
    p.data_mode = data_mode;
    m->clock_mhz = p.clock_mhz;
    m->d = dut_create(&p, m->err, m->errlen);
    if (!m->d)
        return -1;
    m->d->wire_keep = sampled; /* count every frame, copy only the ones checked */
    m->d->tx_defer_doorbell = true;
    m->stride = (t->size + 63u) & ~63u;
    m->stage = calloc(BENCH_NPKT, m->stride);
    if (!m->stage) {
        snprintf(m->err, m->errlen, "out of memory");
        return -1;
    }
    for (unsigned i = 0; i < BENCH_NPKT; i++)
        memcpy(m->stage + (size_t)i * m->stride, bench_traffic_pkt(t, i), t->size);
    if (nic_host_register(m->d->nic, BENCH_STAGE_IOVA, m->stage,
                          (size_t)BENCH_NPKT * m->stride)) {
        snprintf(m->err, m->errlen, "cannot register the staged packets");
        return -1;
    }
    struct nic_sa sa = {.dir = NIC_SA_OUT, .mode = NIC_SA_TRANSPORT,
                        .offload = NIC_OFFLOAD_PACKET, .icv_len = 16,
                        .keymat_len = sizeof(t->keymat), .spi = BENCH_SPI};
    memcpy(sa.keymat, t->keymat, sizeof(t->keymat));
    m->sa = nic_sa_add(m->d->nic, &sa);
    if (m->sa < 0 || bench_check_sa(t, &m->gsa)) {
        snprintf(m->err, m->errlen, "cannot install the TX SA: %d", m->sa);
        return -1;
    }
    return 0;
}

void bench_model_close(struct bench_dev *m)
{
    if (!m)
        return;
    dut_destroy(m->d);
    free(m->stage);
    free(m);
}

struct bench_dev *bench_model_open(const struct bench_traffic *t, unsigned data_mode,
                                   double warm_time, char *err, size_t errlen)
{
    struct bench_dev *m = calloc(1, sizeof(*m));
    if (!m) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    m->t = t;
    m->err = err;
    m->errlen = errlen;
    struct bench_model warm;
    /* warm-up: caches, allocator, the card's first fill */
    if (setup(m, t, data_mode) || run_once(m, warm_time, 1024, &warm)) {
        bench_model_close(m);
        return NULL;
    }
    return m;
}

int bench_model_measure(struct bench_dev *m, double min_time, uint64_t min_packets,
                        struct bench_model *r)
{
    return run_once(m, min_time, min_packets, r);
}

uint64_t bench_model_verified(const struct bench_dev *m)
{
    return m->verified;
}

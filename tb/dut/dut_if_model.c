/* dut_if_model.c - the DUT interface on the C model (contract in dut_if.h).
 *
 * SAs go through the host's mailbox client (host-driver/nd_mbox) and the card's firmware, as a
 * driver would program them; packets through the testbench host of dut.h (TX ring, wire port).
 * A packet's transaction is what the card produced for it: a TX completion (+ the wire frame
 * when sent), an RX delivery with its completion, or a drop, whose reason is the drop counter
 * that moved (the runner keeps one packet in flight, so exactly one moves).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dut.h"
#include "dut_if.h"
#include "nd_bus.h"
#include "nicsim/regs.h"

struct model {
    struct dut *d;
    struct nicsim_params p;
    struct nd_bus bus;             /* the mailbox client's view of d->nic                 */
    struct nic_stats before;       /* counters when the packet in flight was driven       */
    bool inflight, tx;
    uint64_t t_drive;
};

/* ---- nd_bus over the testbench's nic --------------------------------------------------- */
static struct nic *bus_nic(const struct nd_bus *b) { return ((const struct model *)b->priv)->d->nic; }
static uint32_t bus_rd(struct nd_bus *b, uint32_t off) { return nic_mmio_read(bus_nic(b), off); }
static void bus_wr(struct nd_bus *b, uint32_t off, uint32_t v) { nic_mmio_write(bus_nic(b), off, v); }
static bool bus_run(struct nd_bus *b, uint64_t max) { return nic_run(bus_nic(b), max); }
static uint64_t bus_cycle(const struct nd_bus *b) { return nic_cycle(bus_nic(b)); }
static const struct nd_bus_ops bus_ops = {.mmio_read = bus_rd, .mmio_write = bus_wr,
                                          .run = bus_run, .cycle = bus_cycle};

static int drive(struct dut_if *di, const struct dut_cmd *c)
{
    struct model *m = di->priv;
    if (c->kind != DUT_TX && c->kind != DUT_RX)
        return dut_if_control(&m->bus, c);
    if (m->inflight)
        return -EAGAIN;
    m->before = *nic_get_stats(m->d->nic);
    int rc = c->kind == DUT_TX ? dut_tx(m->d, c->frame, c->len, c->handle, c->seq_hi, 0)
                               : dut_wire_rx(m->d, c->frame, c->len);
    if (rc == 0 || c->kind == DUT_RX) { /* a refused RX frame is counted: its drop reports it */
        m->inflight = true;
        m->tx = c->kind == DUT_TX;
        m->t_drive = nic_cycle(m->d->nic);
        rc = 0;
    }
    return rc;
}

static bool tick(struct dut_if *di, uint64_t max_cycles)
{
    struct model *m = di->priv;
    return dut_run(m->d, max_cycles);
}

/* The drop counter of this direction that moved since the packet was driven, or -1. */
static int moved_drop(const struct nic_dir_stats *now, const struct nic_dir_stats *was)
{
    for (int k = 1; k < NIC_DROP_COUNT; k++)
        if (now->dropped[k] != was->dropped[k])
            return k;
    return -1;
}

static int sample(struct dut_if *di, struct dut_txn *t)
{
    struct model *m = di->priv;
    if (!m->inflight)
        return 0;
    const struct nic_stats *s = nic_get_stats(m->d->nic);
    memset(t, 0, offsetof(struct dut_txn, frame));
    t->tx = m->tx;
    t->handle = -1;
    t->len = 0;
    if (m->tx) {
        if (!m->d->txc.n)
            return 0;
        const struct nic_tx_cpl *c = &m->d->txc.v[0].tx;
        t->status = c->status;
        t->handle = c->status == NIC_TXS_OK || c->status == NIC_TXS_BAD_PACKET ? c->sa_handle : -1;
        int k = moved_drop(&s->tx, &m->before.tx);
        t->drop = k < 0 ? NIC_DROP_NONE : k;
        if (k < 0) {
            if (!m->d->wire.n)
                return 0; /* completed but the frame is still on its way to the wire */
            memcpy(t->frame, m->d->wire.v[0].data, m->d->wire.v[0].len);
            t->len = m->d->wire.v[0].len;
        }
    } else {
        int k = moved_drop(&s->rx, &m->before.rx);
        if (k < 0 && !m->d->rx.n)
            return 0;
        t->drop = k < 0 ? NIC_DROP_NONE : k;
        if (k < 0) {
            const struct dut_frame *f = &m->d->rx.v[0];
            t->status = f->rx.status;
            t->flags = f->rx.flags;
            t->handle = f->rx.flags & NIC_RXF_IPSEC ? f->rx.sa_handle : -1;
            t->seq_hi = f->rx.seq_hi;
            memcpy(t->frame, f->data, f->len);
            t->len = f->len;
        }
    }
    t->latency = nic_cycle(m->d->nic) - m->t_drive;
    dut_list_clear(&m->d->txc);
    dut_list_clear(&m->d->wire);
    dut_list_clear(&m->d->rx);
    m->inflight = false;
    return 1;
}

static uint64_t cycle(const struct dut_if *di)
{
    const struct model *m = di->priv;
    return nic_cycle(m->d->nic);
}

static void destroy(struct dut_if *di)
{
    if (!di)
        return;
    struct model *m = di->priv;
    dut_destroy(m->d);
    free(m);
    free(di);
}

static int reset(struct dut_if *di)
{
    struct model *m = di->priv;
    m->inflight = false;
    dut_list_clear(&m->d->txc);
    dut_list_clear(&m->d->wire);
    dut_list_clear(&m->d->rx);
    return dut_if_mbox_reset(&m->bus);
}

struct dut_if *dut_if_model_create(const struct nicsim_params *p, char *err, size_t errlen)
{
    struct dut_if *di = calloc(1, sizeof *di);
    struct model *m = calloc(1, sizeof *m);
    if (!di || !m) {
        snprintf(err, errlen, "out of memory");
        free(di);
        free(m);
        return NULL;
    }
    m->d = dut_create(p, err, errlen);
    if (!m->d) {
        free(di);
        free(m);
        return NULL;
    }
    m->p = *p;
    m->bus.ops = &bus_ops;
    m->bus.priv = m;
    di->name = "model";
    di->priv = m;
    di->reset = reset;
    di->drive = drive;
    di->tick = tick;
    di->sample = sample;
    di->cycle = cycle;
    di->destroy = destroy;
    return di;
}

/* mac.c - wire serialisation (TX) and arrival (RX) (see mac.h). */
#include "mac.h"

#include <errno.h>
#include <string.h>

void tx_mac_init(struct tx_mac *m, struct nic_ctx *ctx, struct fifo *in, struct fifo *out)
{
    memset(m, 0, sizeof(*m));
    m->ctx = ctx;
    m->in = in;
    m->out = out;
}

/* The block's functions, inlined into tx_mac_step() so that the scheduler's most frequent step
 * outside dma is one function (sim.h); forced, since gcc leaves a second copy of the commit out
 * of line. Eval hands its commit actions to the commit in a struct tx_act: a local in the
 * step (registers), kept in struct tx_mac between the scheduler's separate eval and commit
 * calls. The wrappers below serve steps with other blocks due. */
struct tx_act {
    struct pkt *emit; /* frame leaving this cycle                  */
    struct pkt *drop; /* dropped token forwarded this cycle        */
    bool popped;      /* a token was taken from `in` (emit or not) */
};

static inline __attribute__((always_inline)) void tx_eval(struct tx_mac *m, uint64_t now,
                                                          struct tx_act *a)
{
    m->d.cur = m->q.cur; /* member by member: see tx_commit */
    m->d.end = m->q.end;
    a->emit = a->drop = NULL;
    a->popped = false;
    bool wire_free = true;
    if (m->q.cur) {
        if (now < m->q.end || !fifo_can_push(m->out))
            wire_free = false;
        else {
            a->emit = m->q.cur;
            fifo_push(m->out, m->q.cur, now);
            m->d.cur = NULL;
        }
    }
    if (!wire_free)
        return;
    struct pkt *p = fifo_peek(m->in, now);
    if (!p)
        return;
    if (p->drop) {
        if (a->emit || !fifo_can_push(m->out))
            return; /* one token into dma per cycle */
        fifo_pop(m->in);
        fifo_push(m->out, p, now);
        a->drop = p;
        a->popped = true;
        return;
    }
    fifo_pop(m->in);
    a->popped = true;
    m->d.cur = p;
    m->d.end = now + nic_ctx_wire_cycles(m->ctx, p->len);
}

/* Out of line and cold: a varargs call in the commit costs register saves on every step. */
static __attribute__((noinline, cold)) void trace_sent(struct nic_ctx *c, const struct pkt *p,
                                                       uint64_t now)
{
    trace_event(c->trace, TRACE_TX_MAC, now, "pkt %u len %u sent", p->id, p->len);
}

/* The edge after tx_eval(m, now, a); `moved` is what the filter will read (TX_MAC_MOVED_*). */
static inline __attribute__((always_inline)) void tx_commit(struct tx_mac *m,
                                                            const struct tx_act *a,
                                                            uint64_t now, uint8_t moved)
{
    struct nic_ctx *c = m->ctx;
    if (a->emit) {
        struct pkt *p = a->emit;
        if (m->wire)
            m->wire(m->wire_user, p->data, p->len, now);
        if (p->job) {
            c->stats.tx.offloaded++;
            nic_ctx_sa_count(c, NIC_SA_OUT, p->sa, p->len);
        }
        nic_ctx_account(&c->stats.tx, 0, p->len, p->t_in, now);
        if (trace_on(c->trace, TRACE_TX_MAC)) /* no varargs call when off */
            trace_sent(c, p, now);
    }
    if (a->drop)
        nic_ctx_account(&c->stats.tx, a->drop->drop, a->drop->len, a->drop->t_in, now);
    /* Member by member: eval stored them one by one, and a whole-struct copy reloads them as
     * one 16-byte word, which stalls on store forwarding. */
    m->q.cur = m->d.cur;
    m->q.end = m->d.end;
    m->moved = moved;
    fifo_commit(m->in);
    fifo_commit(m->out);
}

static inline __attribute__((always_inline)) uint64_t tx_next_event(const struct tx_mac *m, uint64_t now)
{
    if (m->q.cur)
        return m->q.end > now ? m->q.end : now;
    return fifo_next_event(m->in, now);
}

void tx_mac_eval(void *self, uint64_t now)
{
    struct tx_mac *m = self;
    struct tx_act a;
    tx_eval(m, now, &a);
    m->emit = a.emit;
    m->drop = a.drop;
    m->now_e = now;
}

void tx_mac_commit(void *self)
{
    struct tx_mac *m = self;
    const struct tx_act a = {m->emit, m->drop, false};
    /* A pointer moves at this edge iff its d differs from its q before the commit (another
     * block of this step may have committed the FIFO already: then it does not count). */
    const struct fifo *in = m->in, *out = m->out;
    uint8_t moved = (uint8_t)((in->rd_d != in->rd_q ? TX_MAC_MOVED_IN : 0) |
                              (out->wr_d != out->wr_q ? TX_MAC_MOVED_OUT : 0));
    tx_commit(m, &a, m->now_e, moved);
    m->emit = m->drop = NULL;
}

uint64_t tx_mac_next_event(const void *self, uint64_t now)
{
    return tx_next_event(self, now);
}

int tx_mac_set_peers(struct tx_mac *m, const struct sim *s, const void *in_peer,
                     const void *out_peer)
{
    int i = sim_find(s, in_peer), o = sim_find(s, out_peer);
    if (i < 0 || o < 0)
        return -1;
    m->peer_in = 1u << i;
    m->peer_out = 1u << o;
    return 0;
}

uint64_t tx_mac_step(void *self, uint64_t now, uint32_t adj, uint32_t *nbrs)
{
    struct tx_mac *m = self;
    struct tx_act a;
    tx_eval(m, now, &a);
    /* Due alone, tx_mac is the only block that moved its FIFOs' pointers this step (it reads
     * `in` and writes `out`; every FIFO starts a step with d = q): the comparison of
     * tx_mac_commit reduces to what its eval did. */
    uint8_t moved = (uint8_t)((a.popped ? TX_MAC_MOVED_IN : 0) |
                              (a.emit || a.drop ? TX_MAC_MOVED_OUT : 0));
    tx_commit(m, &a, now, moved);
    *nbrs = tx_mac_filter(m, adj);
    return tx_next_event(m, now + 1);
}

void rx_mac_init(struct rx_mac *m, struct nic_ctx *ctx, struct pkt_pool *pool,
                 struct fifo *out)
{
    memset(m, 0, sizeof(*m));
    m->ctx = ctx;
    m->pool = pool;
    m->out = out;
}

int rx_mac_frame(struct rx_mac *m, const uint8_t *frame, size_t len, uint64_t now)
{
    struct nic_dir_stats *ds = &m->ctx->stats.rx;
    ds->in++;
    ds->bytes_in += len;
    if (len == 0 || len > m->ctx->p.mtu || !frame) {
        ds->dropped[NIC_DROP_BAD_SYNTAX]++;
        return -EINVAL;
    }
    struct pkt *p = fifo_can_push(m->out) ? pkt_pool_get(m->pool) : NULL;
    if (!p) {
        ds->dropped[NIC_DROP_RX_FIFO_FULL]++;
        return -EAGAIN;
    }
    memcpy(p->data, frame, len);
    p->len = (uint32_t)len;
    p->dir = PKT_RX;
    p->id = m->next_id++;
    p->t_in = now;
    uint64_t start = m->wire_free > now ? m->wire_free : now;
    m->wire_free = start + nic_ctx_wire_cycles(m->ctx, (uint32_t)len);
    fifo_push(m->out, p, m->wire_free);
    trace_event(m->ctx->trace, TRACE_RX_MAC, now, "pkt %u len %u arrives at %llu", p->id, p->len,
                (unsigned long long)m->wire_free);
    /* Between cycles: the push lands at once, as if committed at the last edge. */
    m->out->wr_q = m->out->wr_d;
    return 0;
}

/* esp_tx.c - TX header stage (see esp_tx.h). */
#include "esp_tx.h"

#include <string.h>

#include "esp_frame.h"

void esp_tx_init(struct esp_tx *t, struct nic_ctx *ctx, struct pkt_pool *pool,
                 struct gcm_job *jobs, struct fifo *in, struct fifo *out)
{
    memset(t, 0, sizeof(*t));
    t->ctx = ctx;
    t->pool = pool;
    t->jobs = jobs;
    t->in = in;
    t->out = out;
}

/* Look the SA up and parse as it wants; pure. Fills *e (NULL: no SA), *pr and *parse_cycles
 * (how long the parser is busy); returns the cycles the header work takes. */
static uint32_t classify(const struct esp_tx *t, const struct pkt *p,
                         const struct sa_cam_tx_entry **e, struct parser_result *pr,
                         uint32_t *parse_cycles)
{
    *e = NULL;
    *parse_cycles = 1;
    if (!p->has_sa)
        return 1;
    *e = sa_cam_tx_get(&t->ctx->cam, p->sa);
    if (!*e) {
        parser_result_clear(pr); /* the walk clears it otherwise; 0 walked bytes = 1 cycle */
        return sa_cam_cycles(&t->ctx->cam);
    }
    if ((*e)->cfg.offload == SA_OFFLOAD_PACKET)
        parser_tx_plain(p->data, p->len, pr);
    else
        parser_tx_crypto(p->data, p->len, pr);
    *parse_cycles = parser_cycles(pr);
    return *parse_cycles + sa_cam_cycles(&t->ctx->cam) + ESP_TX_EXTRA;
}

void esp_tx_eval(void *self, uint64_t now)
{
    struct esp_tx *t = self;
    t->d = t->q;
    t->take = NULL;
    if (now < t->q.busy_until || !fifo_can_push(t->out))
        return;
    struct pkt *p = fifo_peek(t->in, now);
    if (!p)
        return;
    uint32_t parse_cycles;
    uint32_t cost = classify(t, p, &t->take_sa, &t->take_pr, &parse_cycles);
    fifo_pop(t->in);
    fifo_push(t->out, p, now + cost);
    t->take = p;
    t->now_e = now;
    t->d.busy_until = now + parse_cycles;
}

/* The header work on the packet taken this cycle: state changes (SN) happen at the edge. */
static void process(struct esp_tx *t, struct pkt *p)
{
    p->job = NULL;
    if (!p->has_sa || p->drop)
        return;
    struct nic_ctx *c = t->ctx;
    const struct sa_cam_tx_entry *e = t->take_sa;
    if (!e) {
        p->drop = NIC_DROP_NO_SA;
        return;
    }
    if (nic_ctx_sa_expired(c, NIC_SA_OUT, p->sa)) {
        p->drop = NIC_DROP_SA_HARD_LIMIT;
        return;
    }
    p->pr = t->take_pr;
    struct gcm_job *job = &t->jobs[pkt_pool_slot(t->pool, p)];
    int rc;
    if (e->cfg.offload == SA_OFFLOAD_PACKET) {
        if (p->pr.status != PARSER_OK && p->pr.status != PARSER_FRAGMENT) {
            p->drop = NIC_DROP_BAD_SYNTAX;
            return;
        }
        uint64_t sn;
        if (esn_tx_peek(&c->esn_tx, p->sa, &sn) != 0) {
            p->drop = NIC_DROP_SN_OVERFLOW;
            return;
        }
        rc = esp_frame_tx_packet(p, e, sn, c->p.mtu, job);
        if (rc == 0)
            esn_tx_advance(&c->esn_tx, p->sa, sn);
    } else {
        rc = p->pr.status == PARSER_OK ? esp_frame_tx_crypto(p, e, job) : NIC_DROP_BAD_SYNTAX;
    }
    if (rc) {
        p->drop = (uint8_t)rc;
        return;
    }
    job->kr = c->kr_tx;
    job->slot = p->sa;
    job->user = p;
    p->job = job;
}

void esp_tx_commit(void *self)
{
    struct esp_tx *t = self;
    t->moved = t->take != NULL;
    if (t->take) {
        struct pkt *p = t->take;
        process(t, p);
        if (trace_on(t->ctx->trace, TRACE_ESP_TX)) /* no varargs call when off */
            trace_event(t->ctx->trace, TRACE_ESP_TX, t->now_e, "pkt %u len %u sa %d sn %llu %s",
                        p->id, p->len, p->has_sa ? p->sa : -1, (unsigned long long)p->sn,
                        p->drop ? nic_drop_name(p->drop) : p->job ? "to engine" : "pass");
    }
    t->take = NULL;
    t->q = t->d;
    fifo_commit(t->in);
    fifo_commit(t->out);
}

uint64_t esp_tx_next_event(const void *self, uint64_t now)
{
    const struct esp_tx *t = self;
    if (fifo_empty_q(t->in) || fifo_count_q(t->out) >= t->out->depth)
        return SIM_NEVER;
    /* max(head ready, parser free, now); the FIFO is known non-empty */
    const struct fifo *in = t->in;
    uint64_t when = in->mem[in->rd_q & in->mask].ready_at;
    if (when < t->q.busy_until)
        when = t->q.busy_until;
    return when > now ? when : now;
}

/* esp_tx is rarely due alone (it takes a packet in the cycle dma hands it over), so its eval
 * and commit stay single functions, each inlining its one helper (classify, process): a second
 * inlined copy here made gcc call both out of line from the hot functions. */
uint64_t esp_tx_step(void *self, uint64_t now, uint32_t adj, uint32_t *nbrs)
{
    esp_tx_eval(self, now);
    esp_tx_commit(self);
    *nbrs = esp_tx_filter(self, adj);
    return esp_tx_next_event(self, now + 1);
}

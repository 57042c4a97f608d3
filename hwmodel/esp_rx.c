/* esp_rx.c - RX stage before the engines: parse, CAM, replay check, job set-up (esp_rx.h). */
#include "esp_rx.h"

#include <string.h>

#include "esp_frame.h"

void esp_rx_init(struct esp_rx *r, struct nic_ctx *ctx, struct pkt_pool *pool,
                 struct gcm_job *jobs, struct fifo *in, struct fifo *out)
{
    memset(r, 0, sizeof(*r));
    r->ctx = ctx;
    r->pool = pool;
    r->jobs = jobs;
    r->in = in;
    r->out = out;
}

void esp_rx_eval(void *self, uint64_t now)
{
    struct esp_rx *r = self;
    r->d = r->q;
    r->take = NULL;
    if (now < r->q.busy_until || !fifo_can_push(r->out))
        return;
    struct pkt *p = fifo_peek(r->in, now);
    if (!p)
        return;
    parser_rx(p->data, p->len, &r->take_pr);
    uint32_t pc = parser_cycles(&r->take_pr);
    fifo_pop(r->in);
    fifo_push(r->out, p, now + pc + sa_cam_cycles(&r->ctx->cam) + ESN_CHECK_CYCLES);
    r->take = p;
    r->now_e = now;
    r->d.busy_until = now + pc;
}

static void process(struct esp_rx *r, struct pkt *p)
{
    struct nic_ctx *c = r->ctx;
    p->job = NULL;
    p->pr = r->take_pr;
    switch (p->pr.status) {
    case PARSER_OK:
        break;
    case PARSER_NOT_ESP:
    case PARSER_FRAGMENT:
    case PARSER_UNSUPPORTED_EXT:
        return; /* to the host unprocessed: the stack handles it */
    default:
        p->drop = NIC_DROP_BAD_SYNTAX;
        return;
    }
    struct sa_rx_key key = {.spi = p->pr.spi, .proto = SA_CAM_PROTO_ESP, .v6 = p->pr.v6};
    memcpy(key.daddr, p->pr.daddr, p->pr.v6 ? 16 : 4);
    int idx = sa_cam_rx_lookup(&c->cam, &key);
    if (idx < 0) {
        if (c->p.offload_mode == NIC_OFFLOAD_PACKET)
            p->drop = NIC_DROP_NO_SA;
        else
            c->stats.rx.no_sa_to_host++;
        return;
    }
    const struct sa_cam_rx_entry *e = sa_cam_rx_get(&c->cam, (uint32_t)idx);
    bool esn = (e->cfg.flags & SA_CFG_ESN) != 0;
    bool packet = e->cfg.offload == SA_OFFLOAD_PACKET;
    uint64_t sn = p->pr.sn;
    p->sa = (uint16_t)idx;
    p->has_sa = true;
    p->cfg = e->cfg; /* a DELETE while in flight must not change how it finishes */
    p->rx_flags = NIC_RXF_IPSEC;
    if (nic_ctx_sa_expired(c, NIC_SA_IN, (uint32_t)idx)) {
        p->drop = NIC_DROP_SA_HARD_LIMIT;
        return;
    }
    if (packet) {
        int st = esn_rx_check(&c->esn_rx, (uint32_t)idx, p->pr.sn, &sn);
        if (st != ESN_OK) {
            p->drop = st == ESN_REPLAY ? NIC_DROP_REPLAY : NIC_DROP_TOO_OLD;
            return;
        }
    } else if (esn) {
        uint32_t hi = 0;
        esn_rx_seq_hi(&c->esn_rx, (uint32_t)idx, p->pr.sn, &hi);
        sn |= (uint64_t)hi << 32;
    }
    p->seq_hi = (uint32_t)(sn >> 32);
    struct gcm_job *job = &r->jobs[pkt_pool_index(r->pool, p)];
    int rc = esp_frame_rx_job(p, e->cfg.icv_len, esn, sn, job);
    if (rc) {
        if (packet)
            p->drop = (uint8_t)rc;
        else
            p->rx_status = NIC_RXS_INVALID_PACKET_SYNTAX;
        return;
    }
    job->kr = c->kr_rx;
    job->slot = (uint32_t)idx;
    job->user = p;
    p->job = job;
}

void esp_rx_commit(void *self)
{
    struct esp_rx *r = self;
    if (r->take) {
        struct pkt *p = r->take;
        process(r, p);
        trace_event(r->ctx->trace, TRACE_ESP_RX, r->now_e, "pkt %u len %u spi 0x%x sa %d sn %llu %s",
                    p->id, p->len, p->pr.spi, p->has_sa ? p->sa : -1,
                    (unsigned long long)p->sn,
                    p->drop ? nic_drop_name(p->drop) : p->job ? "to engine" : "to host");
    }
    r->take = NULL;
    r->q = r->d;
    fifo_commit(r->in);
    fifo_commit(r->out);
}

uint64_t esp_rx_next_event(const void *self, uint64_t now)
{
    const struct esp_rx *r = self;
    if (fifo_empty_q(r->in) || fifo_count_q(r->out) >= r->out->depth)
        return SIM_NEVER;
    uint64_t when = fifo_next_event(r->in, now);
    return when > r->q.busy_until ? when : (r->q.busy_until > now ? r->q.busy_until : now);
}

/* ---- after the engines ------------------------------------------------------------------- */

void esp_rx_post_init(struct esp_rx_post *r, struct nic_ctx *ctx, struct fifo *in,
                      struct fifo *out)
{
    memset(r, 0, sizeof(*r));
    r->ctx = ctx;
    r->in = in;
    r->out = out;
}

void esp_rx_post_eval(void *self, uint64_t now)
{
    struct esp_rx_post *r = self;
    r->take = NULL;
    r->now_e = now;
    if (!fifo_can_push(r->out))
        return;
    struct pkt *p = fifo_peek(r->in, now);
    if (!p)
        return;
    fifo_pop(r->in);
    fifo_push(r->out, p, now + ESN_UPDATE_CYCLES + 1);
    r->take = p;
}

static void post_process(struct esp_rx_post *r, struct pkt *p)
{
    struct nic_ctx *c = r->ctx;
    struct gcm_job *job = p->job;
    if (job && !p->drop) {
        const struct sa_cam_cfg *cfg = &p->cfg;
        bool packet = cfg->offload == SA_OFFLOAD_PACKET;
        c->stats.rx.offloaded++;
        if (job->err) {
            /* The SA was freed while the packet was in flight: its key is gone. */
            if (packet)
                p->drop = NIC_DROP_NO_SA;
            else
                p->rx_status = NIC_RXS_GENERIC_ERROR;
        } else if (!packet) {
            p->rx_flags |= NIC_RXF_CRYPTO_DONE;
            if (job->icv_ok) {
                p->rx_status = NIC_RXS_SUCCESS;
            } else {
                p->rx_status = cfg->mode == SA_MODE_TUNNEL ? NIC_RXS_TUNNEL_ESP_AUTH_FAILED
                                                             : NIC_RXS_TRANSPORT_ESP_AUTH_FAILED;
                c->stats.rx.auth_failed_to_host++;
            }
        } else if (!job->icv_ok) {
            p->drop = NIC_DROP_BAD_ICV;
        } else {
            int st = esn_rx_update(&c->esn_rx, p->sa, p->sn);
            uint8_t nh;
            if (st < 0) {
                p->drop = NIC_DROP_NO_SA; /* freed meanwhile: no window to update */
            } else if (st != ESN_OK) {
                p->drop = st == ESN_REPLAY ? NIC_DROP_REPLAY : NIC_DROP_TOO_OLD;
            } else {
                int rc = esp_frame_rx_strip(p, cfg->mode, &nh);
                if (rc) {
                    p->drop = (uint8_t)rc;
                } else {
                    p->rx_flags |= NIC_RXF_CRYPTO_DONE | NIC_RXF_DECAPPED;
                    p->rx_status = NIC_RXS_SUCCESS;
                }
            }
        }
        if (!p->drop && !job->err && job->icv_ok) {
            nic_ctx_sa_count(c, NIC_SA_IN, p->sa, p->len);
        }
    }
    nic_ctx_account(&c->stats.rx, p->drop, p->len, p->t_in, r->now_e);
    trace_event(c->trace, TRACE_ESP_RX_POST, r->now_e, "pkt %u len %u status %u flags 0x%x %s", p->id,
                p->len, p->rx_status, p->rx_flags, p->drop ? nic_drop_name(p->drop) : "deliver");
}

void esp_rx_post_commit(void *self)
{
    struct esp_rx_post *r = self;
    if (r->take)
        post_process(r, r->take);
    r->take = NULL;
    fifo_commit(r->in);
    fifo_commit(r->out);
}

uint64_t esp_rx_post_next_event(const void *self, uint64_t now)
{
    const struct esp_rx_post *r = self;
    if (fifo_count_q(r->out) >= r->out->depth)
        return SIM_NEVER;
    return fifo_next_event(r->in, now);
}

/* gcm_pool.c - engine dispatcher and in-order reorder buffer (see gcm_pool.h). */
#include "gcm_pool.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int gcm_pool_init(struct gcm_pool *gp, unsigned nunits, const struct gcm_unit_cfg *ucfg,
                  uint32_t rob_entries, struct fifo *in, struct fifo *out)
{
    memset(gp, 0, sizeof(*gp));
    if (nunits == 0 || nunits > GCM_POOL_MAX_UNITS || !in || !out || rob_entries == 0)
        return -EINVAL;
    gp->rob_size = 2;
    while (gp->rob_size < rob_entries)
        gp->rob_size <<= 1;
    gp->rob = calloc(gp->rob_size, sizeof(*gp->rob));
    gp->rob_done = calloc(gp->rob_size, 1);
    if (!gp->rob || !gp->rob_done) {
        gcm_pool_free(gp);
        return -ENOMEM;
    }
    for (unsigned i = 0; i < nunits; i++) {
        gp->unit[i] = gcm_unit_create(ucfg);
        if (!gp->unit[i]) {
            gcm_pool_free(gp);
            return -ENOMEM;
        }
        gp->unit[i]->in_drop_on_take = true; /* we never offer in a take cycle (free_unit) */
        gp->unit[i]->out_valid_vec = &gp->out_valid;
        gp->unit[i]->in_free_vec = &gp->in_free;
        gp->unit[i]->vec_bit = 1ull << i;
        gp->nunits = i + 1;
    }
    gp->in = in;
    gp->out = out;
    gp->dispatch = -1;
    gp->blk_unit0 = -1;
    gp->unready = nunits >= 64 ? ~0ull : (1ull << nunits) - 1; /* reset: out.ready low */
    gp->in_free = gp->unready; /* reset: every unit empty, in.ready high, nothing offered */
    gp->nbr_keep = ~0u;
    return 0;
}

void gcm_pool_free(struct gcm_pool *gp)
{
    for (unsigned i = 0; i < gp->nunits; i++)
        gcm_unit_destroy(gp->unit[i]);
    free(gp->rob);
    free(gp->rob_done);
    memset(gp, 0, sizeof(*gp));
}

/* The lowest-numbered unit whose input link is free: ready (registered) and no offer pending
 * (the in_free vector, kept by the units and our offers). */
static inline int free_unit(const struct gcm_pool *gp)
{
    return gp->in_free ? __builtin_ctzll(gp->in_free) : -1;
}

#ifdef GCM_POOL_CHECK_DQ
/* The vector against the link registers it stands for. */
static void check_in_free(const struct gcm_pool *gp)
{
    for (unsigned i = 0; i < gp->nunits; i++) {
        const struct gcm_unit *u = gp->unit[i];
        if (!(gp->in_free >> i & 1) != !(u->in.ready_q && !u->in.valid_q))
            abort();
    }
}
#endif

/* Reset: eval's half of raising every unit's out.ready in the pool's first cycle. */
static __attribute__((noinline, cold)) void eval_ready(struct gcm_pool *gp)
{
#ifdef GCM_POOL_CHECK_DQ
    if (gp->out_valid)
        abort();
#endif
    for (uint64_t m = gp->unready; m; m &= m - 1)
        gp->unit[__builtin_ctzll(m)]->out.ready_d = true;
}

/* eval, commit and next_event are written once as always-inline bodies: the scheduler's
 * callbacks wrap them, and the whole step (pool_step) gets all three in one frame. */
static inline __attribute__((always_inline)) void pool_eval(struct gcm_pool *gp, uint64_t now)
{
    uint32_t mask = gp->rob_size - 1;

    /* No d = q copy: d equals q here (the commit copies d to q, nothing else writes q). */
#ifdef GCM_POOL_CHECK_DQ
    if (gp->d.rob_head != gp->q.rob_head || gp->d.rob_tail != gp->q.rob_tail)
        abort();
    check_in_free(gp);
#endif
    gp->now_e = now;
    gp->enter = NULL;
    gp->dispatch = -1;

    /* Reset: out.ready rises in the pool's first cycle and stays high. */
    if (gp->unready)
        eval_ready(gp);
    /* Collect finished jobs: the pool is always ready (from its first cycle on), and the
     * job's ROB entry is reserved. The unit drops out.valid itself when the job leaves. No
     * unit shows a job before our first commit raises out.ready: only we give them jobs, from
     * the first cycle on. */
    uint32_t ndone = 0;
    for (uint64_t m = gp->out_valid; m; m &= m - 1)
        gp->done_idx[ndone++] = gp->unit_rob[__builtin_ctzll(m)];
    gp->ndone = ndone;

    /* Enter: one packet per cycle, if the ROB has room and, for a job, a unit is free. The
     * offer is our only write to a unit's in link: the unit drops in.valid itself when it
     * takes the job (in_drop_on_take), and d equals q on the link otherwise. */
    struct pkt *head = fifo_peek(gp->in, now);
    if (head && gp->q.rob_tail - gp->q.rob_head < gp->rob_size) {
        int ui = head->job ? free_unit(gp) : -1;
        if (!head->job || ui >= 0) {
            fifo_pop(gp->in);
            gp->enter = head;
            gp->enter_done = !head->job;
            gp->d.rob_tail = gp->q.rob_tail + 1;
            if (head->job) {
                struct gcm_unit *u = gp->unit[ui];
                u->in.valid_d = true;
                u->in.data_d = head->job;
                gp->dispatch = ui;
            }
        }
    }

    /* Leave in entry order. */
    if (gp->head_done && fifo_can_push(gp->out)) {
        fifo_push(gp->out, gp->rob[gp->q.rob_head & mask], now);
        gp->d.rob_head = gp->q.rob_head + 1;
    }
}

void gcm_pool_eval(void *self, uint64_t now)
{
    pool_eval(self, now);
}

/* The commit's trace lines (entry, then the jobs collected), out of line and after the
 * commit's work, so that the commit itself calls nothing and saves fewer registers. */
static __attribute__((noinline, cold)) void trace_commit(const struct gcm_pool *gp)
{
    const uint32_t mask = gp->rob_size - 1;
    if (gp->enter)
        trace_event(*gp->trace, gp->tblock, gp->now_e, "pkt %u %s", gp->enter->id,
                    gp->dispatch >= 0 ? "to engine" : "bypass");
    for (uint32_t i = 0; i < gp->ndone; i++) {
        const struct pkt *p = gp->rob[gp->done_idx[i] & mask];
        const struct gcm_job *job = p->job;
        trace_event(*gp->trace, gp->tblock, gp->now_e,
                    "pkt %u done icv_ok %d err %d in %llu cycles", p->id, job->icv_ok, job->err,
                    (unsigned long long)(job->t_done - job->t_start));
    }
}

/* Reset: our first commit raises every unit's out.ready (eval wrote ready_d). */
static __attribute__((noinline, cold)) void commit_ready(struct gcm_pool *gp)
{
    for (uint64_t m = gp->unready; m; m &= m - 1) {
        struct gcm_unit *u = gp->unit[__builtin_ctzll(m)];
        u->out.ready_q = u->out.ready_d;
    }
    gp->unready = 0;
}

static inline __attribute__((always_inline)) void pool_commit(struct gcm_pool *gp)
{
    /* Everything eval decided, read before the first rob_done store: a byte store may alias
     * any field, so gcc would reload each one after it. */
    const uint32_t mask = gp->rob_size - 1;
    const uint32_t head_q = gp->q.rob_head, tail_q = gp->q.rob_tail;
    const uint32_t head = gp->d.rob_head;
    struct pkt *const enter = gp->enter;
    const int dispatch = gp->dispatch;
    const uint32_t ndone = gp->ndone;
    uint8_t *const rob_done = gp->rob_done;
    const bool in_ch = enter != NULL; /* popped the in FIFO (the ROB tail moved)        */
    const bool out_ch = head != head_q; /* pushed the ROB head to out                  */
    /* The unit owns its links, but a unit with nothing to do may be skipped by a sparse
     * scheduler in the cycle we offer it a job: commit what we wrote (idempotent). Those are
     * the only link changes a unit that does not step itself sees, so they are what the
     * neighbour filter must refresh (a unit's next event reads only the handshake bits of its
     * links and its own registers; a unit that stepped is refreshed anyway). */
    uint64_t changed = gp->unready;
    if (changed)
        commit_ready(gp);

    /* rob_done is 1 only for finished entries in flight: cleared when the entry leaves, so
     * the entry at rob_head is finished exactly when its flag is set (see head_done). Each
     * FIFO is committed by the end that moved it (fifo_commit is idempotent, and the other
     * end, if it moved too, stepped and commits it itself). */
    if (out_ch) {
        rob_done[head_q & mask] = 0;
        fifo_commit(gp->out);
    }
    if (in_ch) {
        gp->rob[tail_q & mask] = enter;
        rob_done[tail_q & mask] = gp->enter_done;
        if (dispatch >= 0) {
            struct gcm_unit *u = gp->unit[dispatch];
            gp->unit_rob[dispatch] = tail_q;
            u->in.valid_q = u->in.valid_d;
            u->in.data_q = u->in.data_d;
            changed |= 1ull << dispatch;
            gp->in_free &= ~(1ull << dispatch); /* in.valid rises */
        }
        fifo_commit(gp->in);
    }
    for (uint32_t i = 0; i < ndone; i++) {
        const uint32_t idx = gp->done_idx[i] & mask;
        const struct gcm_job *job = gp->rob[idx]->job;
        gp->busy_cycles += job->t_done - job->t_start;
        rob_done[idx] = 1;
    }
    /* One pointer at a time: gcc merges the pair into one 8-byte move, and eval has just
     * written one of them with a 4-byte store (a wider load stalls on store forwarding). */
    gp->q.rob_head = head;
    __asm__ volatile("" ::: "memory");
    gp->q.rob_tail = gp->d.rob_tail;
    /* The neighbour filter's answer, decided here once rather than in every filter call:
     * the units whose links changed, and the peers of each FIFO we moved (fifo_keep). */
    const uint32_t in_m = 0u - (uint32_t)in_ch, out_m = 0u - (uint32_t)out_ch;
    gp->nbr_keep = (uint32_t)(changed << gp->unit_shift) | (in_m & gp->in_keep) |
                   (out_m & gp->out_keep);
    gp->head_done = rob_done[head & mask];
    if ((in_ch || ndone) && gp->trace && trace_on(*gp->trace, gp->tblock))
        trace_commit(gp); /* no varargs set-up when tracing is off */
}

void gcm_pool_commit(void *self)
{
    pool_commit(self);
}

/* Neighbours whose next event the pool's last step may have changed: the units whose link
 * handshake bits its commit changed, and the FIFO neighbours (esp_tx / tx_mac side) when the
 * pool moved its end of their FIFO; anything not recognised as a unit is treated as a FIFO
 * neighbour. The commit works the mask out (nbr_keep). */
static uint32_t pool_neighbours(void *self, uint32_t adj)
{
    const struct gcm_pool *gp = self;
    return adj & gp->nbr_keep;
}

/* The masks of the neighbours to refresh when the pool moves its end of in / out: the peers
 * given by gcm_pool_set_fifo_peers, or, with none given, every linked block that is not one
 * of our units. Before gcm_pool_add_to_sim there is no filter, and the masks are unused. */
static void fifo_keep(struct gcm_pool *gp)
{
    if (gp->blk_unit0 < 0)
        return;
    gp->unit_shift = (unsigned)gp->blk_unit0;
    if (gp->in_peers | gp->out_peers) {
        gp->in_keep = gp->in_peers;
        gp->out_keep = gp->out_peers;
    } else {
        const uint64_t low = gp->nunits >= 64 ? ~0ull : (1ull << gp->nunits) - 1;
        gp->in_keep = gp->out_keep = ~(uint32_t)(low << gp->blk_unit0);
    }
}

void gcm_pool_set_fifo_peers(struct gcm_pool *gp, uint32_t in_peers, uint32_t out_peers)
{
    gp->in_peers = in_peers;
    gp->out_peers = out_peers;
    fifo_keep(gp);
}

static inline __attribute__((always_inline)) uint64_t pool_next_event(const struct gcm_pool *gp,
                                                                      uint64_t now)
{
    /* A job leaving a unit. Our offer being taken is no event of ours: the unit, which steps
     * then, drops in.valid itself (in_drop_on_take). */
    if (gp->out_valid)
        return now;
    if (gp->head_done && fifo_count_q(gp->out) < gp->out->depth)
        return now;
    const struct pkt *head = fifo_head_q(gp->in);
    if (!head || gp->q.rob_tail - gp->q.rob_head >= gp->rob_size)
        return SIM_NEVER;
    if (head->job && free_unit(gp) < 0)
        return SIM_NEVER; /* a unit freeing up is an event of that unit */
    return fifo_next_event(gp->in, now);
}

uint64_t gcm_pool_next_event(const void *self, uint64_t now)
{
    return pool_next_event(self, now);
}

/* The pool's whole step when it is due alone (sim_block.step). */
static uint64_t pool_step(void *self, uint64_t now, uint32_t adj, uint32_t *nbrs)
{
    struct gcm_pool *gp = self;
    pool_eval(gp, now);
    pool_commit(gp);
    *nbrs = adj & gp->nbr_keep; /* pool_neighbours */
    return pool_next_event(gp, now + 1);
}

int gcm_pool_add_to_sim(struct gcm_pool *gp, struct sim *s, const char *name)
{
    struct sim_block b = {name, gp, gcm_pool_eval, gcm_pool_commit, gcm_pool_next_event};
    if (sim_add(s, &b) || sim_set_step(s, gp, pool_step))
        return -1;
    int unit0 = (int)s->nblocks;
    for (unsigned i = 0; i < gp->nunits; i++) {
        snprintf(gp->names[i], sizeof(gp->names[i]), "%s.unit%u", name, i);
        struct sim_block ub = gcm_unit_sim_block(gp->unit[i], gp->names[i]);
        if (sim_add(s, &ub) || sim_set_step(s, gp->unit[i], gcm_unit_sim_step))
            return -1;
    }
    gp->blk_unit0 = unit0;
    fifo_keep(gp);
    return sim_set_neighbour_filter(s, gp, pool_neighbours);
}

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
        gp->nunits = i + 1;
    }
    gp->in = in;
    gp->out = out;
    gp->dispatch = -1;
    gp->blk_unit0 = -1;
    gp->watch = nunits >= 64 ? ~0ull : (1ull << nunits) - 1; /* reset: out.ready still low */
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

/* The handshake bits of a unit's links (what gcm_unit_next_event reads of them). */
static unsigned link_bits(const struct gcm_unit *u)
{
    return (unsigned)u->in.valid_q | (unsigned)u->in.ready_q << 1 |
           (unsigned)u->out.valid_q << 2 | (unsigned)u->out.ready_q << 3;
}

/* No offer, nothing shown, out ready: what the pool's eval would only rewrite as it is. */
static bool links_quiet(const struct gcm_unit *u)
{
    return !u->in.valid_q && !u->out.valid_q && u->out.ready_q;
}

/* A unit whose input link is free: ready (registered) and no offer pending. */
static int free_unit(const struct gcm_pool *gp)
{
    for (unsigned i = 0; i < gp->nunits; i++) {
        const struct gcm_unit *u = gp->unit[i];
        if (u->in.ready_q && !u->in.valid_q)
            return (int)i;
    }
    return -1;
}

void gcm_pool_eval(void *self, uint64_t now)
{
    struct gcm_pool *gp = self;
    uint32_t mask = gp->rob_size - 1;

    gp->d.rob_head = gp->q.rob_head; /* member by member: see tx_mac_commit */
    gp->d.rob_tail = gp->q.rob_tail;
    gp->now_e = now;
    gp->enter = NULL;
    gp->enter_done = false;
    gp->dispatch = -1;
    gp->ndone = 0;

    /* Collect finished jobs: the pool is always ready, its ROB entry is reserved. Only the
     * links that hold something need the hold writes: on a link with neither valid high and
     * ready already high they would rewrite the committed values (d == q), so `live` notes
     * the links written this cycle and commit touches only those. */
    uint64_t live = 0, collected = 0;
    for (uint64_t m = gp->watch; m; m &= m - 1) { /* the others are quiet (see watch) */
        unsigned i = (unsigned)__builtin_ctzll(m);
        struct gcm_unit *u = gp->unit[i];
        if (links_quiet(u))
            continue;
        live |= 1ull << i;
        stream_hold_producer(&u->in);
        u->out.ready_d = true;
        if (stream_fire(&u->out)) {
            gp->done_idx[gp->ndone++] = gp->unit_rob[i];
            collected |= 1ull << i;
        }
    }
    gp->collected = collected;

    /* Enter: one packet per cycle, if the ROB has room and, for a job, a unit is free. */
    struct pkt *head = fifo_peek(gp->in, now);
    if (head && gp->q.rob_tail - gp->q.rob_head < gp->rob_size) {
        int ui = head->job ? free_unit(gp) : -1;
        if (!head->job || ui >= 0) {
            fifo_pop(gp->in);
            gp->enter = head;
            gp->d.rob_tail = gp->q.rob_tail + 1;
            if (head->job) {
                struct gcm_unit *u = gp->unit[ui];
                u->in.valid_d = true;
                u->in.data_d = head->job;
                gp->dispatch = ui;
                live |= 1ull << ui;
            } else {
                gp->enter_done = true;
            }
        }
    }

    gp->live = live;

    /* Leave in entry order. */
    if (gp->q.rob_head != gp->q.rob_tail && gp->rob_done[gp->q.rob_head & mask] &&
        fifo_can_push(gp->out)) {
        fifo_push(gp->out, gp->rob[gp->q.rob_head & mask], now);
        gp->d.rob_head = gp->q.rob_head + 1;
    }
}

void gcm_pool_commit(void *self)
{
    struct gcm_pool *gp = self;
    uint32_t mask = gp->rob_size - 1;

    if (gp->d.rob_head != gp->q.rob_head)
        gp->rob_done[gp->q.rob_head & mask] = 0;
    if (gp->enter) {
        gp->rob[gp->q.rob_tail & mask] = gp->enter;
        gp->rob_done[gp->q.rob_tail & mask] = gp->enter_done;
        if (gp->dispatch >= 0)
            gp->unit_rob[gp->dispatch] = gp->q.rob_tail;
        if (gp->trace && trace_on(*gp->trace, gp->tblock)) /* no varargs call when off */
            trace_event(*gp->trace, gp->tblock, gp->now_e, "pkt %u %s", gp->enter->id,
                        gp->dispatch >= 0 ? "to engine" : "bypass");
    }
    for (uint32_t i = 0; i < gp->ndone; i++) {
        uint32_t idx = gp->done_idx[i] & mask;
        struct gcm_job *job = gp->rob[idx]->job;
        gp->busy_cycles += job->t_done - job->t_start;
        if (gp->trace && trace_on(*gp->trace, gp->tblock))
            trace_event(*gp->trace, gp->tblock, gp->now_e, "pkt %u done icv_ok %d err %d in %llu cycles",
                        gp->rob[idx]->id, job->icv_ok, job->err,
                        (unsigned long long)(job->t_done - job->t_start));
        gp->rob_done[idx] = 1;
    }
    gp->q.rob_head = gp->d.rob_head; /* member by member: see tx_mac_commit */
    gp->q.rob_tail = gp->d.rob_tail;
    gp->enter = NULL;
    gp->ndone = 0;
    /* The unit owns its links, but a unit with nothing to do may be skipped by a sparse
     * scheduler in the cycle we offer it a job: commit what we wrote (idempotent). What
     * changed is noted for the scheduler's neighbour filter (a unit's next event reads only
     * the handshake bits of its links and its own registers). */
    uint64_t changed = 0, noisy = 0;
    for (uint64_t m = gp->live; m; m &= m - 1) {
        unsigned i = (unsigned)__builtin_ctzll(m);
        struct gcm_unit *u = gp->unit[i];
        unsigned before = link_bits(u);
        stream_commit(&u->in);
        stream_commit(&u->out);
        if (link_bits(u) != before)
            changed |= 1ull << i;
        if (!links_quiet(u))
            noisy |= 1ull << i;
    }
    gp->links_changed = changed;
    /* A job offered stays held until it is collected (a unit may be offered a new job in the
     * cycle its last one leaves); a unit that holds none and whose links are quiet now stays
     * quiet until it is offered one. Units outside `live` were quiet and were not offered. */
    gp->held &= ~gp->collected;
    if (gp->dispatch >= 0)
        gp->held |= 1ull << gp->dispatch;
    gp->watch = gp->held | noisy;
    gp->collected = 0;
    gp->dispatch = -1;
    uint32_t in_wr = gp->in->wr_q, in_rd = gp->in->rd_q;
    uint32_t out_wr = gp->out->wr_q, out_rd = gp->out->rd_q;
    fifo_commit(gp->in);
    fifo_commit(gp->out);
    /* From locals: reading back the two flags just stored made gcc load them as one word,
     * which stalls on store forwarding. */
    bool in_ch = in_wr != gp->in->wr_q || in_rd != gp->in->rd_q;
    bool out_ch = out_wr != gp->out->wr_q || out_rd != gp->out->rd_q;
    gp->in_changed = in_ch;
    gp->out_changed = out_ch;
    gp->fifos_changed = in_ch || out_ch;
}

/* Neighbours whose next event the pool's last step may have changed: the units whose link
 * handshake bits changed at its commit, and the FIFO neighbours (esp_tx / tx_mac side) when a
 * FIFO pointer changed. Anything not recognised as a unit is treated as a FIFO neighbour. */
static uint32_t pool_neighbours(void *self, uint32_t adj)
{
    const struct gcm_pool *gp = self;
    if (gp->blk_unit0 < 0)
        return adj;
    /* unit i is block blk_unit0 + i (all below SIM_MAX_BLOCKS, sim_add checked it) */
    uint64_t low = gp->nunits >= 64 ? ~0ull : (1ull << gp->nunits) - 1;
    uint32_t units = (uint32_t)(low << gp->blk_unit0);
    uint32_t keep = (uint32_t)((gp->links_changed & low) << gp->blk_unit0);
    if (gp->in_peers | gp->out_peers)
        keep |= (gp->in_changed ? gp->in_peers : 0) | (gp->out_changed ? gp->out_peers : 0);
    else if (gp->fifos_changed)
        keep |= adj & ~units;
    return adj & keep;
}

void gcm_pool_set_fifo_peers(struct gcm_pool *gp, uint32_t in_peers, uint32_t out_peers)
{
    gp->in_peers = in_peers;
    gp->out_peers = out_peers;
}

uint64_t gcm_pool_next_event(const void *self, uint64_t now)
{
    const struct gcm_pool *gp = self;
    for (uint64_t m = gp->watch; m; m &= m - 1) { /* the others show and take nothing */
        const struct gcm_unit *u = gp->unit[(unsigned)__builtin_ctzll(m)];
        /* A job leaving. Our offer being taken is no event of ours: the unit, which steps
         * then, drops in.valid itself (in_drop_on_take), as our eval would. */
        if (u->out.valid_q)
            return now;
    }
    uint32_t mask = gp->rob_size - 1;
    if (gp->q.rob_head != gp->q.rob_tail && gp->rob_done[gp->q.rob_head & mask] &&
        fifo_count_q(gp->out) < gp->out->depth)
        return now;
    const struct pkt *head = fifo_head_q(gp->in);
    if (!head || gp->q.rob_tail - gp->q.rob_head >= gp->rob_size)
        return SIM_NEVER;
    if (head->job && free_unit(gp) < 0)
        return SIM_NEVER; /* a unit freeing up is an event of that unit */
    return fifo_next_event(gp->in, now);
}

/* The pool's whole step when it is due alone (sim_block.step). */
static uint64_t pool_step(void *self, uint64_t now, uint32_t adj, uint32_t *nbrs)
{
    gcm_pool_eval(self, now);
    gcm_pool_commit(self);
    *nbrs = pool_neighbours(self, adj);
    return gcm_pool_next_event(self, now + 1);
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
    gp->fifos_changed = gp->in_changed = gp->out_changed = true; /* until the first commit */
    gp->links_changed = ~0ull;
    return sim_set_neighbour_filter(s, gp, pool_neighbours);
}

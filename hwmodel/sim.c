/* sim.c - cycle counter and eval-all/commit-all scheduler with idle skip (see sim.h). */
#include "sim.h"

#include <string.h>

void sim_init(struct sim *s)
{
    memset(s, 0, sizeof(*s));
}

int sim_add(struct sim *s, const struct sim_block *b)
{
    if (s->nblocks >= SIM_MAX_BLOCKS)
        return -1;
    const unsigned i = s->nblocks++;
    s->self[i] = b->self;
    s->eval[i] = b->eval;
    s->commit[i] = b->commit;
    s->next_event[i] = b->next_event;
    s->name[i] = b->name;
    return 0;
}

int sim_find(const struct sim *s, const void *self)
{
    for (unsigned i = 0; i < s->nblocks; i++)
        if (s->self[i] == self)
            return (int)i;
    return -1;
}

int sim_link(struct sim *s, const void *a, const void *b)
{
    int ia = sim_find(s, a), ib = sim_find(s, b);
    if (ia < 0 || ib < 0)
        return -1;
    s->adj[ia] |= 1u << ib;
    s->adj[ib] |= 1u << ia;
    return 0;
}

int sim_set_neighbour_filter(struct sim *s, const void *self, uint32_t (*fn)(void *self, uint32_t adj))
{
    int i = sim_find(s, self);
    if (i < 0)
        return -1;
    s->nfilter[i] = fn;
    return 0;
}

int sim_set_step(struct sim *s, const void *self, sim_step_fn *fn)
{
    int i = sim_find(s, self);
    if (i < 0)
        return -1;
    s->step[i] = fn;
    return 0;
}

void sim_set_sparse(struct sim *s, bool on)
{
    s->sparse = on;
}

/* One clock over the blocks in `mask`. Forced inline (as refresh): the scheduler loop runs
 * it once per step, and the call itself was a visible share of the loop's cost. */
static inline __attribute__((always_inline)) void step_mask(struct sim *s, uint32_t mask,
                                                            bool observe)
{
    for (uint32_t m = mask; m; m &= m - 1) {
        unsigned i = (unsigned)__builtin_ctz(m);
        s->eval[i](s->self[i], s->cycle);
    }
    for (uint32_t m = mask; m; m &= m - 1) {
        unsigned i = (unsigned)__builtin_ctz(m);
        s->commit[i](s->self[i]);
    }
    s->cycle++;
    s->steps++;
    if (observe)
        s->after_step(s->after_ctx, s->cycle);
}

static uint32_t all_mask(const struct sim *s)
{
    return s->nblocks >= 32 ? 0xffffffffu : (1u << s->nblocks) - 1;
}

void sim_step(struct sim *s)
{
    step_mask(s, all_mask(s), s->after_step != NULL);
}

uint64_t sim_next_event(const struct sim *s)
{
    uint64_t next = SIM_NEVER;
    for (unsigned i = 0; i < s->nblocks; i++) {
        uint64_t t = s->next_event[i](s->self[i], s->cycle);
        if (t < next)
            next = t;
    }
    return next;
}

static inline __attribute__((always_inline)) void refresh(struct sim *s, uint32_t mask)
{
    uint32_t active = s->active & ~mask;
    for (uint32_t m = mask; m; m &= m - 1) {
        unsigned i = (unsigned)__builtin_ctz(m);
        uint64_t t = s->next_event[i](s->self[i], s->cycle);
        s->t_next[i] = t;
        active |= (uint32_t)(t != SIM_NEVER) << i; /* branch-free: t is often NEVER, often not */
    }
    s->active = active;
}

/* refresh(s, touched) and earliest(s, ...) in one pass, from the minimum *next and the set *due
 * found so far: the untouched active blocks `keep` keep their t_next and are compared as they
 * are, the touched ones are compared as their new next event comes back (one load, loop and
 * test fewer per touched block than refreshing first and scanning all active blocks after).
 * Same minimum, same set of blocks due at it. s->active (which the caller has stored without
 * the touched blocks) gains the touched blocks that have an event: it is or-ed in memory, not
 * kept in a register, and a block's bit is taken as the lowest bit of the mask, not shifted
 * from a constant 1, because the registers saved across the next_event calls are all taken
 * (s, the mask, the index, next, due and the limit) and gcc otherwise spilled two or three
 * of them around every call. */
static inline __attribute__((always_inline)) void scan(struct sim *s, uint32_t keep,
                                                       uint32_t touched, uint64_t *next_io,
                                                       uint32_t *due_io)
{
    uint64_t next = *next_io;
    uint32_t due = *due_io;
    for (uint32_t m = keep; m; m &= m - 1) {
        unsigned i = (unsigned)__builtin_ctz(m);
        uint64_t t = s->t_next[i];
        if (t < next) {
            next = t;
            due = 1u << i;
        } else if (t == next) {
            due |= 1u << i;
        }
    }
    for (uint32_t m = touched; m; m &= m - 1) {
        unsigned i = (unsigned)__builtin_ctz(m);
        uint64_t t = s->next_event[i](s->self[i], s->cycle);
        s->t_next[i] = t;
        if (t == SIM_NEVER)
            continue;
        const uint32_t bit = m & (0u - m);
        s->active |= bit;
        if (t < next) {
            next = t;
            due = bit;
        } else if (t == next) {
            due |= bit;
        }
    }
    *next_io = next;
    *due_io = due;
}

/* The blocks whose next event is due first, and that cycle; 0 when nothing is active: the
 * scan above over every active block, none refreshed. */
static inline uint32_t earliest(struct sim *s, uint64_t *when)
{
    uint64_t next = SIM_NEVER;
    uint32_t due = 0;
    scan(s, s->active, 0, &next, &due);
    *when = next;
    return due;
}

/* Sparse mode: only the blocks whose next event is due are evaluated and committed; after a
 * step, only they and their linked neighbours recompute their next event. Correct when every
 * block's next_event is exact and every pair of blocks that touch each other's registers or
 * share a link is declared with sim_link(). The loop from the earliest event `next` and the
 * blocks `due` at it; `observe` (is there an after_step observer) is a constant at both call
 * sites in run_sparse, so the loop without an observer has no test for it at each step. */
static inline __attribute__((always_inline)) bool sparse_loop(struct sim *s, uint64_t limit,
                                                              uint64_t next, uint32_t due,
                                                              bool observe)
{
    for (;;) {
        /* next is SIM_NEVER exactly when nothing is due (no block has an event), and limit is
         * at most SIM_NEVER: one test per step covers both ends of the run. */
        if (next >= limit) {
            if (!due)
                return true;
            /* limit is exclusive: see sim_run */
            if (s->cycle < limit)
                s->cycle = limit;
            return false;
        }
        const uint64_t now = next > s->cycle ? next : s->cycle;
        s->cycle = now;
        uint32_t touched = due;
        if (!(due & (due - 1))) {
            /* One block due (most steps under TX traffic): the same eval, commit and
             * neighbour refresh as below, without the three mask loops. The clock is
             * advanced from the local `now`: gcc otherwise adds 1 to cycle and steps with
             * one 16-byte load of the pair, which stalls on the 8-byte store of cycle just
             * above (store forwarding). */
            const unsigned i = (unsigned)__builtin_ctz(due);
            void *const self = s->self[i];
            if (s->step[i]) {
                /* The block's next event comes back from its step, with the neighbours to
                 * refresh: it is the first candidate, then the untouched blocks and the
                 * neighbours are compared with it. */
                const uint32_t bit = due;
                uint32_t nbrs;
                uint64_t t = s->step[i](self, now, s->adj[i], &nbrs);
                s->cycle = now + 1;
                s->steps++;
                if (observe)
                    s->after_step(s->after_ctx, now + 1);
                s->t_next[i] = t;
                uint32_t active = s->active & ~(bit | nbrs);
                next = t;
                if (t != SIM_NEVER)
                    active |= bit;
                else
                    due = 0;
                s->active = active;
                scan(s, active & ~bit, nbrs, &next, &due);
                continue;
            }
            s->eval[i](self, now);
            s->commit[i](self);
            s->cycle = now + 1;
            s->steps++;
            if (observe)
                s->after_step(s->after_ctx, now + 1);
            touched |= s->nfilter[i] ? s->nfilter[i](self, s->adj[i]) : s->adj[i];
        } else {
            step_mask(s, due, observe);
            for (uint32_t m = due; m; m &= m - 1) {
                unsigned i = (unsigned)__builtin_ctz(m);
                touched |= s->nfilter[i] ? s->nfilter[i](s->self[i], s->adj[i]) : s->adj[i];
            }
        }
        next = SIM_NEVER;
        due = 0;
        const uint32_t keep = s->active & ~touched;
        s->active = keep;
        scan(s, keep, touched, &next, &due);
    }
}

static bool run_sparse(struct sim *s, uint64_t limit)
{
    refresh(s, all_mask(s)); /* the host may have changed anything between runs */
    /* The earliest event and the blocks due then. No t_next is ever below the current cycle:
     * every block due at a step is refreshed after it. */
    uint64_t next;
    uint32_t due = earliest(s, &next);
    if (s->after_step)
        return sparse_loop(s, limit, next, due, true);
    return sparse_loop(s, limit, next, due, false);
}

/* The limit is exclusive: the steps of cycles < limit run, the step of cycle `limit` does not,
 * and a busy device is left standing at exactly `limit`. Then where the clock stands after a
 * run depends only on the limit, never on whether some block happened to have an event at the
 * limit cycle, and run(a) then run(b) executes the same steps as run(b): the host calls made
 * between runs (MMIO, wire input) act at the same cycle however time was chunked. (An inclusive
 * limit ran the step of cycle `limit` when one was due and left the clock at limit + 1, so a
 * host call after the run landed one cycle later exactly when an event fell on the boundary.) */
bool sim_run(struct sim *s, uint64_t limit)
{
    if (s->sparse)
        return run_sparse(s, limit);
    for (;;) {
        uint64_t next = sim_next_event(s);
        if (next == SIM_NEVER)
            return true;
        if (next >= limit) {
            if (s->cycle < limit)
                s->cycle = limit; /* time never runs backwards */
            return false;
        }
        /* Nothing can change before `next`: the cycles in between are skipped, not stepped. */
        if (next > s->cycle)
            s->cycle = next;
        sim_step(s);
    }
}

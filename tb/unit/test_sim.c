/* test_sim.c - the scheduler (hwmodel/sim.c): idle skipping, sparse scheduling, neighbour
 * filters and whole-step calls (sim_set_step) must not change what the blocks do or when.
 *
 * A toy pipeline of RTL-style blocks: a source that makes an item every `period` cycles, stages
 * that each hold one item for `lat` cycles and hand it on when the next stage is empty, and a
 * sink stage that retires items. Every change of a block's registers is logged with its cycle at
 * the clock edge; the same system is run with every cycle stepped (the reference), with idle
 * cycles skipped, sparse, sparse with neighbour filters, and sparse with whole-step calls, in
 * runs split at arbitrary cycles, and the logs must be identical. */
#include <criterion/criterion.h>
#include <string.h>

#include "sim.h"

#define NSTAGES 5
#define LOG_MAX 4096

struct log {
    unsigned n;
    uint64_t e[LOG_MAX][4]; /* cycle of the edge, stage, full, value */
};

struct stage_regs {
    bool full;
    uint64_t val, ready_at; /* the item and the cycle it may leave               */
    uint64_t made;          /* source: items made so far; sink: items retired    */
    uint64_t gen_at;        /* source: cycle it may make the next item           */
};

struct stage {
    unsigned id, lat, period, items; /* period/items: source only                    */
    struct stage *up, *down;
    struct stage_regs q, d;
    uint64_t now;                    /* the cycle of the last eval, for the log       */
    struct log *log;
    unsigned filter_calls, step_calls;
};

/* The stage takes its upstream's item when it is empty and the item is ready; it offers its own
 * downstream when ready (the sink retires it). Both ends compute the same fire condition from q. */
static bool up_fires(const struct stage *s, uint64_t now)
{
    return s->up && s->up->q.full && s->up->q.ready_at <= now && !s->q.full;
}

static bool down_fires(const struct stage *s, uint64_t now)
{
    if (!s->q.full || s->q.ready_at > now)
        return false;
    return !s->down || !s->down->q.full; /* no downstream: the sink retires it */
}

static void stage_eval(void *self, uint64_t now)
{
    struct stage *s = self;
    s->d = s->q;
    s->now = now;
    if (down_fires(s, now)) {
        s->d.full = false;
        if (!s->down)
            s->d.made++;
    }
    if (up_fires(s, now)) {
        s->d.full = true;
        s->d.val = s->up->q.val * 3 + s->id;
        s->d.ready_at = now + s->lat;
    }
    if (!s->up && !s->q.full && s->q.made < s->items && s->q.gen_at <= now) {
        s->d.full = true;
        s->d.val = s->q.made + 1;
        s->d.ready_at = now + s->lat;
        s->d.made = s->q.made + 1;
        s->d.gen_at = now + s->period;
    }
}

static void stage_commit(void *self)
{
    struct stage *s = self;
    if (s->q.full != s->d.full || s->q.val != s->d.val || s->q.made != s->d.made) {
        cr_assert_lt(s->log->n, LOG_MAX);
        uint64_t *e = s->log->e[s->log->n++];
        e[0] = s->now;
        e[1] = s->id;
        e[2] = s->d.full;
        e[3] = s->d.val;
    }
    s->q = s->d;
}

static uint64_t at_least(uint64_t t, uint64_t now)
{
    return t > now ? t : now;
}

static uint64_t stage_next_event(const void *self, uint64_t now)
{
    const struct stage *s = self;
    uint64_t t = SIM_NEVER;
    if (s->q.full && (!s->down || !s->down->q.full))
        t = at_least(s->q.ready_at, now);
    if (!s->q.full && s->up && s->up->q.full)
        t = at_least(s->up->q.ready_at, now) < t ? at_least(s->up->q.ready_at, now) : t;
    if (!s->up && !s->q.full && s->q.made < s->items)
        t = at_least(s->q.gen_at, now) < t ? at_least(s->q.gen_at, now) : t;
    return t;
}

/* A neighbour filter that keeps every neighbour (the stages' links all matter), counting calls. */
static uint32_t stage_filter(void *self, uint32_t adj)
{
    ((struct stage *)self)->filter_calls++;
    return adj;
}

static uint64_t stage_step(void *self, uint64_t now, uint32_t adj, uint32_t *nbrs)
{
    struct stage *s = self;
    s->step_calls++;
    stage_eval(self, now);
    stage_commit(self);
    *nbrs = stage_filter(self, adj);
    return stage_next_event(self, now + 1);
}

/* DENSE: every block evaluated at every step (idle cycles skipped); the others sparse. */
enum mode { DENSE, SPARSE, SPARSE_FILTER, SPARSE_STEP };

struct toy {
    struct sim sim;
    struct stage st[NSTAGES];
    struct log log;
};

static void toy_make(struct toy *t, enum mode m, const unsigned lat[NSTAGES], unsigned period,
                     unsigned items)
{
    memset(t, 0, sizeof(*t));
    sim_init(&t->sim);
    for (unsigned i = 0; i < NSTAGES; i++) {
        struct stage *s = &t->st[i];
        s->id = i;
        s->lat = lat[i];
        s->up = i ? &t->st[i - 1] : NULL;
        s->down = i + 1 < NSTAGES ? &t->st[i + 1] : NULL;
        s->log = &t->log;
        struct sim_block b = {"stage", s, stage_eval, stage_commit, stage_next_event};
        cr_assert_eq(sim_add(&t->sim, &b), 0);
    }
    t->st[0].period = period;
    t->st[0].items = items;
    for (unsigned i = 0; i + 1 < NSTAGES; i++)
        cr_assert_eq(sim_link(&t->sim, &t->st[i], &t->st[i + 1]), 0);
    for (unsigned i = 0; i < NSTAGES; i++) {
        if (m == SPARSE_FILTER)
            cr_assert_eq(sim_set_neighbour_filter(&t->sim, &t->st[i], stage_filter), 0);
        /* every other stage takes whole steps: the mixed case of the scheduler */
        if (m == SPARSE_STEP && i % 2 == 0)
            cr_assert_eq(sim_set_step(&t->sim, &t->st[i], stage_step), 0);
        if (m == SPARSE_STEP && i % 2 == 1)
            cr_assert_eq(sim_set_neighbour_filter(&t->sim, &t->st[i], stage_filter), 0);
    }
    sim_set_sparse(&t->sim, m != DENSE);
}

static void toy_same(const struct toy *a, const struct toy *b, const char *what)
{
    cr_assert_eq(a->log.n, b->log.n, "%s: %u register changes, reference %u", what, b->log.n,
                 a->log.n);
    for (unsigned i = 0; i < a->log.n; i++)
        cr_assert(memcmp(a->log.e[i], b->log.e[i], sizeof(a->log.e[i])) == 0,
                  "%s: change %u: cycle %lu stage %lu, reference cycle %lu stage %lu", what, i,
                  (unsigned long)b->log.e[i][0], (unsigned long)b->log.e[i][1],
                  (unsigned long)a->log.e[i][0], (unsigned long)a->log.e[i][1]);
    cr_assert_eq(a->st[NSTAGES - 1].q.made, b->st[NSTAGES - 1].q.made, "%s: items retired", what);
}

/* The after_step observer: called once per executed step, with the new cycle, which is the
 * clock's at the call (the scheduler looks the observer up once per run, so each schedule is
 * run with and without one). */
struct watch {
    const struct sim *sim;
    uint64_t calls, last;
    bool bad;
};

static void watch_step(void *ctx, uint64_t cycle)
{
    struct watch *w = ctx;
    w->bad |= cycle != w->sim->cycle || cycle <= w->last;
    w->calls++;
    w->last = cycle;
}

Test(sim, schedules_agree)
{
    static const unsigned lats[][NSTAGES] = {
        {1, 1, 1, 1, 1}, {3, 7, 2, 9, 1}, {40, 1, 1, 13, 5}, {2, 2, 30, 2, 2},
    };
    static const unsigned periods[] = {1, 4, 17};
    static struct toy ref, t;
    unsigned skipped = 0;
    for (unsigned l = 0; l < sizeof(lats) / sizeof(lats[0]); l++) {
        for (unsigned p = 0; p < sizeof(periods) / sizeof(periods[0]); p++) {
            /* the reference steps every cycle until nothing is pending */
            toy_make(&ref, DENSE, lats[l], periods[p], 60);
            while (sim_next_event(&ref.sim) != SIM_NEVER)
                sim_step(&ref.sim);
            cr_assert_eq(ref.st[NSTAGES - 1].q.made, 60, "the reference retires every item");
            uint64_t steps_sparse = 0;
            for (unsigned run = 0; run < 2 * (SPARSE_STEP + 1); run++) {
                const enum mode m = (enum mode)(run / 2);
                const bool observed = run % 2;
                toy_make(&t, m, lats[l], periods[p], 60);
                struct watch w = {&t.sim, 0, 0, false};
                if (observed) {
                    t.sim.after_step = watch_step;
                    t.sim.after_ctx = &w;
                }
                /* runs split at arbitrary cycles, as the host does between its calls */
                for (uint64_t lim = 37; !sim_run(&t.sim, lim); lim += 37)
                    ;
                static const char *const name[] = {"idle skip", "sparse", "filter", "step"};
                toy_same(&ref, &t, name[m]);
                if (observed) {
                    cr_assert_eq(w.calls, t.sim.steps, "%s: the observer sees every step", name[m]);
                    cr_assert(!w.bad, "%s: the observer is called with the new cycle", name[m]);
                }
                if (m == DENSE) {
                    cr_assert_leq(t.sim.steps, ref.sim.steps, "idle cycles are skipped");
                    skipped += t.sim.steps < ref.sim.steps;
                } else if (m == SPARSE) {
                    steps_sparse = t.sim.steps;
                } else {
                    cr_assert_eq(t.sim.steps, steps_sparse, "same steps as plain sparse");
                }
                if (m == SPARSE_STEP) {
                    unsigned calls = 0;
                    for (unsigned i = 0; i < NSTAGES; i += 2)
                        calls += t.st[i].step_calls;
                    cr_assert_gt(calls, 0, "whole-step calls were used");
                }
            }
        }
    }
    cr_assert_gt(skipped, 0, "some configurations have idle cycles to skip");
}

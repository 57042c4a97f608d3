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
    s->blocks[s->nblocks++] = *b;
    return 0;
}

void sim_step(struct sim *s)
{
    for (unsigned i = 0; i < s->nblocks; i++)
        s->blocks[i].eval(s->blocks[i].self, s->cycle);
    for (unsigned i = 0; i < s->nblocks; i++)
        s->blocks[i].commit(s->blocks[i].self);
    s->cycle++;
    s->steps++;
    if (s->after_step)
        s->after_step(s->after_ctx, s->cycle);
}

uint64_t sim_next_event(const struct sim *s)
{
    uint64_t next = SIM_NEVER;
    for (unsigned i = 0; i < s->nblocks; i++) {
        uint64_t t = s->blocks[i].next_event(s->blocks[i].self, s->cycle);
        if (t < next)
            next = t;
    }
    return next;
}

bool sim_run(struct sim *s, uint64_t limit)
{
    for (;;) {
        uint64_t next = sim_next_event(s);
        if (next == SIM_NEVER)
            return true;
        if (next > limit) {
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

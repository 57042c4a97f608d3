/* fifo.h - a registered FIFO of packet tokens between two pipeline blocks.
 *
 * As in RTL, the storage is written at the write pointer and both pointers are registers
 * (q/d): the producer writes the slot at wr_q (never visible to the consumer in the same cycle)
 * and sets wr_d; the consumer reads the slot at rd_q and sets rd_d; fifo_commit() is the clock
 * edge. Full and empty come from q, so neither side depends on the other's eval order, and a
 * FIFO of depth >= 2 moves one token per cycle.
 *
 * A token carries the cycle from which the consumer may take it (ready_at): a block that needs
 * k cycles for a packet pushes it with ready_at = now + k, and the consumer's next_event is that
 * cycle, so fixed latencies cost the scheduler one step, not k.
 */
#ifndef NICSIM_FIFO_H
#define NICSIM_FIFO_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "sim.h"

struct fifo_tok {
    void *p;
    uint64_t ready_at;
};

struct fifo {
    struct fifo_tok *mem;
    uint32_t depth;          /* power of two */
    uint32_t wr_q, wr_d;     /* free-running pointers; index = ptr & mask */
    uint32_t rd_q, rd_d;
    uint32_t mask;           /* depth - 1, kept so that every index is one AND */
};

static inline int fifo_init(struct fifo *f, uint32_t depth)
{
    uint32_t d = 2;
    while (d < depth)
        d <<= 1;
    f->mem = calloc(d, sizeof(*f->mem));
    f->depth = d;
    f->mask = d - 1;
    f->wr_q = f->wr_d = f->rd_q = f->rd_d = 0;
    return f->mem ? 0 : -1;
}
static inline void fifo_free(struct fifo *f)
{
    free(f->mem);
    f->mem = NULL;
}
static inline uint32_t fifo_count_q(const struct fifo *f) { return f->wr_q - f->rd_q; }
static inline bool fifo_empty_q(const struct fifo *f) { return f->wr_q == f->rd_q; }
/* Producer side: room for one more this cycle (counts what this cycle already pushed). */
static inline bool fifo_can_push(const struct fifo *f) { return f->wr_d - f->rd_q < f->depth; }
static inline void fifo_push(struct fifo *f, void *p, uint64_t ready_at)
{
    f->mem[f->wr_d & f->mask] = (struct fifo_tok){p, ready_at};
    f->wr_d++;
}
/* Consumer side: the head token, if one is visible and ready at `now`. */
static inline void *fifo_peek(const struct fifo *f, uint64_t now)
{
    if (f->rd_d == f->wr_q)
        return NULL;
    const struct fifo_tok *t = &f->mem[f->rd_d & f->mask];
    return t->ready_at <= now ? t->p : NULL;
}
static inline void fifo_pop(struct fifo *f) { f->rd_d++; }
/* The token at the head as of q (ready or not), NULL if empty: for next_event decisions. */
static inline void *fifo_head_q(const struct fifo *f)
{
    return f->wr_q == f->rd_q ? NULL : f->mem[f->rd_q & f->mask].p;
}
/* When the consumer can next take something: the head's ready_at, or SIM_NEVER if empty. */
static inline uint64_t fifo_next_event(const struct fifo *f, uint64_t now)
{
    if (f->wr_q == f->rd_q)
        return SIM_NEVER;
    uint64_t t = f->mem[f->rd_q & f->mask].ready_at;
    return t > now ? t : now;
}
static inline void fifo_commit(struct fifo *f)
{
    f->wr_q = f->wr_d;
    f->rd_q = f->rd_d;
}

#endif

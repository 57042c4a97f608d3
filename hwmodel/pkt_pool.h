/* pkt_pool.h - the fixed pool of on-card packet buffers (params.pkt_buffers of them).
 *
 * Contract: pkt_pool_init() allocates `count` buffers of PKT_HEADROOM + mtu + PKT_TAILROOM
 * bytes and their struct pkt descriptors once; nothing is allocated afterwards. A block that
 * needs a buffer calls pkt_pool_get() (NULL when none is free: the block waits, back-pressure);
 * whoever finishes a packet calls pkt_pool_put(). Both are O(1): the free list is a stack of
 * buffer indices.
 *
 * put() resets the metadata (data = mem + PKT_HEADROOM, every other field 0) and zeroes no
 * payload (a real buffer RAM is not cleared either). A put of a buffer that is already free or
 * already being freed (double put), or of a pointer that is not one of the pool's packets, is
 * refused with an error code, counted, and changes nothing: the free list is never corrupted.
 *
 * Timing, as the RTL free-list FIFO: a put becomes visible to get() at the next clock edge,
 * pkt_pool_commit(). So whether a buffer freed by block A in cycle t can be taken by block B in
 * cycle t never depends on the order the scheduler evaluates A and B (sim.h determinism rule).
 * Several getters in one cycle are served in evaluation order (fixed priority by sim_add order).
 * Register the pool with sim_add(&sim, &(struct sim_block)PKT_POOL_BLOCK(&pool)) or call
 * pkt_pool_commit() at every clock edge.
 */
#ifndef NICSIM_PKT_POOL_H
#define NICSIM_PKT_POOL_H

#include <stdint.h>

#include "pkt.h"
#include "sim.h"

enum pkt_pool_state { PKT_POOL_FREE = 0, PKT_POOL_USED = 1, PKT_POOL_FREEING = 2 };

struct pkt_pool_stats {
    uint64_t gets;        /* buffers handed out                                        */
    uint64_t get_empty;   /* get() calls that found no free buffer                     */
    uint64_t puts;        /* buffers returned                                          */
    uint64_t double_put;  /* put() of a buffer already free or being freed (refused)   */
    uint64_t bad_put;     /* put() of NULL or a pointer not from this pool (refused)   */
};

struct pkt_pool {
    struct pkt *pkts;     /* count descriptors                                         */
    uint8_t *mem;         /* count * buf_size bytes of buffer RAM                      */
    uint8_t *state;       /* enum pkt_pool_state per buffer                            */
    uint32_t *free_idx;   /* stack of free buffer indices, free_idx[0..nfree)          */
    uint32_t *pend_idx;   /* puts of this cycle, pushed on the stack at commit        */
    uint32_t count, nfree, npend;
    uint32_t mtu, buf_size;
    struct pkt_pool_stats stats;
};

/* 0, -EINVAL (count 0 or mtu 0), -ENOMEM. */
int pkt_pool_init(struct pkt_pool *pp, uint32_t count, uint32_t mtu);
void pkt_pool_free(struct pkt_pool *pp);
/* A free buffer with reset metadata, or NULL when none is free (counted in get_empty). */
struct pkt *pkt_pool_get(struct pkt_pool *pp);
/* 0, -EALREADY (double put), -EINVAL (not a pool packet). Errors change nothing but counters. */
int pkt_pool_put(struct pkt_pool *pp, struct pkt *p);
/* Buffers get() can hand out this cycle. Inline: the dma block asks every step. */
static inline uint32_t pkt_pool_avail(const struct pkt_pool *pp)
{
    return pp->nfree;
}
/* Buffers not free and not being freed (held by some block). */
uint32_t pkt_pool_in_use(const struct pkt_pool *pp);
/* Index of a pool packet (0..count-1), or -1 if p is not one. Inline: checked on every
 * token a block takes back. */
static inline int pkt_pool_index(const struct pkt_pool *pp, const struct pkt *p)
{
    if (!p || !pp->pkts)
        return -1;
    /* Compare addresses as integers: relational operators on pointers into different objects
     * are undefined, and a foreign pointer is exactly what this check must survive. */
    uintptr_t base = (uintptr_t)pp->pkts, a = (uintptr_t)p;
    if (a < base || a >= base + (uintptr_t)pp->count * sizeof(*p))
        return -1;
    if ((a - base) % sizeof(*p))
        return -1;
    return (int)((a - base) / sizeof(*p));
}
/* Index of a packet that is known to come from this pool (a pipeline block's packet, handed
 * out by pkt_pool_get()): pointer arithmetic only, no checks. */
static inline uint32_t pkt_pool_slot(const struct pkt_pool *pp, const struct pkt *p)
{
    return (uint32_t)(p - pp->pkts);
}
/* Clock edge: this cycle's puts join the free list. Inline: called at every dma step, and most
 * steps have no put. */
void pkt_pool_commit_puts(struct pkt_pool *pp);
static inline void pkt_pool_commit(struct pkt_pool *pp)
{
    if (pp->npend)
        pkt_pool_commit_puts(pp);
}

/* sim_block adapters: the pool has no eval work and never needs a cycle of its own. */
void pkt_pool_eval(void *self, uint64_t now);
void pkt_pool_commit_block(void *self);
uint64_t pkt_pool_next_event(const void *self, uint64_t now);
#define PKT_POOL_BLOCK(pp)                                                                     \
    {"pkt_pool", (pp), pkt_pool_eval, pkt_pool_commit_block, pkt_pool_next_event}

#endif

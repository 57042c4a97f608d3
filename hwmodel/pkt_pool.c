/* pkt_pool.c - fixed pool of on-card packet buffers with an O(1) free list (see pkt_pool.h). */
#include "pkt_pool.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Metadata of a buffer nobody holds: frame start after the headroom, everything else 0.
 * Zeroed in unrolled 16-byte stores: gcc turns a memset of this size into `rep stosq`, whose
 * start-up cost was most of pkt_pool_put (the bytes written are the same). */
static inline void pkt_pool_reset(struct pkt *p)
{
    _Static_assert(sizeof(struct pkt) % 8 == 0, "struct pkt is zeroed in 8-byte units");
    enum { CHUNKS = sizeof(struct pkt) / 16 };
    uint8_t *mem = p->mem;
    unsigned char *b = (unsigned char *)p;
#pragma GCC unroll 32
    for (size_t k = 0; k < CHUNKS; k++)
        memset(b + 16 * k, 0, 16);
    if (sizeof(*p) % 16)
        memset(b + 16 * CHUNKS, 0, 8);
    p->mem = mem;
    p->data = mem + PKT_HEADROOM;
}

int pkt_pool_init(struct pkt_pool *pp, uint32_t count, uint32_t mtu)
{
    memset(pp, 0, sizeof(*pp));
    if (count == 0 || mtu == 0)
        return -EINVAL;
    pp->count = count;
    pp->mtu = mtu;
    pp->buf_size = PKT_HEADROOM + mtu + PKT_TAILROOM;
    pp->pkts = calloc(count, sizeof(*pp->pkts));
    pp->mem = calloc(count, pp->buf_size);
    pp->state = calloc(count, sizeof(*pp->state));
    pp->free_idx = calloc(count, sizeof(*pp->free_idx));
    pp->pend_idx = calloc(count, sizeof(*pp->pend_idx));
    if (!pp->pkts || !pp->mem || !pp->state || !pp->free_idx || !pp->pend_idx) {
        pkt_pool_free(pp);
        return -ENOMEM;
    }
    for (uint32_t i = 0; i < count; i++) {
        pp->pkts[i].mem = pp->mem + (size_t)i * pp->buf_size;
        pkt_pool_reset(&pp->pkts[i]);
        /* Stack top is the last entry: hand out buffer 0 first, which keeps traces readable. */
        pp->free_idx[i] = count - 1 - i;
    }
    pp->nfree = count;
    return 0;
}

void pkt_pool_free(struct pkt_pool *pp)
{
    free(pp->pkts);
    free(pp->mem);
    free(pp->state);
    free(pp->free_idx);
    free(pp->pend_idx);
    memset(pp, 0, sizeof(*pp));
}

struct pkt *pkt_pool_get(struct pkt_pool *pp)
{
    if (pp->nfree == 0) {
        pp->stats.get_empty++;
        return NULL;
    }
    uint32_t i = pp->free_idx[--pp->nfree];
    pp->state[i] = PKT_POOL_USED;
    pp->stats.gets++;
    return &pp->pkts[i];
}

int pkt_pool_put(struct pkt_pool *pp, struct pkt *p)
{
    int i = pkt_pool_index(pp, p);
    if (i < 0) {
        pp->stats.bad_put++;
        return -EINVAL;
    }
    if (pp->state[i] != PKT_POOL_USED) {
        pp->stats.double_put++;
        return -EALREADY;
    }
    pp->state[i] = PKT_POOL_FREEING;
    pkt_pool_reset(p);
    /* Cannot overflow: every pending index is a distinct USED buffer. */
    pp->pend_idx[pp->npend++] = (uint32_t)i;
    pp->stats.puts++;
    return 0;
}

uint32_t pkt_pool_in_use(const struct pkt_pool *pp)
{
    return pp->count - pp->nfree - pp->npend;
}

/* The part of pkt_pool_commit() that has work to do. */
void pkt_pool_commit_puts(struct pkt_pool *pp)
{
    for (uint32_t k = 0; k < pp->npend; k++) {
        uint32_t i = pp->pend_idx[k];
        pp->state[i] = PKT_POOL_FREE;
        pp->free_idx[pp->nfree++] = i;
    }
    pp->npend = 0;
}

void pkt_pool_eval(void *self, uint64_t now)
{
    (void)self;
    (void)now;
}

void pkt_pool_commit_block(void *self)
{
    pkt_pool_commit(self);
}

uint64_t pkt_pool_next_event(const void *self, uint64_t now)
{
    (void)self;
    (void)now;
    return SIM_NEVER;
}

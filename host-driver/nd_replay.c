/* nd_replay.c - RFC 4303 anti-replay window in software (nd_replay.h). */
#include "nd_replay.h"

#include <string.h>

void nd_replay_init(struct nd_replay *r, uint32_t window, bool esn, uint64_t top)
{
    memset(r, 0, sizeof(*r));
    r->window = window > ND_REPLAY_BITS ? ND_REPLAY_BITS : window;
    r->esn = esn;
    r->top = top;
    /* A restored window knows only its top: everything at or below it counts as seen, which
     * refuses nothing newer and accepts nothing that might be a replay. */
    if (top)
        memset(r->bits, 0xff, sizeof(r->bits));
}

uint64_t nd_replay_bottom(const struct nd_replay *r)
{
    uint64_t w = r->window ? r->window : 1;
    return r->top >= w - 1 ? r->top - (w - 1) : 0;
}

uint64_t nd_replay_infer(const struct nd_replay *r, uint32_t seq_low)
{
    if (!r->esn)
        return seq_low;
    uint32_t tl = (uint32_t)r->top, th = (uint32_t)(r->top >> 32);
    uint32_t w = r->window ? r->window : 1;
    uint32_t bottom = tl - w + 1; /* modulo 2^32 */
    uint32_t hi = th;
    if (tl >= w - 1) {
        if (seq_low < bottom) /* A2.2 case A: the window lies in one subspace */
            hi++;
    } else if (seq_low >= bottom) { /* case B: the window spans two subspaces */
        if (hi == 0)
            return 0; /* before the first subspace: no such SN (0 is refused as too old) */
        hi--;
    }
    return (uint64_t)hi << 32 | seq_low;
}

static bool bit(const struct nd_replay *r, uint64_t sn)
{
    uint32_t b = (uint32_t)(sn % ND_REPLAY_BITS);
    return r->bits[b / 64] >> (b % 64) & 1u;
}

enum nd_replay_status nd_replay_check(const struct nd_replay *r, uint64_t sn)
{
    if (!r->window)
        return sn ? ND_REPLAY_OK : ND_REPLAY_OLD;
    if (sn == 0)
        return ND_REPLAY_OLD; /* SN 0 is never sent (s3.3.3) */
    if (!r->esn && sn > 0xffffffffull)
        return ND_REPLAY_OLD;
    if (sn > r->top)
        return ND_REPLAY_OK;
    if (r->top - sn >= r->window)
        return ND_REPLAY_OLD;
    return bit(r, sn) ? ND_REPLAY_DUP : ND_REPLAY_OK;
}

enum nd_replay_status nd_replay_advance(struct nd_replay *r, uint64_t sn)
{
    enum nd_replay_status st = nd_replay_check(r, sn);
    if (st != ND_REPLAY_OK || !r->window)
        return st;
    if (sn > r->top) {
        uint64_t d = sn - r->top;
        if (d >= ND_REPLAY_BITS) {
            memset(r->bits, 0, sizeof(r->bits));
        } else {
            for (uint64_t s = r->top + 1; s <= sn; s++) {
                uint32_t b = (uint32_t)(s % ND_REPLAY_BITS);
                r->bits[b / 64] &= ~(1ull << (b % 64));
            }
        }
        r->top = sn;
    }
    uint32_t b = (uint32_t)(sn % ND_REPLAY_BITS);
    r->bits[b / 64] |= 1ull << (b % 64);
    return ND_REPLAY_OK;
}

/* esn.c - per-SA sequence number state (contract, timing and sizes in esn.h; the RFC 4303
 * Appendix A rules as implemented in docs/esn.md).
 */
#include "esn.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(sizeof(struct esn_sa) == 16, "esn_sa is 16 bytes (see esn.h)");

/* ---- pure core ---- */

int esn_infer_hi(uint64_t top, uint32_t window, uint32_t seql, uint32_t *seqh)
{
    uint32_t th = (uint32_t)(top >> 32);
    uint32_t tl = (uint32_t)top;
    uint32_t bl = tl - window + 1; /* Bl = Tl - W + 1, modulo 2^32 */

    if (window < 1 || window > (1u << 31))
        return -EINVAL;
    if (tl >= window - 1) {
        /* Case A: the window lies in one subspace. Below Bl means the next subspace. */
        if (seql >= bl) {
            *seqh = th;
            return 0;
        }
        *seqh = th + 1;
        return th == UINT32_MAX ? -ERANGE : 0;
    }
    /* Case B: the window spans subspaces Th - 1 (from Bl up) and Th (up to Tl). */
    if (seql >= bl) {
        *seqh = th - 1;
        return th == 0 ? -ERANGE : 0;
    }
    *seqh = th;
    return 0;
}

int esn_infer_hi_bottom(uint64_t bottom, uint32_t seql, uint32_t *seqh)
{
    uint32_t bh = (uint32_t)(bottom >> 32);
    if (seql >= (uint32_t)bottom) {
        *seqh = bh;
        return 0;
    }
    *seqh = bh + 1;
    return bh == UINT32_MAX ? -ERANGE : 0;
}

uint64_t esn_bottom(uint64_t top, uint32_t window)
{
    return window && top >= window - 1 ? top - (window - 1) : 0;
}

static bool row_test(const uint32_t *row, uint32_t row_bits, uint64_t sn)
{
    uint32_t b = (uint32_t)(sn & (row_bits - 1));
    return row[b / 32] >> (b % 32) & 1;
}

static void row_set(uint32_t *row, uint32_t row_bits, uint64_t sn)
{
    uint32_t b = (uint32_t)(sn & (row_bits - 1));
    row[b / 32] |= 1u << (b % 32);
}

static void row_clear(uint32_t *row, uint32_t row_bits, uint64_t sn)
{
    uint32_t b = (uint32_t)(sn & (row_bits - 1));
    row[b / 32] &= ~(1u << (b % 32));
}

/* Full SN and its place relative to the window [T - W + 1, T]. */
static enum esn_status classify(const struct esn_sa *s, const uint32_t *row, uint32_t row_bits,
                                uint64_t seq)
{
    if (seq == 0)
        return ESN_TOO_OLD; /* s3.3.3: SN 0 is never sent */
    if (seq > s->sn)
        return ESN_OK; /* ahead of the window: new */
    if (s->sn - seq >= s->window)
        return ESN_TOO_OLD;
    return row_test(row, row_bits, seq) ? ESN_REPLAY : ESN_OK;
}

enum esn_status esn_core_check(const struct esn_sa *s, const uint32_t *row, uint32_t row_bits,
                               uint32_t seql, uint64_t *seq)
{
    if (!s->esn) {
        *seq = seql;
        return classify(s, row, row_bits, seql);
    }
    uint32_t seqh = 0;
    int rc = esn_infer_hi(s->sn, s->window, seql, &seqh);
    *seq = (uint64_t)seqh << 32 | seql;
    /* No subspace below 0 or above 2^32-1: such a packet can only be older than the window
     * (the sender's counter never cycles), see docs/esn.md. */
    if (rc)
        return ESN_TOO_OLD;
    return classify(s, row, row_bits, *seq);
}

enum esn_status esn_core_update(struct esn_sa *s, uint32_t *row, uint32_t row_bits, uint64_t seq)
{
    enum esn_status st = classify(s, row, row_bits, seq);
    if (st != ESN_OK)
        return st;
    if (seq > s->sn) {
        /* Advance: the SNs T+1 .. seq enter the window; their bits may still hold SNs that
         * left it long ago, so clear them (all of the row if the jump is that large). */
        uint64_t adv = seq - s->sn;
        if (adv >= row_bits) {
            memset(row, 0, row_bits / 8);
        } else {
            /* Count, not compare with seq: seq may be 2^64-1. */
            for (uint64_t k = 1; k <= adv; k++)
                row_clear(row, row_bits, s->sn + k);
        }
        s->sn = seq;
    }
    row_set(row, row_bits, seq);
    return ESN_OK;
}

/* ---- the table ---- */

int esn_init(struct esn_table *t, const struct esn_params *p)
{
    memset(t, 0, sizeof(*t));
    if (!p || p->entries < 1 || p->entries > ESN_MAX_ENTRIES || p->max_window % 32 != 0 ||
        p->max_window > ESN_MAX_WINDOW)
        return -EINVAL;
    t->p = *p;
    uint32_t bits = 0;
    if (p->max_window) {
        bits = 32;
        while (bits < p->max_window)
            bits <<= 1;
    }
    t->row_words = bits / 32;
    t->sa = calloc(p->entries, sizeof(*t->sa));
    if (t->row_words)
        t->bitmap = calloc((size_t)p->entries * t->row_words, sizeof(*t->bitmap));
    if (!t->sa || (t->row_words && !t->bitmap)) {
        esn_destroy(t);
        return -ENOMEM;
    }
    return 0;
}

void esn_destroy(struct esn_table *t)
{
    free(t->sa);
    free(t->bitmap);
    memset(t, 0, sizeof(*t));
}

void esn_reset(struct esn_table *t)
{
    memset(t->sa, 0, (size_t)t->p.entries * sizeof(*t->sa));
    if (t->bitmap)
        memset(t->bitmap, 0, (size_t)t->p.entries * t->row_words * sizeof(*t->bitmap));
}

static uint32_t *row_of(const struct esn_table *t, uint32_t idx)
{
    return t->bitmap + (size_t)idx * t->row_words;
}

static struct esn_sa *sa_of(const struct esn_table *t, uint32_t idx, enum esn_kind kind)
{
    if (idx >= t->p.entries || t->sa[idx].kind != kind)
        return NULL;
    return &t->sa[idx];
}

static int sa_setup(struct esn_table *t, uint32_t idx, enum esn_kind kind, bool esn,
                    uint32_t window)
{
    if (idx >= t->p.entries || t->sa[idx].kind != ESN_KIND_FREE)
        return -EINVAL;
    struct esn_sa *s = &t->sa[idx];
    memset(s, 0, sizeof(*s));
    s->kind = (uint8_t)kind;
    s->esn = esn;
    s->window = window;
    if (t->row_words)
        memset(row_of(t, idx), 0, t->row_words * sizeof(uint32_t));
    return 0;
}

int esn_sa_tx(struct esn_table *t, uint32_t idx, bool esn)
{
    return sa_setup(t, idx, ESN_KIND_TX, esn, 0);
}

int esn_sa_rx_packet(struct esn_table *t, uint32_t idx, bool esn, uint32_t window)
{
    if (window < 32 || window % 32 != 0 || window > t->p.max_window)
        return -EINVAL;
    return sa_setup(t, idx, ESN_KIND_RX_PACKET, esn, window);
}

int esn_sa_rx_crypto(struct esn_table *t, uint32_t idx, bool esn, uint32_t window)
{
    if (window < 1 || window > (1u << 31))
        return -EINVAL;
    return sa_setup(t, idx, ESN_KIND_RX_CRYPTO, esn, window);
}

int esn_sa_clear(struct esn_table *t, uint32_t idx)
{
    if (idx >= t->p.entries)
        return -EINVAL;
    memset(&t->sa[idx], 0, sizeof(t->sa[idx]));
    if (t->row_words)
        memset(row_of(t, idx), 0, t->row_words * sizeof(uint32_t));
    return 0;
}

const struct esn_sa *esn_get(const struct esn_table *t, uint32_t idx)
{
    if (idx >= t->p.entries || t->sa[idx].kind == ESN_KIND_FREE)
        return NULL;
    return &t->sa[idx];
}

/* esn_tx_peek() is inline in esn.h. */

int esn_tx_next(struct esn_table *t, uint32_t idx, uint64_t *sn)
{
    int rc = esn_tx_peek(t, idx, sn);
    if (rc == 0)
        t->sa[idx].sn = *sn;
    return rc;
}

int esn_rx_check(const struct esn_table *t, uint32_t idx, uint32_t seql, uint64_t *seq)
{
    const struct esn_sa *s = sa_of(t, idx, ESN_KIND_RX_PACKET);
    if (!s)
        return -EINVAL;
    return (int)esn_core_check(s, row_of(t, idx), t->row_words * 32, seql, seq);
}

int esn_rx_update(struct esn_table *t, uint32_t idx, uint64_t seq)
{
    struct esn_sa *s = sa_of(t, idx, ESN_KIND_RX_PACKET);
    if (!s || (!s->esn && seq > UINT32_MAX))
        return -EINVAL;
    return (int)esn_core_update(s, row_of(t, idx), t->row_words * 32, seq);
}

int esn_tx_set(struct esn_table *t, uint32_t idx, uint64_t last)
{
    struct esn_sa *s = sa_of(t, idx, ESN_KIND_TX);
    if (!s || (!s->esn && last > UINT32_MAX))
        return -EINVAL;
    s->sn = last;
    return 0;
}

int esn_rx_set(struct esn_table *t, uint32_t idx, uint64_t top)
{
    struct esn_sa *s = sa_of(t, idx, ESN_KIND_RX_PACKET);
    if (!s || (!s->esn && top > UINT32_MAX))
        return -EINVAL;
    uint32_t *row = row_of(t, idx);
    uint32_t row_bits = t->row_words * 32;
    memset(row, 0, row_bits / 8);
    s->sn = top;
    for (uint64_t k = 0; k < s->window && k < top; k++)
        row_set(row, row_bits, top - k);
    return 0;
}

int esn_rx_advance(struct esn_table *t, uint32_t idx, uint32_t seq_hi, uint32_t bottom)
{
    struct esn_sa *s = sa_of(t, idx, ESN_KIND_RX_CRYPTO);
    if (!s || !s->esn)
        return -EINVAL;
    s->sn = (uint64_t)seq_hi << 32 | bottom;
    return 0;
}

int esn_rx_seq_hi(const struct esn_table *t, uint32_t idx, uint32_t seql, uint32_t *seqh)
{
    const struct esn_sa *s = sa_of(t, idx, ESN_KIND_RX_CRYPTO);
    if (!s)
        return -EINVAL;
    if (!s->esn) {
        *seqh = 0;
        return 0;
    }
    return esn_infer_hi_bottom(s->sn, seql, seqh);
}

const char *esn_status_name(int s)
{
    switch (s) {
    case ESN_OK:
        return "ESN_OK";
    case ESN_REPLAY:
        return "ESN_REPLAY";
    case ESN_TOO_OLD:
        return "ESN_TOO_OLD";
    default:
        return "ESN_?";
    }
}

size_t esn_bytes(const struct esn_table *t)
{
    return (size_t)t->p.entries * (sizeof(struct esn_sa) + t->row_words * sizeof(uint32_t));
}

/* test_esn.c - sequence numbers: the TX counter (first SN 1, no silent wrap), the RX window
 * against an independent reference (a set of seen numbers, and ESN inference written as "the
 * one SN with these low bits in [B, B + 2^32)" rather than as the A2.2 case table), the RFC 4303
 * A2.2 cases one by one, check-does-not-modify, and the crypto-offload seq_hi inference.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "esn.h"

__extension__ typedef __int128 i128;

static void table(struct esn_table *t, uint32_t entries, uint32_t max_window)
{
    struct esn_params p = { .entries = entries, .max_window = max_window };
    cr_assert_eq(esn_init(t, &p), 0);
}

static uint32_t xorshift(uint32_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

/* ---- TX ---- */

Test(esn, tx_first_sn_is_one)
{
    struct esn_table t;
    table(&t, 4, 0);
    cr_assert_eq(esn_sa_tx(&t, 1, false), 0);
    uint64_t sn = 0;
    cr_assert_eq(esn_tx_peek(&t, 1, &sn), 0);
    cr_assert_eq(sn, 1);
    cr_assert_eq(esn_tx_peek(&t, 1, &sn), 0);
    cr_assert_eq(sn, 1, "peek does not advance");
    for (uint64_t want = 1; want <= 100; want++) {
        cr_assert_eq(esn_tx_next(&t, 1, &sn), 0);
        cr_assert_eq(sn, want);
    }
    cr_assert_eq(esn_tx_next(&t, 0, &sn), -EINVAL, "SA 0 not configured");
    cr_assert_eq(esn_tx_next(&t, 4, &sn), -EINVAL);
    cr_assert_eq(esn_sa_tx(&t, 1, false), -EINVAL, "already configured");
    cr_assert_eq(esn_bytes(&t), 4 * 16, "a TX table has no bitmap");
    esn_destroy(&t);
}

Test(esn, tx_non_esn_overflow_no_wrap)
{
    struct esn_table t;
    table(&t, 1, 0);
    cr_assert_eq(esn_sa_tx(&t, 0, false), 0);
    t.sa[0].sn = UINT32_MAX - 2; /* fast-forward the counter */
    uint64_t sn;
    cr_assert_eq(esn_tx_next(&t, 0, &sn), 0);
    cr_assert_eq(sn, UINT32_MAX - 1);
    cr_assert_eq(esn_tx_next(&t, 0, &sn), 0);
    cr_assert_eq(sn, UINT32_MAX);
    for (int i = 0; i < 3; i++) {
        sn = 77;
        cr_assert_eq(esn_tx_next(&t, 0, &sn), -EOVERFLOW);
        cr_assert_eq(sn, 77, "nothing returned");
        cr_assert_eq(esn_tx_peek(&t, 0, &sn), -EOVERFLOW);
        cr_assert_eq(esn_get(&t, 0)->sn, UINT32_MAX, "the counter does not move or wrap");
    }
    esn_destroy(&t);
}

Test(esn, tx_esn_crosses_2_32_and_stops_at_2_64)
{
    struct esn_table t;
    table(&t, 1, 0);
    cr_assert_eq(esn_sa_tx(&t, 0, true), 0);
    t.sa[0].sn = UINT32_MAX - 1;
    uint64_t sn;
    cr_assert_eq(esn_tx_next(&t, 0, &sn), 0);
    cr_assert_eq(sn, UINT32_MAX);
    cr_assert_eq(esn_tx_next(&t, 0, &sn), 0);
    cr_assert_eq(sn, (uint64_t)1 << 32);
    t.sa[0].sn = UINT64_MAX - 1;
    cr_assert_eq(esn_tx_next(&t, 0, &sn), 0);
    cr_assert_eq(sn, UINT64_MAX);
    cr_assert_eq(esn_tx_next(&t, 0, &sn), -EOVERFLOW);
    cr_assert_eq(esn_get(&t, 0)->sn, UINT64_MAX);
    esn_destroy(&t);
}

/* ---- configuration ---- */

Test(esn, params_windows_and_sizes)
{
    struct esn_table t;
    struct esn_params p = { .entries = 0, .max_window = 64 };
    cr_assert_eq(esn_init(&t, &p), -EINVAL);
    p = (struct esn_params){ .entries = ESN_MAX_ENTRIES + 1, .max_window = 64 };
    cr_assert_eq(esn_init(&t, &p), -EINVAL);
    p = (struct esn_params){ .entries = 1, .max_window = 48 };
    cr_assert_eq(esn_init(&t, &p), -EINVAL);
    p = (struct esn_params){ .entries = 1, .max_window = 2048 };
    cr_assert_eq(esn_init(&t, &p), -EINVAL);
    cr_assert_eq(esn_init(&t, NULL), -EINVAL);

    /* Bytes per SA as documented: 16 + the row (smallest power of two >= max_window). */
    const uint32_t maxw[] = { 32, 64, 96, 256, 1024 };
    const size_t per_sa[] = { 20, 24, 32, 48, 144 };
    for (int i = 0; i < 5; i++) {
        table(&t, 100, maxw[i]);
        cr_assert_eq(esn_bytes(&t), 100 * per_sa[i], "max_window %u", maxw[i]);
        esn_destroy(&t);
    }

    table(&t, 8, 256);
    const uint32_t bad[] = { 0, 16, 33, 48, 288, 512, 1024 };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        cr_assert_eq(esn_sa_rx_packet(&t, 0, false, bad[i]), -EINVAL, "W %u", bad[i]);
    const uint32_t good[] = { 32, 64, 96, 128, 160, 256 };
    for (uint32_t i = 0; i < 6; i++)
        cr_assert_eq(esn_sa_rx_packet(&t, i, i % 2, good[i]), 0, "W %u", good[i]);
    cr_assert_eq(esn_sa_rx_packet(&t, 8, false, 64), -EINVAL);
    cr_assert_eq(esn_sa_rx_crypto(&t, 6, true, 0), -EINVAL);
    cr_assert_eq(esn_sa_rx_crypto(&t, 6, true, (1u << 31) + 1), -EINVAL);
    cr_assert_eq(esn_sa_rx_crypto(&t, 6, true, 4096), 0, "crypto: any W, no bitmap");
    cr_assert_null(esn_get(&t, 7));
    cr_assert_eq(esn_get(&t, 2)->window, 96);
    cr_assert_eq(esn_sa_clear(&t, 2), 0);
    cr_assert_null(esn_get(&t, 2));
    cr_assert_eq(esn_sa_clear(&t, 8), -EINVAL);
    cr_assert_eq(esn_sa_rx_packet(&t, 2, false, 32), 0, "reusable after clear");
    uint64_t seq;
    cr_assert_eq(esn_rx_check(&t, 6, 1, &seq), -EINVAL, "crypto SA has no window");
    cr_assert_eq(esn_rx_update(&t, 7, 1), -EINVAL);
    cr_assert_eq(esn_rx_update(&t, 0, (uint64_t)1 << 32), -EINVAL, "non-ESN SA, SN >= 2^32");
    esn_reset(&t);
    cr_assert_null(esn_get(&t, 0));
    esn_destroy(&t);
}

/* ---- A2.2 cases ---- */

#define T(h, l) ((uint64_t)(h) << 32 | (uint32_t)(l))

Test(esn, infer_rfc4303_a22_cases)
{
    uint32_t hi;
    /* Case A: Tl >= W - 1, window [Bl, Tl] in subspace Th. */
    cr_assert_eq(esn_infer_hi(T(5, 1000), 64, 950, &hi), 0);
    cr_assert_eq(hi, 5, "in the window");
    cr_assert_eq(esn_infer_hi(T(5, 1000), 64, 937, &hi), 0);
    cr_assert_eq(hi, 5, "Seql == Bl: the window bottom");
    cr_assert_eq(esn_infer_hi(T(5, 1000), 64, 936, &hi), 0);
    cr_assert_eq(hi, 6, "Seql < Bl: next subspace");
    cr_assert_eq(esn_infer_hi(T(5, 1000), 64, 0, &hi), 0);
    cr_assert_eq(hi, 6);
    cr_assert_eq(esn_infer_hi(T(5, 1000), 64, 0xffffffff, &hi), 0);
    cr_assert_eq(hi, 5, "ahead in the same subspace");
    cr_assert_eq(esn_infer_hi(T(5, 63), 64, 0, &hi), 0);
    cr_assert_eq(hi, 5, "Tl == W - 1 is case A with Bl = 0");
    /* Case B: Tl < W - 1, window from Bl in Th - 1 to Tl in Th. */
    cr_assert_eq(esn_infer_hi(T(5, 10), 64, 0xfffffff0, &hi), 0);
    cr_assert_eq(hi, 4, "Seql >= Bl: previous subspace");
    cr_assert_eq(esn_infer_hi(T(5, 10), 64, 10 - 63, &hi), 0);
    cr_assert_eq(hi, 4, "Seql == Bl");
    cr_assert_eq(esn_infer_hi(T(5, 10), 64, 10 - 64, &hi), 0);
    cr_assert_eq(hi, 5, "just below Bl: far ahead in Th");
    cr_assert_eq(esn_infer_hi(T(5, 10), 64, 5, &hi), 0);
    cr_assert_eq(hi, 5);
    cr_assert_eq(esn_infer_hi(T(5, 62), 64, 0xffffffff, &hi), 0);
    cr_assert_eq(hi, 4, "Tl == W - 2 is case B");
    /* The edges of the 64-bit space. */
    cr_assert_eq(esn_infer_hi(T(0, 10), 64, 0xfffffff0, &hi), -ERANGE);
    cr_assert_eq(hi, 0xffffffff, "no subspace below 0");
    cr_assert_eq(esn_infer_hi(T(0xffffffff, 1000), 64, 5, &hi), -ERANGE);
    cr_assert_eq(hi, 0, "no subspace above 2^32-1");
    cr_assert_eq(esn_infer_hi(T(0xffffffff, 1000), 64, 999, &hi), 0);
    cr_assert_eq(hi, 0xffffffff);
    cr_assert_eq(esn_infer_hi(T(1, 1), 0, 1, &hi), -EINVAL);
    cr_assert_eq(esn_infer_hi(T(1, 1), (1u << 31) + 1, 1, &hi), -EINVAL);
    cr_assert_eq(esn_infer_hi(T(1, 1), 1u << 31, 0x80000002u, &hi), 0);
    cr_assert_eq(hi, 0, "largest window");
}

/* ---- RX window: deterministic cases ---- */

Test(esn, window_basics_non_esn)
{
    struct esn_table t;
    table(&t, 2, 64);
    cr_assert_eq(esn_sa_rx_packet(&t, 1, false, 32), 0);
    uint64_t seq;
    cr_assert_eq(esn_rx_check(&t, 1, 0, &seq), ESN_TOO_OLD, "SN 0 is never valid");
    cr_assert_eq(esn_rx_check(&t, 1, 1, &seq), ESN_OK);
    cr_assert_eq(seq, 1);
    cr_assert_eq(esn_rx_update(&t, 1, 1), ESN_OK);
    cr_assert_eq(esn_rx_check(&t, 1, 1, &seq), ESN_REPLAY);
    cr_assert_eq(esn_rx_update(&t, 1, 1), ESN_REPLAY);
    cr_assert_eq(esn_rx_update(&t, 1, 40), ESN_OK); /* window now [9, 40] */
    cr_assert_eq(esn_rx_check(&t, 1, 8, &seq), ESN_TOO_OLD);
    cr_assert_eq(esn_rx_check(&t, 1, 9, &seq), ESN_OK, "bottom of the window");
    cr_assert_eq(esn_rx_check(&t, 1, 39, &seq), ESN_OK, "out of order");
    cr_assert_eq(esn_rx_check(&t, 1, 40, &seq), ESN_REPLAY);
    cr_assert_eq(esn_rx_check(&t, 1, 0xffffffff, &seq), ESN_OK, "far ahead");
    /* A jump of more than the whole row clears stale bits: 40 + 64 aliases 40. */
    cr_assert_eq(esn_rx_update(&t, 1, 40 + 64 + 5), ESN_OK);
    cr_assert_eq(esn_rx_check(&t, 1, 40 + 64, &seq), ESN_OK);
    cr_assert_eq(esn_rx_update(&t, 1, 40 + 64), ESN_OK);
    cr_assert_eq(esn_rx_check(&t, 1, 40 + 64, &seq), ESN_REPLAY);
    esn_destroy(&t);
}

Test(esn, update_rechecks_packets_in_flight)
{
    struct esn_table t;
    table(&t, 1, 32);
    cr_assert_eq(esn_sa_rx_packet(&t, 0, false, 32), 0);
    uint64_t a, b;
    /* Two copies of SN 7 pass the check before either ICV result: only one may count. */
    cr_assert_eq(esn_rx_check(&t, 0, 7, &a), ESN_OK);
    cr_assert_eq(esn_rx_check(&t, 0, 7, &b), ESN_OK);
    cr_assert_eq(esn_rx_update(&t, 0, a), ESN_OK);
    cr_assert_eq(esn_rx_update(&t, 0, b), ESN_REPLAY);
    /* SN 8 checks OK, then SN 100 verifies first and moves the window past 8. */
    cr_assert_eq(esn_rx_check(&t, 0, 8, &a), ESN_OK);
    cr_assert_eq(esn_rx_update(&t, 0, 100), ESN_OK);
    cr_assert_eq(esn_rx_update(&t, 0, a), ESN_TOO_OLD);
    esn_destroy(&t);
}

Test(esn, window_crosses_2_32_with_esn)
{
    struct esn_table t;
    table(&t, 1, 64);
    cr_assert_eq(esn_sa_rx_packet(&t, 0, true, 64), 0);
    uint64_t seq;
    const uint64_t top = T(0, 0xfffffff6); /* 2^32 - 10 */
    cr_assert_eq(esn_rx_update(&t, 0, top), ESN_OK);
    cr_assert_eq(esn_rx_check(&t, 0, 5, &seq), ESN_OK, "case A, Seql < Bl: next subspace");
    cr_assert_eq(seq, T(1, 5));
    cr_assert_eq(esn_rx_update(&t, 0, seq), ESN_OK);
    cr_assert_eq(esn_get(&t, 0)->sn, T(1, 5));
    /* Now Tl = 5 < W - 1: case B; late packets from subspace 0 keep Th - 1. */
    cr_assert_eq(esn_rx_check(&t, 0, 0xfffffff8, &seq), ESN_OK);
    cr_assert_eq(seq, T(0, 0xfffffff8));
    cr_assert_eq(esn_rx_update(&t, 0, seq), ESN_OK);
    cr_assert_eq(esn_rx_check(&t, 0, 0xfffffff8, &seq), ESN_REPLAY);
    cr_assert_eq(esn_rx_check(&t, 0, 0xfffffff6, &seq), ESN_REPLAY, "the old top");
    cr_assert_eq(seq, top);
    cr_assert_eq(esn_rx_check(&t, 0, 0xffffffff, &seq), ESN_OK);
    cr_assert_eq(esn_rx_check(&t, 0, 0, &seq), ESN_OK, "low 0 in subspace 1 is SN 2^32");
    cr_assert_eq(seq, T(1, 0));
    cr_assert_eq(esn_rx_check(&t, 0, 3, &seq), ESN_OK);
    cr_assert_eq(seq, T(1, 3));
    /* Below Bl in case B reads as far ahead in Th (A2.2): the ICV would fail. */
    cr_assert_eq(esn_rx_check(&t, 0, 0xffffff00, &seq), ESN_OK);
    cr_assert_eq(seq, T(1, 0xffffff00));
    esn_destroy(&t);
}

Test(esn, esn_fresh_sa_and_top_of_space)
{
    struct esn_table t;
    table(&t, 2, 64);
    cr_assert_eq(esn_sa_rx_packet(&t, 0, true, 64), 0);
    uint64_t seq;
    /* T = 0: case B with no subspace below: the top W - 1 low values are "too old". */
    cr_assert_eq(esn_rx_check(&t, 0, 0, &seq), ESN_TOO_OLD);
    cr_assert_eq(esn_rx_check(&t, 0, 1, &seq), ESN_OK);
    cr_assert_eq(seq, 1);
    cr_assert_eq(esn_rx_check(&t, 0, 0xffffffff, &seq), ESN_TOO_OLD);
    cr_assert_eq(esn_rx_check(&t, 0, (uint32_t)-63, &seq), ESN_TOO_OLD, "Seql == Bl");
    cr_assert_eq(esn_rx_check(&t, 0, (uint32_t)-64, &seq), ESN_OK);
    cr_assert_eq(seq, T(0, (uint32_t)-64));
    /* At the top of the 64-bit space nothing lies beyond. */
    cr_assert_eq(esn_sa_rx_packet(&t, 1, true, 64), 0);
    cr_assert_eq(esn_rx_update(&t, 1, UINT64_MAX - 5), ESN_OK);
    cr_assert_eq(esn_rx_check(&t, 1, 3, &seq), ESN_TOO_OLD);
    cr_assert_eq(esn_rx_check(&t, 1, 0xffffffff, &seq), ESN_OK);
    cr_assert_eq(seq, UINT64_MAX);
    cr_assert_eq(esn_rx_update(&t, 1, UINT64_MAX), ESN_OK);
    cr_assert_eq(esn_rx_check(&t, 1, 0xffffffff, &seq), ESN_REPLAY);
    esn_destroy(&t);
}

Test(esn, crypto_offload_seq_hi)
{
    struct esn_table t;
    table(&t, 4, 0); /* crypto-offload SAs need no bitmap */
    cr_assert_eq(esn_sa_rx_crypto(&t, 0, true, 128), 0);
    cr_assert_eq(esn_sa_rx_crypto(&t, 1, false, 64), 0);
    uint32_t hi = 99;
    cr_assert_eq(esn_rx_seq_hi(&t, 1, 12345, &hi), 0);
    cr_assert_eq(hi, 0, "non-ESN: no high half");
    cr_assert_eq(esn_rx_advance(&t, 1, 1, 1), -EINVAL, "advance_esn only for ESN SAs");
    cr_assert_eq(esn_rx_advance(&t, 2, 1, 1), -EINVAL);
    cr_assert_eq(esn_rx_seq_hi(&t, 2, 1, &hi), -EINVAL);
    /* Fresh SA: bottom 0, everything is in subspace 0. */
    cr_assert_eq(esn_rx_seq_hi(&t, 0, 0xffffffff, &hi), 0);
    cr_assert_eq(hi, 0);
    /* Software window top 3:100, W = 128 (case B): bottom 2:(100 - 127). */
    uint64_t b = esn_bottom(T(3, 100), 128);
    cr_assert_eq(b, T(2, (uint32_t)(100 - 127)));
    cr_assert_eq(esn_rx_advance(&t, 0, (uint32_t)(b >> 32), (uint32_t)b), 0);
    cr_assert_eq(esn_rx_seq_hi(&t, 0, 50, &hi), 0);
    cr_assert_eq(hi, 3);
    cr_assert_eq(esn_rx_seq_hi(&t, 0, 0xfffffff0, &hi), 0);
    cr_assert_eq(hi, 2, "the window bottom is still in subspace 2");
    /* Top 3:1000 (case A): bottom 3:873; a small low value now belongs to subspace 4. */
    b = esn_bottom(T(3, 1000), 128);
    cr_assert_eq(esn_rx_advance(&t, 0, 3, (uint32_t)b), 0);
    cr_assert_eq(esn_rx_seq_hi(&t, 0, 0xfffffff0, &hi), 0);
    cr_assert_eq(hi, 3);
    cr_assert_eq(esn_rx_seq_hi(&t, 0, 10, &hi), 0);
    cr_assert_eq(hi, 4);
    cr_assert_eq(esn_rx_seq_hi(&t, 0, 873, &hi), 0);
    cr_assert_eq(hi, 3, "Seql == Bl");
    cr_assert_eq(esn_rx_seq_hi(&t, 0, 872, &hi), 0);
    cr_assert_eq(hi, 4);
    /* The last subspace: nothing beyond. */
    cr_assert_eq(esn_rx_advance(&t, 0, 0xffffffff, 500), 0);
    cr_assert_eq(esn_rx_seq_hi(&t, 0, 499, &hi), -ERANGE);
    cr_assert_eq(hi, 0);
    cr_assert_eq(esn_bottom(5, 64), 0, "a window that has not filled starts at 0");
    cr_assert_eq(esn_bottom(63, 64), 0);
    cr_assert_eq(esn_bottom(64, 64), 1);
    esn_destroy(&t);
}

/* A2.2 from the top (case table) and from the bottom (one compare) agree wherever B >= 0. */
Test(esn, infer_top_and_bottom_agree)
{
    uint32_t seed = 99;
    for (int i = 0; i < 200000; i++) {
        uint32_t w = i % 3 ? 32u << (seed % 6) : 1 + seed % (1u << 31);
        uint64_t top = (uint64_t)xorshift(&seed) << 32 | xorshift(&seed);
        if (i % 4 == 0)
            top = (top & ~(uint64_t)0xffffffff) | (xorshift(&seed) % (2 * w)); /* near Tl = W-1 */
        uint32_t seql = i % 5 ? xorshift(&seed) : (uint32_t)top - w + 1 + xorshift(&seed) % 3 - 1;
        if (top < (uint64_t)w - 1)
            continue;
        uint32_t h1, h2;
        int r1 = esn_infer_hi(top, w, seql, &h1);
        int r2 = esn_infer_hi_bottom(top - (w - 1), seql, &h2);
        cr_assert_eq(r1, r2, "T %llx W %u seql %x", (unsigned long long)top, w, seql);
        cr_assert_eq(h1, h2, "T %llx W %u seql %x", (unsigned long long)top, w, seql);
    }
}

Test(esn, restore_state)
{
    struct esn_table t;
    table(&t, 3, 64);
    cr_assert_eq(esn_sa_tx(&t, 0, false), 0);
    cr_assert_eq(esn_tx_set(&t, 0, (uint64_t)1 << 32), -EINVAL, "beyond a 32-bit counter");
    cr_assert_eq(esn_tx_set(&t, 0, 41), 0);
    uint64_t sn;
    cr_assert_eq(esn_tx_next(&t, 0, &sn), 0);
    cr_assert_eq(sn, 42);
    cr_assert_eq(esn_tx_set(&t, 1, 41), -EINVAL, "not a TX SA");

    cr_assert_eq(esn_sa_rx_packet(&t, 1, true, 64), 0);
    cr_assert_eq(esn_rx_set(&t, 1, T(2, 10)), 0);
    uint64_t seq;
    cr_assert_eq(esn_rx_check(&t, 1, 10, &seq), ESN_REPLAY);
    cr_assert_eq(esn_rx_check(&t, 1, (uint32_t)(10 - 63), &seq), ESN_REPLAY, "window bottom");
    cr_assert_eq(seq, T(1, (uint32_t)(10 - 63)));
    cr_assert_eq(esn_rx_check(&t, 1, 11, &seq), ESN_OK);
    cr_assert_eq(esn_get(&t, 1)->sn, T(2, 10));
    cr_assert_eq(esn_sa_rx_packet(&t, 2, false, 32), 0);
    cr_assert_eq(esn_rx_set(&t, 2, 5), 0, "a window that has not filled");
    for (uint32_t x = 1; x <= 5; x++)
        cr_assert_eq(esn_rx_check(&t, 2, x, &seq), ESN_REPLAY);
    cr_assert_eq(esn_rx_check(&t, 2, 6, &seq), ESN_OK);
    cr_assert_eq(esn_rx_set(&t, 2, (uint64_t)1 << 32), -EINVAL);
    esn_destroy(&t);
}

/* ---- RX window against an independent reference ---- */

/* A set of 64-bit numbers: open addressing, grows never (sized for the test). */
struct seen {
    uint64_t *v;
    bool *used;
    size_t mask;
};

static void seen_init(struct seen *s, size_t cap)
{
    s->v = calloc(cap, sizeof(*s->v));
    s->used = calloc(cap, sizeof(*s->used));
    s->mask = cap - 1;
}

static size_t seen_slot(const struct seen *s, uint64_t x)
{
    size_t i = (size_t)(x * 0x9e3779b97f4a7c15ull >> 20) & s->mask;
    while (s->used[i] && s->v[i] != x)
        i = (i + 1) & s->mask;
    return i;
}

static bool seen_has(const struct seen *s, uint64_t x)
{
    return s->used[seen_slot(s, x)];
}

static void seen_add(struct seen *s, uint64_t x)
{
    size_t i = seen_slot(s, x);
    s->used[i] = true;
    s->v[i] = x;
}

struct ref {
    struct seen seen;
    uint64_t top;
    uint32_t w;
    bool esn;
};

/* The full SN of a packet: for ESN the one number with these low 32 bits in [B, B + 2^32),
 * B = T - W + 1 (RFC 4303 A2.1/A2.2 say the same with a case table). Returns false if that
 * number lies outside 1 .. 2^64-1. */
static bool ref_full(const struct ref *r, uint32_t seql, uint64_t *seq)
{
    if (!r->esn) {
        *seq = seql;
        return true;
    }
    i128 b = (i128)r->top - r->w + 1;
    uint32_t d = seql - (uint32_t)(uint64_t)b;
    i128 x = b + d;
    *seq = (uint64_t)x;
    return x >= 0 && x <= (i128)UINT64_MAX;
}

static int ref_classify(const struct ref *r, uint64_t seq)
{
    if (seq == 0)
        return ESN_TOO_OLD;
    if (seq > r->top)
        return ESN_OK;
    if (r->top - seq >= r->w)
        return ESN_TOO_OLD;
    return seen_has(&r->seen, seq) ? ESN_REPLAY : ESN_OK;
}

static uint64_t rnd64(uint32_t *s)
{
    return (uint64_t)xorshift(s) << 32 | xorshift(s);
}

/* Random traffic: a sender counter that mostly steps by 1, sometimes jumps; the receiver sees
 * in-order, late (reordered), duplicated, very old and forged packets; some ICVs fail. Every
 * check and update is compared with the reference, and checks are shown not to change state. */
static void run_random(uint32_t max_window, uint32_t w, bool esn, uint64_t start, uint32_t seed,
                       int packets)
{
    struct esn_table t;
    table(&t, 3, max_window);
    const uint32_t idx = 1;
    cr_assert_eq(esn_sa_rx_packet(&t, idx, esn, w), 0);
    struct ref r = { .top = 0, .w = w, .esn = esn };
    seen_init(&r.seen, 1u << 17);
    size_t row_bytes = (size_t)t.row_words * 4;
    uint8_t *snap = malloc(row_bytes);
    int counts[ESN_NSTATUS] = { 0 };

    if (start) {
        cr_assert_eq(esn_rx_update(&t, idx, start), ESN_OK);
        seen_add(&r.seen, start);
        r.top = start;
    }
    uint64_t sender = start;
    uint64_t limit = esn ? UINT64_MAX : UINT32_MAX;
    for (int i = 0; i < packets; i++) {
        uint32_t dice = xorshift(&seed) % 100;
        uint64_t sn;
        if (dice < 55 || sender == 0) {
            sender += sender < limit ? 1 : 0;
            sn = sender;
        } else if (dice < 62) {
            uint64_t jump = 1 + xorshift(&seed) % (3 * w);
            sender = limit - sender < jump ? limit : sender + jump;
            sn = sender;
        } else if (dice < 85) {
            uint64_t back = xorshift(&seed) % (w + w / 2); /* late, or a duplicate */
            sn = sender > back ? sender - back : 1;
        } else if (dice < 93) {
            uint64_t back = (uint64_t)xorshift(&seed) % (1u << 20); /* very old */
            sn = sender > back ? sender - back : 1;
        } else {
            sn = rnd64(&seed) & limit; /* forged: random low bits */
        }
        uint32_t seql = (uint32_t)sn;

        uint64_t want_seq;
        bool in_space = ref_full(&r, seql, &want_seq);
        int want = in_space ? ref_classify(&r, want_seq) : ESN_TOO_OLD;

        struct esn_sa before = *esn_get(&t, idx);
        memcpy(snap, t.bitmap + (size_t)idx * t.row_words, row_bytes);
        uint64_t got_seq;
        int got = esn_rx_check(&t, idx, seql, &got_seq);
        cr_assert_eq(got, want, "pkt %d seql %u T %llu: got %s want %s", i, seql,
                     (unsigned long long)r.top, esn_status_name(got), esn_status_name(want));
        cr_assert_eq(got_seq, want_seq, "pkt %d full SN", i);
        cr_assert_eq(memcmp(&before, esn_get(&t, idx), sizeof(before)), 0, "check changed state");
        cr_assert_eq(memcmp(snap, t.bitmap + (size_t)idx * t.row_words, row_bytes), 0,
                     "check changed the bitmap");
        counts[got]++;

        /* ICV: forged packets fail unless their guess was exactly right; 5% fail anyway. */
        bool icv_ok = got == ESN_OK && got_seq == sn && xorshift(&seed) % 100 >= 5;
        if (icv_ok) {
            int u = esn_rx_update(&t, idx, got_seq);
            cr_assert_eq(u, ESN_OK, "pkt %d update", i);
            seen_add(&r.seen, got_seq);
            if (got_seq > r.top)
                r.top = got_seq;
        }
        /* Now and then re-send an update for a number already handled (a racing duplicate). */
        if (xorshift(&seed) % 50 == 0 && r.top > 0 && (esn || r.top <= UINT32_MAX)) {
            uint64_t back = xorshift(&seed) % (2 * w);
            uint64_t x = r.top > back ? r.top - back : r.top;
            int exp = ref_classify(&r, x);
            cr_assert_eq(esn_rx_update(&t, idx, x), exp, "pkt %d racing update", i);
            if (exp == ESN_OK)
                seen_add(&r.seen, x);
        }
        cr_assert_eq(esn_get(&t, idx)->sn, r.top);
    }
    /* The traffic mix reached every outcome. With ESN nothing is too old away from the edges
     * of the 64-bit space (A2.2 maps every low half into [B, B + 2^32)); a fresh SA leaves
     * case B after W packets, too soon for the mix to hit it reliably. */
    cr_assert_gt(counts[ESN_OK], 0);
    cr_assert_gt(counts[ESN_REPLAY], 0);
    if (!esn || start > UINT64_MAX - (uint64_t)packets)
        cr_assert_gt(counts[ESN_TOO_OLD], 0);
    free(snap);
    free(r.seen.v);
    free(r.seen.used);
    esn_destroy(&t);
}

Test(esn, random_vs_reference_non_esn)
{
    const uint32_t windows[] = { 32, 64, 96, 128, 256, 1024 };
    for (int i = 0; i < 6; i++)
        run_random(1024, windows[i], false, 0, 0x1234u + (uint32_t)i, 20000);
    run_random(64, 64, false, 0, 0x777u, 20000); /* a small table: 64-bit rows */
    run_random(96, 96, false, 0, 0x778u, 20000); /* W 96 on a 128-bit row */
    /* Near the end of the 32-bit space (the sender stops at 2^32-1). */
    run_random(1024, 64, false, UINT32_MAX - 5000, 0x99u, 20000);
}

Test(esn, random_vs_reference_esn_across_2_32)
{
    const uint32_t windows[] = { 32, 64, 96, 128, 256, 1024 };
    for (int i = 0; i < 6; i++)
        run_random(1024, windows[i], true, UINT32_MAX - 3000, 0x4321u + (uint32_t)i, 20000);
    run_random(1024, 64, true, 0, 0x55u, 20000);               /* from a fresh SA */
    run_random(256, 256, true, T(7, 0xffffff00), 0x66u, 20000); /* 7 -> 8 */
    run_random(64, 64, true, UINT64_MAX - 30000, 0x67u, 40000); /* top of the space */
}

Test(esn, status_names)
{
    cr_assert_str_eq(esn_status_name(ESN_OK), "ESN_OK");
    cr_assert_str_eq(esn_status_name(ESN_REPLAY), "ESN_REPLAY");
    cr_assert_str_eq(esn_status_name(ESN_TOO_OLD), "ESN_TOO_OLD");
    cr_assert_str_eq(esn_status_name(-EINVAL), "ESN_?");
}

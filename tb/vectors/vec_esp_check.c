/* vec_esp_check.c - one ESP vector record through an engine, with a verdict.
 *
 * encap: the output must equal `esp` byte for byte, and decapsulating `esp` must give `plain`
 * back (a record proves both directions). decap: the status must equal `result`; on ok the
 * output must equal `plain` (and next-header, and the SN low half, at level esp). On any failed
 * decap the output buffer may only hold zeros or the untouched canary: an engine must not
 * release unverified plaintext (DESIGN.md s1, gcm).
 */
#include <stdlib.h>
#include <string.h>

#include "vec_esp.h"

#define CANARY 0xa5u

struct buf {
    uint8_t *p;
    size_t cap;
    size_t len;
};

static int buf_alloc(struct buf *b, size_t cap)
{
    b->cap = cap;
    b->len = 0;
    b->p = malloc(cap);
    if (b->p != NULL)
        memset(b->p, CANARY, cap);
    return b->p == NULL ? -1 : 0;
}

static int leaked(const struct buf *b)
{
    for (size_t i = 0; i < b->cap; i++)
        if (b->p[i] != 0 && b->p[i] != CANARY)
            return 1;
    return 0;
}

static void make_sa(const struct vec_esp_rec *r, struct gold_sa *sa)
{
    /* The parser checked keymat and icv, so this cannot fail; fields it does not set follow. */
    (void)gold_sa_init(sa, r->keymat.p, r->keymat.len, r->spi, r->icv);
    sa->esn = r->esn;
    sa->mode = r->mode;
    sa->align = r->align;
    if (vec_esp_has(r, VEC_ESP_F_OUTER_SRC)) {
        sa->outer_v6 = r->outer_src_v6;
        memcpy(sa->outer_src, r->outer_src, 16);
    }
    if (vec_esp_has(r, VEC_ESP_F_OUTER_DST)) {
        sa->outer_v6 = r->outer_dst_v6;
        memcpy(sa->outer_dst, r->outer_dst, 16);
    }
}

/* Decapsulate r->esp; sets the verdict. want: the expected status. */
static void check_decap(const struct vec_engine *eng, void *ctx, const struct vec_esp_rec *r,
                        const struct gold_sa *sa, int want, const char *what,
                        struct vec_outcome *o)
{
    bool esp_level = r->level == VEC_ESP_LEVEL_ESP;
    uint32_t seq_hi = (uint32_t)(r->sn >> 32);
    uint8_t nh = 0;
    uint32_t sn_low = 0;
    struct buf out;
    int rc;

    if (esp_level ? eng->esp_open == NULL : eng->decap == NULL) {
        vec_outcome_skip(o, "engine cannot decap at this level");
        return;
    }
    /* Decap only ever shrinks a packet; the slack catches an engine that miscounts. */
    if (buf_alloc(&out, r->esp.len + 64) != 0) {
        vec_outcome_fail(o, "out of memory");
        return;
    }
    if (esp_level)
        rc = eng->esp_open(ctx, sa, seq_hi, r->esp.p, r->esp.len, out.p, out.cap, &out.len, &nh,
                           &sn_low);
    else
        rc = eng->decap(ctx, sa, seq_hi, r->esp.p, r->esp.len, out.p, out.cap, &out.len);

    if (rc == VEC_UNSUPPORTED)
        vec_outcome_skip(o, "%s unsupported", what);
    else if (rc != want)
        vec_outcome_fail(o, "%s returned %s, want %s", what, vec_status_name(rc),
                         vec_status_name(want));
    else if (rc != GOLD_OK && leaked(&out))
        vec_outcome_fail(o, "%s returned %s but released unverified plaintext", what,
                         vec_status_name(rc));
    else if (rc != GOLD_OK)
        vec_outcome_pass(o);
    else if (out.len > out.cap)
        vec_outcome_fail(o, "%s output length %zu exceeds the buffer (%zu)", what, out.len,
                         out.cap);
    else if (vec_diff(o->why, sizeof o->why, "plain", out.p, out.len, r->plain.p, r->plain.len))
        o->verdict = VEC_FAIL;
    else if (esp_level && nh != r->next_header)
        vec_outcome_fail(o, "next-header got %u, want %u", nh, r->next_header);
    else if (esp_level && sn_low != (uint32_t)r->sn)
        vec_outcome_fail(o, "SN low half on the wire got 0x%08x, want 0x%08x", sn_low,
                         (uint32_t)r->sn);
    else
        vec_outcome_pass(o);
    free(out.p);
}

static void check_encap(const struct vec_engine *eng, void *ctx, const struct vec_esp_rec *r,
                        const struct gold_sa *sa, struct vec_outcome *o)
{
    bool esp_level = r->level == VEC_ESP_LEVEL_ESP;
    struct buf out;
    int rc;

    if (esp_level ? eng->esp_seal == NULL : eng->encap == NULL) {
        vec_outcome_skip(o, "engine cannot encap at this level");
        return;
    }
    /* Alignment beyond 4 can add up to align-1 pad bytes more than the worst case at 4. */
    if (buf_alloc(&out, r->plain.len + GOLD_ENCAP_OVERHEAD + r->align + 64) != 0) {
        vec_outcome_fail(o, "out of memory");
        return;
    }
    if (esp_level)
        rc = eng->esp_seal(ctx, sa, r->sn, r->iv, r->plain.p, r->plain.len, r->next_header, out.p,
                           out.cap, &out.len);
    else
        rc = eng->encap(ctx, sa, r->sn, r->iv, r->plain.p, r->plain.len, out.p, out.cap,
                        &out.len);

    if (rc == VEC_UNSUPPORTED)
        vec_outcome_skip(o, "encap unsupported");
    else if (rc != GOLD_OK)
        vec_outcome_fail(o, "encap returned %s, want ok", vec_status_name(rc));
    else if (out.len > out.cap)
        vec_outcome_fail(o, "encap output length %zu exceeds the buffer (%zu)", out.len, out.cap);
    else if (vec_diff(o->why, sizeof o->why, "esp", out.p, out.len, r->esp.p, r->esp.len))
        o->verdict = VEC_FAIL;
    else
        check_decap(eng, ctx, r, sa, GOLD_OK, "decap of esp", o);
    free(out.p);
}

void vec_esp_check(const struct vec_engine *eng, void *ctx, const struct vec_esp_rec *r,
                   struct vec_outcome *o)
{
    struct gold_sa sa;

    vec_outcome_pass(o);
    make_sa(r, &sa);
    if (r->op == VEC_ESP_ENCAP)
        check_encap(eng, ctx, r, &sa, o);
    else
        check_decap(eng, ctx, r, &sa, r->result, "decap", o);
}

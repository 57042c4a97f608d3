/* vec_gcm.c - one raw AES-GCM record through an engine, with a verdict.
 *
 * Besides the known answers it enforces the hardware rule "no plaintext before the tag
 * verifies": the plaintext buffer is pre-filled with a canary, and after a failed decrypt every
 * byte must still be the canary or zero (esp_golden.h zeroes; an engine that never wrote is fine,
 * one that left plaintext behind fails).
 */
#include <stdlib.h>
#include <string.h>

#include "vec_gcm.h"

#define CANARY 0xa5u

/* Engine buffers never have length 0, so a NULL from malloc always means out of memory. */
static uint8_t *alloc_buf(size_t n, int fill)
{
    uint8_t *p = malloc(n + 1);
    if (p != NULL)
        memset(p, fill, n + 1);
    return p;
}

/* After a failed decrypt each byte must be zero (wiped) or the canary (never written). */
static int leaked(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != 0 && p[i] != CANARY)
            return 1;
    return 0;
}

/* 1: verdict final (fail or skip) already set in o; 0: encryption matched (or, when tolerant,
 * the engine refused the record with an error status). */
static int check_encrypt(const struct vec_engine *eng, void *ctx, const struct vec_gcm_case *c,
                         int tolerant, struct vec_outcome *o)
{
    if (eng->gcm_encrypt == NULL) {
        vec_outcome_skip(o, "engine has no gcm_encrypt");
        return 1;
    }
    if (c->pt_len != c->ct_len) {
        vec_outcome_fail(o, "PT is %zu bytes but CT %zu", c->pt_len, c->ct_len);
        return 1;
    }
    uint8_t *ct = alloc_buf(c->pt_len, 0);
    /* Sized by the record, not by GCM: a bogus tag length must reach the engine (which refuses
     * it) without ever letting it write past our buffer. */
    uint8_t *tag = alloc_buf(c->tag_len + 16, 0);
    if (ct == NULL || tag == NULL) {
        free(ct);
        free(tag);
        vec_outcome_fail(o, "out of memory");
        return 1;
    }
    int rc = eng->gcm_encrypt(ctx, c->key, c->key_len, c->iv, c->iv_len, c->aad, c->aad_len,
                              c->pt, c->pt_len, ct, tag, c->tag_len);
    int done = 1;
    if (rc == VEC_UNSUPPORTED)
        vec_outcome_skip(o, "encrypt unsupported");
    else if (rc != GOLD_OK && tolerant)
        done = 0; /* acceptable: refusing the parameters is a legal outcome */
    else if (rc != GOLD_OK)
        vec_outcome_fail(o, "encrypt returned %s, want ok", vec_status_name(rc));
    else if (vec_diff(o->why, sizeof o->why, "CT", ct, c->pt_len, c->ct, c->ct_len) ||
             vec_diff(o->why, sizeof o->why, "Tag", tag, c->tag_len, c->tag, c->tag_len))
        o->verdict = VEC_FAIL;
    else
        done = 0;
    free(ct);
    free(tag);
    return done;
}

/* Runs decrypt; returns the engine status and leaves the plaintext in *pt_out (caller frees). */
static int run_decrypt(const struct vec_engine *eng, void *ctx, const struct vec_gcm_case *c,
                       uint8_t **pt_out)
{
    uint8_t *pt = alloc_buf(c->ct_len, CANARY);
    *pt_out = pt;
    if (pt == NULL)
        return GOLD_E_NOSPACE;
    return eng->gcm_decrypt(ctx, c->key, c->key_len, c->iv, c->iv_len, c->aad, c->aad_len, c->ct,
                            c->ct_len, c->tag, c->tag_len, pt);
}

static void check_decrypt(const struct vec_engine *eng, void *ctx, const struct vec_gcm_case *c,
                          struct vec_outcome *o)
{
    if (eng->gcm_decrypt == NULL) {
        vec_outcome_skip(o, "engine has no gcm_decrypt");
        return;
    }
    uint8_t *pt = NULL;
    int rc = run_decrypt(eng, ctx, c, &pt);
    if (pt == NULL) {
        vec_outcome_fail(o, "out of memory");
        return;
    }
    if (rc == VEC_UNSUPPORTED) {
        vec_outcome_skip(o, "decrypt unsupported");
    } else if (rc != GOLD_OK) {
        if (c->expect == VEC_GCM_BAD_ICV && rc != GOLD_E_BAD_ICV)
            vec_outcome_fail(o, "decrypt returned %s, want bad-icv", vec_status_name(rc));
        else if (c->expect == VEC_GCM_DECRYPT || c->expect == VEC_GCM_VALID)
            vec_outcome_fail(o, "decrypt returned %s, want ok", vec_status_name(rc));
        else if (leaked(pt, c->ct_len))
            vec_outcome_fail(o, "decrypt returned %s but released unverified plaintext",
                             vec_status_name(rc));
        else
            vec_outcome_pass(o);
    } else if (c->expect == VEC_GCM_BAD_ICV || c->expect == VEC_GCM_INVALID) {
        vec_outcome_fail(o, "tag verified, want %s",
                         c->expect == VEC_GCM_BAD_ICV ? "bad-icv" : "a failure");
    } else if (c->pt == NULL) {
        vec_outcome_fail(o, "record has no PT to compare");
    } else if (vec_diff(o->why, sizeof o->why, "PT", pt, c->ct_len, c->pt, c->pt_len)) {
        o->verdict = VEC_FAIL;
    } else {
        vec_outcome_pass(o);
    }
    free(pt);
}

void vec_gcm_check(const struct vec_engine *eng, void *ctx, const struct vec_gcm_case *c,
                   struct vec_outcome *o)
{
    vec_outcome_pass(o);
    switch (c->expect) {
    case VEC_GCM_ENCRYPT:
        if (!check_encrypt(eng, ctx, c, 0, o))
            vec_outcome_pass(o);
        return;
    case VEC_GCM_VALID:
    case VEC_GCM_ACCEPTABLE:
        /* Acceptable records are encrypted too: an engine that takes an unusual IV must then
         * compute the right answer, or a wrong GHASH of the IV would hide behind bad-icv. */
        if (check_encrypt(eng, ctx, c, c->expect == VEC_GCM_ACCEPTABLE, o))
            return;
        check_decrypt(eng, ctx, c, o);
        return;
    case VEC_GCM_DECRYPT:
    case VEC_GCM_BAD_ICV:
    case VEC_GCM_INVALID:
        check_decrypt(eng, ctx, c, o);
        return;
    }
    vec_outcome_fail(o, "internal: unknown expectation %d", (int)c->expect);
}

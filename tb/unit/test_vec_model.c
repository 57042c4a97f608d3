/* test_vec_model.c - the shipped ESP vectors and CAVP excerpts through the C model engines
 * (model-fast, model-bit) via the runner: nothing fails, something passes, and both data modes
 * give the same verdict counts. A file with a wrong expectation must fail on the model too, so a
 * model engine that passed everything without looking would be caught; and a tag that does not
 * verify must leave the caller's plaintext buffer without plaintext.
 */
#include <criterion/criterion.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vec_engine.h"
#include "vec_run.h"

static const char *const model_engines[] = {"model-fast", "model-bit"};

struct run {
    char *text;
    size_t len;
    struct vec_tally t;
    unsigned long failed;
};

static void run_one(const char *path, const char *engine, struct run *r)
{
    const struct vec_engine *eng = vec_engine_find(engine);
    cr_assert_not_null(eng, "engine %s not registered", engine);
    memset(r, 0, sizeof *r);
    FILE *f = open_memstream(&r->text, &r->len);
    cr_assert_not_null(f);
    r->failed = vec_run_files(&path, 1, &eng, 1, f, 0, &r->t);
    fclose(f);
}

/* Every file matching pattern: 0 failed and > 0 passed on both engines, equal tallies. */
static void shipped(const char *pattern)
{
    glob_t g;
    cr_assert_eq(glob(pattern, 0, NULL, &g), 0, "no files match %s (run from the repo root)",
                 pattern);
    for (size_t i = 0; i < g.gl_pathc; i++) {
        struct run r[2];
        for (size_t e = 0; e < 2; e++) {
            run_one(g.gl_pathv[i], model_engines[e], &r[e]);
            cr_expect_eq(r[e].failed, 0, "%s [%s]: %lu failed:\n%s", g.gl_pathv[i],
                         model_engines[e], r[e].failed, r[e].text);
            cr_expect_gt(r[e].t.passed, 0, "%s [%s]: nothing passed", g.gl_pathv[i],
                         model_engines[e]);
        }
        cr_expect(r[0].t.passed == r[1].t.passed && r[0].t.skipped == r[1].t.skipped,
                  "%s: fast %lu passed %lu skipped, bit %lu passed %lu skipped", g.gl_pathv[i],
                  r[0].t.passed, r[0].t.skipped, r[1].t.passed, r[1].t.skipped);
        free(r[0].text);
        free(r[1].text);
    }
    globfree(&g);
}

Test(vec_model, shipped_esp_vectors) { shipped("vectors/esp/*.vec"); }

Test(vec_model, shipped_cavp_excerpts) { shipped("vectors/cavp/*.rsp"); }

/* tb/unit/data/esp_wrong.vec holds two records whose expectations are wrong on purpose. */
Test(vec_model, wrong_expectations_fail)
{
    for (size_t e = 0; e < 2; e++) {
        struct run r;
        run_one("tb/unit/data/esp_wrong.vec", model_engines[e], &r);
        cr_expect_eq(r.t.failed, 2, "[%s]:\n%s", model_engines[e], r.text);
        cr_expect_eq(r.t.passed, 1, "[%s]:\n%s", model_engines[e], r.text);
        free(r.text);
    }
}

/* RFC 4106-shaped but raw: a flipped tag bit gives bad-icv, and the output holds zeros. */
Test(vec_model, bad_tag_releases_nothing)
{
    static const uint8_t key[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    static const uint8_t iv[12] = {0xca, 0xfe, 0xba, 0xbe, 1, 2, 3, 4, 5, 6, 7, 8};
    static const uint8_t aad[8] = {0, 0, 1, 0, 0, 0, 0, 1};
    uint8_t pt[40], ct[40], tag[16], out[40];
    for (size_t i = 0; i < sizeof pt; i++)
        pt[i] = (uint8_t)(0x30 + i);
    for (size_t e = 0; e < 2; e++) {
        const struct vec_engine *eng = vec_engine_find(model_engines[e]);
        cr_assert_not_null(eng);
        void *ctx = eng->create();
        cr_assert_not_null(ctx);
        cr_assert_eq(eng->gcm_encrypt(ctx, key, 16, iv, 12, aad, 8, pt, sizeof pt, ct, tag, 16),
                     GOLD_OK);
        cr_assert_eq(eng->gcm_decrypt(ctx, key, 16, iv, 12, aad, 8, ct, sizeof ct, tag, 16, out),
                     GOLD_OK);
        cr_assert_arr_eq(out, pt, sizeof pt);
        tag[5] ^= 0x10;
        memset(out, 0xa5, sizeof out);
        cr_assert_eq(eng->gcm_decrypt(ctx, key, 16, iv, 12, aad, 8, ct, sizeof ct, tag, 16, out),
                     GOLD_E_BAD_ICV, "[%s]", model_engines[e]);
        for (size_t i = 0; i < sizeof out; i++)
            cr_assert_eq(out[i], 0, "[%s] byte %zu released", model_engines[e], i);
        /* what the hardware cannot do is skipped, never failed or passed */
        cr_assert_eq(eng->gcm_encrypt(ctx, key, 16, iv, 8, aad, 8, pt, 16, ct, tag, 16),
                     VEC_UNSUPPORTED);
        cr_assert_eq(eng->gcm_encrypt(ctx, key, 16, iv, 12, aad, 8, pt, 16, ct, tag, 4),
                     VEC_UNSUPPORTED);
        eng->destroy(ctx);
    }
}

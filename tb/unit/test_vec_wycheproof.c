/* test_vec_wycheproof.c - Wycheproof AEAD JSON through the runner: valid, invalid and acceptable
 * results, a wrong expected tag counted as failed, the malformed cases (truncated JSON, missing
 * field, bad hex, key size against keySize) with the line of the test's tcId, and the rule that
 * a failed decrypt releases no plaintext. Data: tb/unit/data/wp_*.json. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vec_engine.h"
#include "vec_run.h"

#define DATA "tb/unit/data/"

struct run {
    char *text;
    size_t len;
    struct vec_tally t;
};

static void run_with(const struct vec_engine *eng, const char *const *paths, size_t n,
                     struct run *r)
{
    memset(r, 0, sizeof *r);
    FILE *f = open_memstream(&r->text, &r->len);
    cr_assert_not_null(f);
    vec_run_files(paths, n, &eng, 1, f, 0, &r->t);
    fclose(f);
}

static void run_ref(const char *const *paths, size_t n, struct run *r)
{
    run_with(vec_engine_find("ref"), paths, n, r);
}

static unsigned count(const char *text, const char *needle)
{
    unsigned n = 0;
    for (const char *p = text; (p = strstr(p, needle)) != NULL; p++)
        n++;
    return n;
}

#define HAS(r, s) \
    cr_assert_not_null(strstr((r)->text, (s)), "missing: %s\noutput:\n%s", (s), (r)->text)

Test(vec_wycheproof, good_file_passes)
{
    const char *p[] = { DATA "wp_good.json" };
    struct run r;
    run_ref(p, 1, &r);
    cr_assert_eq(r.t.failed, 0, "%s", r.text);
    cr_assert_eq(r.t.passed, 7, "%s", r.text);
    HAS(&r, DATA "wp_good.json [ref]: 7 passed, 0 failed, 0 skipped\n");
    free(r.text);
}

Test(vec_wycheproof, wrong_expected_tag_is_counted_failed)
{
    const char *p[] = { DATA "wp_wrong_tag.json" };
    struct run r;
    run_ref(p, 1, &r);
    cr_assert_eq(r.t.failed, 1, "%s", r.text);
    cr_assert_eq(r.t.passed, 6);
    HAS(&r, DATA "wp_wrong_tag.json:34: FAIL [ref] tcId 2: Tag got "
                 "5bc94fbc3221a5db94fae95ae7121a47, want 5bc94fbc3221a5db94fae95ae7121a48\n");
    free(r.text);
}

static void malformed(const char *file, unsigned long passed_before, const char *where_what)
{
    const char *p[] = { file, DATA "wp_good.json" };
    struct run r;
    run_ref(p, 2, &r);
    HAS(&r, where_what);
    cr_assert_eq(count(r.text, "error:"), 1, "%s", r.text);
    cr_assert_eq(r.t.failed, 1, "%s", r.text);
    cr_assert_eq(r.t.passed, passed_before + 7, "the next file still runs:\n%s", r.text);
    HAS(&r, DATA "wp_good.json [ref]: 7 passed, 0 failed, 0 skipped\n");
    free(r.text);
}

Test(vec_wycheproof, truncated_json)
{
    malformed(DATA "wp_truncated.json", 0,
              DATA "wp_truncated.json:52: error: JSON: premature end of input");
}

Test(vec_wycheproof, missing_field)
{
    malformed(DATA "wp_missing.json", 1,
              DATA "wp_missing.json:34: error: tcId 2: missing field 'tag'\n");
}

Test(vec_wycheproof, bad_hex)
{
    malformed(DATA "wp_bad_hex.json", 5,
              DATA "wp_bad_hex.json:110: error: tcId 5: iv: bad hex digit 'z'");
}

Test(vec_wycheproof, wrong_key_size)
{
    malformed(DATA "wp_keysize.json", 1,
              DATA "wp_keysize.json:34: error: tcId 2: key is 192 bits but the group says "
                   "keySize 128\n");
}

static void *ctx_create(void) { return malloc(1); }
static void ctx_destroy(void *c) { free(c); }

/* Like the reference, except that a failed decrypt leaves the would-be plaintext in the
 * buffer: the hardware rule forbids exactly that. */
static int leaky_decrypt(void *ctx, const uint8_t *key, size_t key_len, const uint8_t *iv,
                         size_t iv_len, const uint8_t *aad, size_t aad_len, const uint8_t *ct,
                         size_t len, const uint8_t *tag, size_t tag_len, uint8_t *pt)
{
    (void)ctx;
    int rc = gold_gcm_decrypt(key, key_len, iv, iv_len, aad, aad_len, ct, len, tag, tag_len, pt);
    if (rc != GOLD_OK)
        memset(pt, 0x42, len);
    return rc;
}

static int ref_encrypt(void *ctx, const uint8_t *key, size_t key_len, const uint8_t *iv,
                       size_t iv_len, const uint8_t *aad, size_t aad_len, const uint8_t *pt,
                       size_t len, uint8_t *ct, uint8_t *tag, size_t tag_len)
{
    (void)ctx;
    return gold_gcm_encrypt(key, key_len, iv, iv_len, aad, aad_len, pt, len, ct, tag, tag_len);
}

Test(vec_wycheproof, failed_decrypt_must_not_release_plaintext)
{
    const struct vec_engine leaky = {
        .name = "leaky", .desc = "leaks", .create = ctx_create, .destroy = ctx_destroy,
        .gcm_encrypt = ref_encrypt, .gcm_decrypt = leaky_decrypt,
    };
    const char *p[] = { DATA "wp_good.json" };
    struct run r;
    run_with(&leaky, p, 1, &r);
    cr_assert_eq(r.t.failed, 1, "%s", r.text);
    HAS(&r, DATA "wp_good.json:46: FAIL [leaky] tcId 3: decrypt returned bad-icv but released "
                 "unverified plaintext\n");
    free(r.text);
}

/* Accepts anything on decrypt: invalid records must catch it. */
static int yes_decrypt(void *ctx, const uint8_t *key, size_t key_len, const uint8_t *iv,
                       size_t iv_len, const uint8_t *aad, size_t aad_len, const uint8_t *ct,
                       size_t len, const uint8_t *tag, size_t tag_len, uint8_t *pt)
{
    uint8_t ignored[16];
    (void)tag, (void)tag_len;
    /* CTR is its own inverse, so encrypting ct gives pt; the tag is never checked. */
    return ref_encrypt(ctx, key, key_len, iv, iv_len, aad, aad_len, ct, len, pt, ignored, 16);
}

Test(vec_wycheproof, engine_that_never_rejects_fails_invalid_records)
{
    const struct vec_engine yes = {
        .name = "yes", .desc = "never rejects", .create = ctx_create, .destroy = ctx_destroy,
        .gcm_encrypt = ref_encrypt, .gcm_decrypt = yes_decrypt,
    };
    const char *p[] = { DATA "wp_good.json" };
    struct run r;
    run_with(&yes, p, 1, &r);
    cr_assert_eq(r.t.failed, 1, "%s", r.text);
    HAS(&r, DATA "wp_good.json:46: FAIL [yes] tcId 3: tag verified, want a failure\n");
    free(r.text);
}

Test(vec_wycheproof, not_aes_gcm)
{
    static const char doc[] =
        "{\n  \"algorithm\" : \"CHACHA20-POLY1305\",\n  \"testGroups\" : []\n}\n";
    char path[] = "/tmp/nicsim-unit-XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    cr_assert_eq(write(fd, doc, sizeof doc - 1), (ssize_t)(sizeof doc - 1));
    close(fd);
    const char *p[] = { path };
    struct run r;
    run_ref(p, 1, &r);
    char want[128];
    snprintf(want, sizeof want, "%s:1: error: algorithm 'CHACHA20-POLY1305' is not AES-GCM", path);
    HAS(&r, want);
    cr_assert_eq(r.t.failed, 1);
    unlink(path);
    free(r.text);
}

/* vec_wycheproof.c - Project Wycheproof AEAD test files (aes_gcm_test.json schema).
 *
 *   { "algorithm": "AES-GCM", "testGroups": [ { "keySize", "ivSize", "tagSize" (bits),
 *     "tests": [ { "tcId", "comment", "key", "iv", "aad", "msg", "ct", "tag",
 *                  "result": "valid" | "invalid" | "acceptable", "flags" } ] } ] }
 * valid: encrypt gives ct and tag, decrypt gives msg; invalid: decrypt fails (any gold error,
 * e.g. bad-icv, or param for a zero-length IV); acceptable: either outcome, but what succeeds
 * must be right. Fields we do not use (header, notes, source, flags) are ignored, since the
 * schema grows; the sizes in the group must match every test's data.
 *
 * Parsed with Jansson, which reports line and column of a JSON syntax error. Its DOM carries no
 * positions, so the line of each test is found by scanning the text for its "tcId" (tcIds are
 * unique in a file); that line is what FAIL and error lines name.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "vec_gcm.h"
#include "vec_hex.h"

/* Larger than any Wycheproof file by two orders of magnitude; refuses pathological inputs. */
#define WP_MAX_FILE (256u << 20)

struct tcid_line {
    long long tcid;
    unsigned long line;
};

struct tcid_index {
    struct tcid_line *v;
    size_t n;
    size_t cursor; /* tests come in file order: the next lookup hits here or just after */
};

static int read_all(FILE *in, char **buf, size_t *len, struct vec_err *err)
{
    size_t cap = 1 << 16, n = 0;
    char *p = malloc(cap);
    if (p == NULL) {
        vec_err_set(err, 1, "out of memory");
        return -1;
    }
    for (;;) {
        if (n == cap) {
            if (cap >= WP_MAX_FILE) {
                free(p);
                vec_err_set(err, 1, "file larger than %u MiB", WP_MAX_FILE >> 20);
                return -1;
            }
            char *q = realloc(p, cap * 2);
            if (q == NULL) {
                free(p);
                vec_err_set(err, 1, "out of memory");
                return -1;
            }
            p = q;
            cap *= 2;
        }
        size_t got = fread(p + n, 1, cap - n, in);
        n += got;
        if (got == 0) {
            if (ferror(in)) {
                free(p);
                vec_err_set(err, 1, "read error");
                return -1;
            }
            break;
        }
    }
    *buf = p;
    *len = n;
    return 0;
}

/* Every `"tcId" : <digits>` outside a string, with its line. */
static int index_tcids(const char *buf, size_t len, struct tcid_index *ix)
{
    static const char key[] = "\"tcId\"";
    const size_t klen = sizeof key - 1;
    size_t cap = 0;
    unsigned long line = 1;

    memset(ix, 0, sizeof *ix);
    for (size_t i = 0; i < len; i++) {
        if (buf[i] == '\n') {
            line++;
            continue;
        }
        if (buf[i] != '"' || len - i < klen || memcmp(buf + i, key, klen) != 0)
            continue;
        if (i > 0 && buf[i - 1] == '\\') /* an escaped quote inside some string */
            continue;
        size_t k = i + klen;
        while (k < len && (buf[k] == ' ' || buf[k] == '\t' || buf[k] == '\r'))
            k++;
        if (k >= len || buf[k] != ':')
            continue;
        k++;
        while (k < len && (buf[k] == ' ' || buf[k] == '\t' || buf[k] == '\r' || buf[k] == '\n'))
            k++;
        long long v = 0;
        size_t d = 0;
        while (k + d < len && buf[k + d] >= '0' && buf[k + d] <= '9' && d < 18) {
            v = v * 10 + (buf[k + d] - '0');
            d++;
        }
        if (d == 0)
            continue;
        if (ix->n == cap) {
            size_t ncap = cap ? cap * 2 : 256;
            struct tcid_line *q = realloc(ix->v, ncap * sizeof *q);
            if (q == NULL)
                return -1;
            ix->v = q;
            cap = ncap;
        }
        ix->v[ix->n].tcid = v;
        ix->v[ix->n].line = line;
        ix->n++;
        i += klen - 1;
    }
    return 0;
}

static unsigned long tcid_line(struct tcid_index *ix, long long tcid)
{
    for (size_t k = 0; k < ix->n; k++) {
        size_t i = (ix->cursor + k) % ix->n;
        if (ix->v[i].tcid == tcid) {
            ix->cursor = i;
            return ix->v[i].line;
        }
    }
    return 1;
}

struct wp_group {
    size_t index;
    json_int_t key_bits, iv_bits, tag_bits;
};

enum { T_KEY, T_IV, T_AAD, T_MSG, T_CT, T_TAG, T_COUNT_ };
static const char *const hex_fields[T_COUNT_] = { "key", "iv", "aad", "msg", "ct", "tag" };

/* Size in the group header against one test's data. */
static int check_bits(struct vec_err *err, unsigned long line, long long tcid, const char *what,
                      const struct vec_bytes *b, json_int_t bits)
{
    if ((json_int_t)b->len * 8 == bits)
        return 0;
    vec_err_set(err, line, "tcId %lld: %s is %zu bits but the group says %s %lld", tcid,
                what, b->len * 8, what[0] == 'k' ? "keySize" : what[0] == 'i' ? "ivSize"
                                                                            : "tagSize",
                (long long)bits);
    return -1;
}

static int run_test(struct vec_job *job, const struct wp_group *g, json_t *t, size_t ti,
                    struct tcid_index *ix)
{
    struct vec_err *err = &job->err;
    struct vec_bytes f[T_COUNT_];
    char why[128];
    int rc = -1;

    memset(f, 0, sizeof f);
    json_t *jid = json_object_get(t, "tcId");
    if (!json_is_object(t) || !json_is_integer(jid)) {
        vec_err_set(err, ix->n ? ix->v[0].line : 1,
                    "testGroups[%zu].tests[%zu]: not an object with an integer tcId", g->index,
                    ti);
        return -1;
    }
    long long tcid = (long long)json_integer_value(jid);
    unsigned long line = tcid_line(ix, tcid);

    for (int i = 0; i < T_COUNT_; i++) {
        json_t *v = json_object_get(t, hex_fields[i]);
        if (v == NULL) {
            vec_err_set(err, line, "tcId %lld: missing field '%s'", tcid, hex_fields[i]);
            goto out;
        }
        if (!json_is_string(v)) {
            vec_err_set(err, line, "tcId %lld: '%s' is not a string", tcid, hex_fields[i]);
            goto out;
        }
        if (vec_hex_decode(json_string_value(v), json_string_length(v), &f[i], why,
                           sizeof why) != 0) {
            vec_err_set(err, line, "tcId %lld: %s: %s", tcid, hex_fields[i], why);
            goto out;
        }
    }
    const char *res = json_string_value(json_object_get(t, "result"));
    enum vec_gcm_expect expect;
    if (res == NULL) {
        vec_err_set(err, line, "tcId %lld: missing field 'result'", tcid);
        goto out;
    } else if (strcmp(res, "valid") == 0) {
        expect = VEC_GCM_VALID;
    } else if (strcmp(res, "invalid") == 0) {
        expect = VEC_GCM_INVALID;
    } else if (strcmp(res, "acceptable") == 0) {
        expect = VEC_GCM_ACCEPTABLE;
    } else {
        vec_err_set(err, line, "tcId %lld: unknown result '%.40s'", tcid, res);
        goto out;
    }
    if (check_bits(err, line, tcid, "key", &f[T_KEY], g->key_bits) ||
        check_bits(err, line, tcid, "iv", &f[T_IV], g->iv_bits) ||
        check_bits(err, line, tcid, "tag", &f[T_TAG], g->tag_bits))
        goto out;
    if (expect != VEC_GCM_INVALID && f[T_MSG].len != f[T_CT].len) {
        vec_err_set(err, line, "tcId %lld: msg is %zu bytes but ct %zu", tcid, f[T_MSG].len,
                    f[T_CT].len);
        goto out;
    }

    struct vec_gcm_case c = {
        .key = f[T_KEY].p, .key_len = f[T_KEY].len,
        .iv = f[T_IV].p, .iv_len = f[T_IV].len,
        .aad = f[T_AAD].p, .aad_len = f[T_AAD].len,
        .pt = f[T_MSG].p, .pt_len = f[T_MSG].len,
        .ct = f[T_CT].p, .ct_len = f[T_CT].len,
        .tag = f[T_TAG].p, .tag_len = f[T_TAG].len,
        .expect = expect,
    };
    struct vec_outcome o;
    char id[48];
    vec_gcm_check(job->eng, job->ctx, &c, &o);
    snprintf(id, sizeof id, "tcId %lld", tcid);
    vec_report_record(job->rep, line, id, &o);
    rc = 0;
out:
    for (int i = 0; i < T_COUNT_; i++)
        vec_bytes_free(&f[i]);
    return rc;
}

static int group_int(struct vec_err *err, unsigned long line, json_t *grp, size_t gi,
                     const char *name, json_int_t *v)
{
    json_t *j = json_object_get(grp, name);
    if (!json_is_integer(j) || json_integer_value(j) < 0) {
        vec_err_set(err, line, "testGroups[%zu]: %s missing or not a non-negative integer", gi,
                    name);
        return -1;
    }
    *v = json_integer_value(j);
    return 0;
}

static int run_doc(struct vec_job *job, json_t *root, struct tcid_index *ix)
{
    struct vec_err *err = &job->err;

    if (!json_is_object(root)) {
        vec_err_set(err, 1, "top level is not a JSON object");
        return -1;
    }
    const char *alg = json_string_value(json_object_get(root, "algorithm"));
    if (alg == NULL) {
        vec_err_set(err, 1, "missing field 'algorithm'");
        return -1;
    }
    if (strcmp(alg, "AES-GCM") != 0) {
        vec_err_set(err, 1, "algorithm '%.40s' is not AES-GCM", alg);
        return -1;
    }
    json_t *groups = json_object_get(root, "testGroups");
    if (!json_is_array(groups)) {
        vec_err_set(err, 1, "missing array 'testGroups'");
        return -1;
    }
    size_t gi;
    json_t *grp;
    json_array_foreach(groups, gi, grp) {
        json_t *tests = json_object_get(grp, "tests");
        /* A group has no position of its own: name it by its first test's line. */
        unsigned long gline = 1;
        if (json_is_array(tests) && json_array_size(tests) > 0) {
            json_t *id0 = json_object_get(json_array_get(tests, 0), "tcId");
            if (json_is_integer(id0))
                gline = tcid_line(ix, (long long)json_integer_value(id0));
        }
        struct wp_group g = { .index = gi };
        if (!json_is_object(grp) || !json_is_array(tests)) {
            vec_err_set(err, gline, "testGroups[%zu]: not an object with a 'tests' array", gi);
            return -1;
        }
        if (group_int(err, gline, grp, gi, "keySize", &g.key_bits) ||
            group_int(err, gline, grp, gi, "ivSize", &g.iv_bits) ||
            group_int(err, gline, grp, gi, "tagSize", &g.tag_bits))
            return -1;
        size_t ti;
        json_t *t;
        json_array_foreach(tests, ti, t) {
            if (run_test(job, &g, t, ti, ix) != 0)
                return -1;
        }
    }
    return 0;
}

int vec_wycheproof_run(FILE *in, struct vec_job *job)
{
    char *buf = NULL;
    size_t len = 0;
    json_error_t jerr;
    struct tcid_index ix;

    if (read_all(in, &buf, &len, &job->err) != 0)
        return -1;
    json_t *root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr);
    if (root == NULL) {
        vec_err_set(&job->err, jerr.line > 0 ? (unsigned long)jerr.line : 1,
                    "JSON: %s (column %d)", jerr.text, jerr.column);
        free(buf);
        return -1;
    }
    if (index_tcids(buf, len, &ix) != 0) {
        vec_err_set(&job->err, 1, "out of memory");
        json_decref(root);
        free(buf);
        return -1;
    }
    free(buf);
    int rc = run_doc(job, root, &ix);
    free(ix.v);
    json_decref(root);
    return rc;
}

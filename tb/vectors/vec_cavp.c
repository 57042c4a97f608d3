/* vec_cavp.c - NIST CAVP AES-GCM response files (gcmEncryptExtIV*.rsp, gcmDecrypt*.rsp).
 *
 * The files are read as NIST publishes them and streamed one record at a time (the full ones
 * are several MB). Layout:
 *   # comments
 *   [Keylen = 128] [IVlen = 96] [PTlen = 0] [AADlen = 0] [Taglen = 128]    (lengths in bits)
 *   Count = 0 / Key = .. / IV = .. / PT = .. / AAD = .. / CT = .. / Tag = ..  (may be empty)
 * Encrypt files list PT before CT; decrypt files list CT first and end a record whose tag must not
 * verify with a bare FAIL line. The field order therefore says which operation a record tests:
 * encrypt must give CT and Tag, decrypt must give PT, or bad-icv for FAIL. Lengths in the
 * section headers must match the data: a mismatch means the file is corrupt, not the engine.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "vec_gcm.h"
#include "vec_hex.h"
#include "vec_lines.h"

enum cavp_field { F_KEY, F_IV, F_PT, F_AAD, F_CT, F_TAG, F_COUNT_ };

static const char *const field_names[F_COUNT_] = { "Key", "IV", "PT", "AAD", "CT", "Tag" };

enum cavp_len { L_KEY, L_IV, L_PT, L_AAD, L_TAG, L_COUNT_ };

static const char *const len_names[L_COUNT_] = { "Keylen", "IVlen", "PTlen", "AADlen", "Taglen" };

struct cavp_rec {
    bool open;
    unsigned long line; /* of "Count =" */
    uint64_t count;
    struct vec_bytes f[F_COUNT_];
    bool have[F_COUNT_];
    bool fail;      /* a FAIL line: the tag must not verify */
    bool pt_first;  /* PT came before CT: an encrypt record */
    bool seen_text; /* PT or CT seen, pt_first is meaningful */
};

struct cavp_state {
    long long len_bits[L_COUNT_]; /* section header values, -1 until given */
    struct cavp_rec rec;
    struct vec_job *job;
};

static void rec_clear(struct cavp_rec *r)
{
    for (int i = 0; i < F_COUNT_; i++)
        vec_bytes_free(&r->f[i]);
    memset(r, 0, sizeof *r);
}

/* Header length (bits) against the data; -1 with err set on a mismatch. */
static int check_len(struct cavp_state *s, enum cavp_len l, enum cavp_field f)
{
    struct cavp_rec *r = &s->rec;
    if (s->len_bits[l] < 0 || !r->have[f])
        return 0;
    if ((unsigned long long)s->len_bits[l] != (unsigned long long)r->f[f].len * 8u) {
        vec_err_set(&s->job->err, r->line,
                    "Count %llu: %s is %zu bits but the section says [%s = %lld]",
                    (unsigned long long)r->count, field_names[f], r->f[f].len * 8u, len_names[l],
                    s->len_bits[l]);
        return -1;
    }
    return 0;
}

/* Validate the record that just ended and run it; -1 if it is malformed. */
static int rec_finish(struct cavp_state *s)
{
    struct cavp_rec *r = &s->rec;
    struct vec_err *err = &s->job->err;
    unsigned long long cnt = (unsigned long long)r->count;

    if (!r->open)
        return 0;
    for (int i = 0; i < F_COUNT_; i++) {
        if (i == F_PT && r->fail)
            continue;
        if (!r->have[i]) {
            vec_err_set(err, r->line, "Count %llu: missing field %s", cnt, field_names[i]);
            return -1;
        }
    }
    if (r->fail && r->have[F_PT]) {
        vec_err_set(err, r->line, "Count %llu: FAIL record also has a PT", cnt);
        return -1;
    }
    size_t klen = r->f[F_KEY].len;
    if (klen != 16 && klen != 24 && klen != 32) {
        vec_err_set(err, r->line, "Count %llu: Key is %zu bytes, want 16, 24 or 32", cnt, klen);
        return -1;
    }
    if (r->f[F_IV].len == 0) {
        vec_err_set(err, r->line, "Count %llu: IV is empty", cnt);
        return -1;
    }
    if (r->f[F_TAG].len == 0 || r->f[F_TAG].len > 16) {
        vec_err_set(err, r->line, "Count %llu: Tag is %zu bytes, GCM tags are 1..16", cnt,
                    r->f[F_TAG].len);
        return -1;
    }
    if (check_len(s, L_KEY, F_KEY) || check_len(s, L_IV, F_IV) || check_len(s, L_PT, F_PT) ||
        check_len(s, L_PT, F_CT) || check_len(s, L_AAD, F_AAD) || check_len(s, L_TAG, F_TAG))
        return -1;
    if (r->have[F_PT] && r->f[F_PT].len != r->f[F_CT].len) {
        vec_err_set(err, r->line, "Count %llu: PT is %zu bytes but CT %zu", cnt, r->f[F_PT].len,
                    r->f[F_CT].len);
        return -1;
    }

    struct vec_gcm_case c = {
        .key = r->f[F_KEY].p, .key_len = klen,
        .iv = r->f[F_IV].p, .iv_len = r->f[F_IV].len,
        .aad = r->f[F_AAD].p, .aad_len = r->f[F_AAD].len,
        .pt = r->have[F_PT] ? r->f[F_PT].p : NULL, .pt_len = r->f[F_PT].len,
        .ct = r->f[F_CT].p, .ct_len = r->f[F_CT].len,
        .tag = r->f[F_TAG].p, .tag_len = r->f[F_TAG].len,
        .expect = r->fail ? VEC_GCM_BAD_ICV : r->pt_first ? VEC_GCM_ENCRYPT : VEC_GCM_DECRYPT,
    };
    struct vec_outcome o;
    char id[40];
    vec_gcm_check(s->job->eng, s->job->ctx, &c, &o);
    snprintf(id, sizeof id, "Count %llu", cnt);
    vec_report_record(s->job->rep, r->line, id, &o);
    rec_clear(r);
    return 0;
}

/* "[Name = value]" */
static int parse_section(struct cavp_state *s, char *line, unsigned long lineno)
{
    struct vec_err *err = &s->job->err;
    size_t n = strlen(line);
    char why[128];

    if (n < 2 || line[n - 1] != ']') {
        vec_err_set(err, lineno, "section header without closing ']'");
        return -1;
    }
    line[n - 1] = '\0';
    char *eq = strchr(line + 1, '=');
    if (eq == NULL) {
        vec_err_set(err, lineno, "section header [%.40s] is not [Name = value]", line + 1);
        return -1;
    }
    *eq = '\0';
    const char *name = vec_trim(line + 1);
    for (int l = 0; l < L_COUNT_; l++) {
        if (strcmp(name, len_names[l]) != 0)
            continue;
        uint64_t v;
        if (vec_parse_u64(eq + 1, &v, why, sizeof why) != 0) {
            vec_err_set(err, lineno, "[%s]: %s", name, why);
            return -1;
        }
        if (v % 8 != 0 || v > (1ull << 40)) {
            vec_err_set(err, lineno, "[%s = %llu]: not a whole number of bytes", name,
                        (unsigned long long)v);
            return -1;
        }
        s->len_bits[l] = (long long)v;
        return 0;
    }
    vec_err_set(err, lineno, "unknown section header [%.40s]", name);
    return -1;
}

/* "Name = value" inside a record (or Count, which opens one). */
static int parse_field(struct cavp_state *s, char *line, char *eq, unsigned long lineno)
{
    struct cavp_rec *r = &s->rec;
    struct vec_err *err = &s->job->err;
    char why[128];

    *eq = '\0';
    const char *name = vec_trim(line);
    char *value = vec_trim(eq + 1);

    if (strcmp(name, "Count") == 0) {
        uint64_t v;
        if (rec_finish(s) != 0)
            return -1;
        if (vec_parse_u64(value, &v, why, sizeof why) != 0) {
            vec_err_set(err, lineno, "Count: %s", why);
            return -1;
        }
        r->open = true;
        r->line = lineno;
        r->count = v;
        return 0;
    }
    for (int i = 0; i < F_COUNT_; i++) {
        if (strcmp(name, field_names[i]) != 0)
            continue;
        if (!r->open) {
            vec_err_set(err, lineno, "%s outside a record (no Count line before it)", name);
            return -1;
        }
        unsigned long long cnt = (unsigned long long)r->count;
        if (r->have[i]) {
            vec_err_set(err, lineno, "Count %llu: duplicate field %s", cnt, name);
            return -1;
        }
        if (vec_hex_decode(value, strlen(value), &r->f[i], why, sizeof why) != 0) {
            vec_err_set(err, lineno, "Count %llu: %s: %s", cnt, name, why);
            return -1;
        }
        r->have[i] = true;
        if ((i == F_PT || i == F_CT) && !r->seen_text) {
            r->seen_text = true;
            r->pt_first = (i == F_PT);
        }
        return 0;
    }
    vec_err_set(err, lineno, "%sunknown field '%.40s'", r->open ? "in a record: " : "", name);
    return -1;
}

static int parse_line(struct cavp_state *s, char *raw, unsigned long lineno)
{
    char *line = vec_trim(raw);

    if (line[0] == '\0')
        return rec_finish(s); /* records are separated by blank lines */
    if (line[0] == '#')
        return 0;
    if (line[0] == '[') {
        if (rec_finish(s) != 0)
            return -1;
        return parse_section(s, line, lineno);
    }
    if (strcmp(line, "FAIL") == 0) {
        if (!s->rec.open) {
            vec_err_set(&s->job->err, lineno, "FAIL outside a record");
            return -1;
        }
        if (s->rec.fail) {
            vec_err_set(&s->job->err, lineno, "Count %llu: duplicate FAIL",
                        (unsigned long long)s->rec.count);
            return -1;
        }
        s->rec.fail = true;
        return 0;
    }
    char *eq = strchr(line, '=');
    if (eq == NULL) {
        vec_err_set(&s->job->err, lineno, "unrecognised line '%.40s'", line);
        return -1;
    }
    return parse_field(s, line, eq, lineno);
}

int vec_cavp_run(FILE *in, struct vec_job *job)
{
    struct cavp_state s;
    struct vec_lines lr;
    char *line;
    int rc = 0, got;

    memset(&s, 0, sizeof s);
    s.job = job;
    for (int l = 0; l < L_COUNT_; l++)
        s.len_bits[l] = -1;
    vec_lines_init(&lr, in);
    while ((got = vec_lines_next(&lr, &line, &job->err)) > 0) {
        if (parse_line(&s, line, lr.lineno) != 0) {
            rc = -1;
            break;
        }
    }
    if (got < 0)
        rc = -1;
    if (rc == 0)
        rc = rec_finish(&s);
    rec_clear(&s.rec);
    vec_lines_free(&lr);
    return rc;
}

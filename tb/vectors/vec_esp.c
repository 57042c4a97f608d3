/* vec_esp.c - parser of the nicsim ESP packet-vector format (vectors/README.md).
 *
 * Streams the file: a record is validated and run as soon as the next [NAME] (or the end of the
 * file) closes it. A value may continue on following lines that start with white space, so a
 * field is only parsed once the next non-continuation line arrives ("pending" below). Every
 * error names the record and the line of the field (or of [NAME] for a missing field).
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "vec_esp.h"
#include "vec_lines.h"
#include "vec_names.h"

#define FORMAT_VERSION "nicsim-esp-1"

struct esp_state {
    struct vec_job *job;
    bool seen_format;
    bool open;               /* a record is being collected */
    struct vec_esp_rec rec;
    struct vec_names names;
    /* field waiting for possible continuation lines */
    bool pending;
    char pkey[32];
    unsigned long pline;
    char *pval;
    size_t plen, pcap;
};

typedef int (*field_fn)(struct vec_esp_rec *r, char *v, char *why, size_t n);

static int word(const char *v, const char *a, const char *b, int *out, char *why, size_t n)
{
    if (strcmp(v, a) == 0) {
        *out = 0;
        return 0;
    }
    if (strcmp(v, b) == 0) {
        *out = 1;
        return 0;
    }
    snprintf(why, n, "'%.40s' is neither %s nor %s", v, a, b);
    return -1;
}

static int number(const char *v, uint64_t max, uint64_t *out, char *why, size_t n)
{
    if (vec_parse_u64(v, out, why, n) != 0)
        return -1;
    if (*out > max) {
        snprintf(why, n, "%llu is out of range (max %llu)", (unsigned long long)*out,
                 (unsigned long long)max);
        return -1;
    }
    return 0;
}

static int f_source(struct vec_esp_rec *r, char *v, char *why, size_t n)
{
    (void)r, (void)v, (void)why, (void)n; /* provenance for people; not checked */
    return 0;
}

static int f_op(struct vec_esp_rec *r, char *v, char *why, size_t n)
{
    int x;
    if (word(v, "encap", "decap", &x, why, n) != 0)
        return -1;
    r->op = x ? VEC_ESP_DECAP : VEC_ESP_ENCAP;
    return 0;
}

static int f_level(struct vec_esp_rec *r, char *v, char *why, size_t n)
{
    int x;
    if (word(v, "esp", "ip", &x, why, n) != 0)
        return -1;
    r->level = x ? VEC_ESP_LEVEL_IP : VEC_ESP_LEVEL_ESP;
    return 0;
}

static int f_mode(struct vec_esp_rec *r, char *v, char *why, size_t n)
{
    int x;
    if (word(v, "transport", "tunnel", &x, why, n) != 0)
        return -1;
    r->mode = x ? GOLD_TUNNEL : GOLD_TRANSPORT;
    return 0;
}

static int f_keymat(struct vec_esp_rec *r, char *v, char *why, size_t n)
{
    if (vec_hex_decode(v, strlen(v), &r->keymat, why, n) != 0)
        return -1;
    size_t l = r->keymat.len;
    if (l != 20 && l != 28 && l != 36) {
        snprintf(why, n, "%zu bytes, want 20, 28 or 36 (AES key || 4-byte salt)", l);
        return -1;
    }
    return 0;
}

static int f_icv(struct vec_esp_rec *r, char *v, char *why, size_t n)
{
    uint64_t x;
    if (number(v, 16, &x, why, n) != 0)
        return -1;
    if (x != 8 && x != 12 && x != 16) {
        snprintf(why, n, "%llu, want 8, 12 or 16", (unsigned long long)x);
        return -1;
    }
    r->icv = (unsigned)x;
    return 0;
}

static int f_spi(struct vec_esp_rec *r, char *v, char *why, size_t n)
{
    uint64_t x;
    if (number(v, UINT32_MAX, &x, why, n) != 0)
        return -1;
    r->spi = (uint32_t)x;
    return 0;
}

static int f_sn(struct vec_esp_rec *r, char *v, char *why, size_t n)
{
    return number(v, UINT64_MAX, &r->sn, why, n);
}

static int f_esn(struct vec_esp_rec *r, char *v, char *why, size_t n)
{
    int x;
    if (word(v, "no", "yes", &x, why, n) != 0)
        return -1;
    r->esn = x != 0;
    return 0;
}

static int f_iv(struct vec_esp_rec *r, char *v, char *why, size_t n)
{
    struct vec_bytes b;
    if (vec_hex_decode(v, strlen(v), &b, why, n) != 0)
        return -1;
    if (b.len != sizeof r->iv) {
        snprintf(why, n, "%zu bytes, want 8", b.len);
        vec_bytes_free(&b);
        return -1;
    }
    memcpy(r->iv, b.p, sizeof r->iv);
    vec_bytes_free(&b);
    return 0;
}

static int f_next_header(struct vec_esp_rec *r, char *v, char *why, size_t n)
{
    uint64_t x;
    if (number(v, 255, &x, why, n) != 0)
        return -1;
    r->next_header = (uint8_t)x;
    return 0;
}

static int addr(char *v, uint8_t out[16], bool *v6, char *why, size_t n)
{
    memset(out, 0, 16);
    if (inet_pton(AF_INET, v, out) == 1) {
        *v6 = false;
        return 0;
    }
    if (inet_pton(AF_INET6, v, out) == 1) {
        *v6 = true;
        return 0;
    }
    snprintf(why, n, "'%.48s' is not a dotted IPv4 or an IPv6 address", v);
    return -1;
}

static int f_outer_src(struct vec_esp_rec *r, char *v, char *why, size_t n)
{
    return addr(v, r->outer_src, &r->outer_src_v6, why, n);
}

static int f_outer_dst(struct vec_esp_rec *r, char *v, char *why, size_t n)
{
    return addr(v, r->outer_dst, &r->outer_dst_v6, why, n);
}

static int f_align(struct vec_esp_rec *r, char *v, char *why, size_t n)
{
    uint64_t x;
    if (number(v, 1u << 16, &x, why, n) != 0)
        return -1;
    if (x == 0 || x % 4 != 0) {
        snprintf(why, n, "%llu is not a positive multiple of 4", (unsigned long long)x);
        return -1;
    }
    r->align = (unsigned)x;
    return 0;
}

static int f_plain(struct vec_esp_rec *r, char *v, char *why, size_t n)
{
    return vec_hex_decode(v, strlen(v), &r->plain, why, n);
}

static int f_esp(struct vec_esp_rec *r, char *v, char *why, size_t n)
{
    return vec_hex_decode(v, strlen(v), &r->esp, why, n);
}

static int f_result(struct vec_esp_rec *r, char *v, char *why, size_t n)
{
    int s = gold_status_from_name(v);
    if (s < 0) {
        snprintf(why, n, "unknown result '%.40s' (ok, bad-icv, bad-pad, ...)", v);
        return -1;
    }
    r->result = s;
    return 0;
}

static const struct {
    const char *key;
    field_fn fn;
} fields[VEC_ESP_F_COUNT_] = {
    [VEC_ESP_F_SOURCE] = { "source", f_source },
    [VEC_ESP_F_OP] = { "op", f_op },
    [VEC_ESP_F_LEVEL] = { "level", f_level },
    [VEC_ESP_F_MODE] = { "mode", f_mode },
    [VEC_ESP_F_KEYMAT] = { "keymat", f_keymat },
    [VEC_ESP_F_ICV] = { "icv", f_icv },
    [VEC_ESP_F_SPI] = { "spi", f_spi },
    [VEC_ESP_F_SN] = { "sn", f_sn },
    [VEC_ESP_F_ESN] = { "esn", f_esn },
    [VEC_ESP_F_IV] = { "iv", f_iv },
    [VEC_ESP_F_NEXT_HEADER] = { "next-header", f_next_header },
    [VEC_ESP_F_OUTER_SRC] = { "outer-src", f_outer_src },
    [VEC_ESP_F_OUTER_DST] = { "outer-dst", f_outer_dst },
    [VEC_ESP_F_ALIGN] = { "align", f_align },
    [VEC_ESP_F_PLAIN] = { "plain", f_plain },
    [VEC_ESP_F_ESP] = { "esp", f_esp },
    [VEC_ESP_F_RESULT] = { "result", f_result },
};

static void rec_clear(struct vec_esp_rec *r)
{
    vec_bytes_free(&r->keymat);
    vec_bytes_free(&r->plain);
    vec_bytes_free(&r->esp);
    memset(r, 0, sizeof *r);
}

/* Parse the pending field into the open record. */
static int commit_pending(struct esp_state *s)
{
    struct vec_esp_rec *r = &s->rec;
    char why[160];

    if (!s->pending)
        return 0;
    s->pending = false;
    for (int f = 0; f < VEC_ESP_F_COUNT_; f++) {
        if (strcmp(s->pkey, fields[f].key) != 0)
            continue;
        if (vec_esp_has(r, (enum vec_esp_field)f)) {
            vec_err_set(&s->job->err, s->pline, "[%s] duplicate field '%s' (first on line %lu)",
                        r->name, s->pkey, r->field_line[f]);
            return -1;
        }
        if (fields[f].fn(r, vec_trim(s->pval), why, sizeof why) != 0) {
            vec_err_set(&s->job->err, s->pline, "[%s] %s: %s", r->name, s->pkey, why);
            return -1;
        }
        r->have |= 1u << f;
        r->field_line[f] = s->pline;
        return 0;
    }
    vec_err_set(&s->job->err, s->pline, "[%s] unknown field '%s'", r->name, s->pkey);
    return -1;
}

/* Cross-field rules of vectors/README.md; -1 with the error set. */
static int rec_validate(struct esp_state *s)
{
    struct vec_esp_rec *r = &s->rec;
    struct vec_err *err = &s->job->err;
    static const enum vec_esp_field required[] = {
        VEC_ESP_F_OP, VEC_ESP_F_LEVEL, VEC_ESP_F_KEYMAT, VEC_ESP_F_ICV,
        VEC_ESP_F_SPI, VEC_ESP_F_SN, VEC_ESP_F_ESP,
    };
    const char *need = NULL;

    for (size_t i = 0; i < sizeof required / sizeof required[0] && need == NULL; i++)
        if (!vec_esp_has(r, required[i]))
            need = fields[required[i]].key;
    bool encap = r->op == VEC_ESP_ENCAP, esp_level = r->level == VEC_ESP_LEVEL_ESP;
    bool ok_result = encap || (vec_esp_has(r, VEC_ESP_F_RESULT) && r->result == GOLD_OK);
    if (need != NULL)
        ;
    else if (!esp_level && !vec_esp_has(r, VEC_ESP_F_MODE))
        need = "mode";
    else if (encap && !vec_esp_has(r, VEC_ESP_F_IV))
        need = "iv";
    else if (!encap && !vec_esp_has(r, VEC_ESP_F_RESULT))
        need = "result";
    else if (ok_result && !vec_esp_has(r, VEC_ESP_F_PLAIN))
        need = "plain";
    else if (esp_level && ok_result && !vec_esp_has(r, VEC_ESP_F_NEXT_HEADER))
        need = "next-header";
    else if (encap && !esp_level && r->mode == GOLD_TUNNEL && !vec_esp_has(r, VEC_ESP_F_OUTER_SRC))
        need = "outer-src";
    else if (encap && !esp_level && r->mode == GOLD_TUNNEL && !vec_esp_has(r, VEC_ESP_F_OUTER_DST))
        need = "outer-dst";
    if (need != NULL) {
        vec_err_set(err, r->line, "[%s] missing field '%s'", r->name, need);
        return -1;
    }
    if (encap && vec_esp_has(r, VEC_ESP_F_RESULT) && r->result != GOLD_OK) {
        vec_err_set(err, r->field_line[VEC_ESP_F_RESULT], "[%s] result of an encap must be ok",
                    r->name);
        return -1;
    }
    if (!r->esn && r->sn > UINT32_MAX) {
        vec_err_set(err, r->field_line[VEC_ESP_F_SN],
                    "[%s] sn 0x%llx does not fit in 32 bits without esn = yes", r->name,
                    (unsigned long long)r->sn);
        return -1;
    }
    if (vec_esp_has(r, VEC_ESP_F_OUTER_SRC) && vec_esp_has(r, VEC_ESP_F_OUTER_DST) &&
        r->outer_src_v6 != r->outer_dst_v6) {
        vec_err_set(err, r->field_line[VEC_ESP_F_OUTER_DST],
                    "[%s] outer-src and outer-dst are of different address families", r->name);
        return -1;
    }
    return 0;
}

static int rec_finish(struct esp_state *s)
{
    if (commit_pending(s) != 0)
        return -1;
    if (!s->open)
        return 0;
    s->open = false;
    if (rec_validate(s) != 0)
        return -1;
    struct vec_outcome o;
    vec_esp_check(s->job->eng, s->job->ctx, &s->rec, &o);
    vec_report_record(s->job->rep, s->rec.line, s->rec.name, &o);
    rec_clear(&s->rec);
    return 0;
}

static int valid_name(const char *n)
{
    if (*n == '\0')
        return 0;
    for (; *n; n++)
        if (!((*n >= 'a' && *n <= 'z') || (*n >= 'A' && *n <= 'Z') || (*n >= '0' && *n <= '9') ||
              *n == '-' || *n == '_' || *n == '.'))
            return 0;
    return 1;
}

static int open_record(struct esp_state *s, char *line, unsigned long lineno)
{
    struct vec_err *err = &s->job->err;
    size_t n = strlen(line);

    if (rec_finish(s) != 0)
        return -1;
    if (!s->seen_format) {
        vec_err_set(err, lineno, "first line must be 'format = " FORMAT_VERSION "'");
        return -1;
    }
    if (n < 2 || line[n - 1] != ']') {
        vec_err_set(err, lineno, "record header without closing ']'");
        return -1;
    }
    line[n - 1] = '\0';
    const char *name = line + 1;
    if (!valid_name(name) || strlen(name) > VEC_ESP_NAME_MAX) {
        vec_err_set(err, lineno, "bad record name [%.40s] (letters, digits, - _ . ; at most %d)",
                    name, VEC_ESP_NAME_MAX);
        return -1;
    }
    int added = vec_names_add(&s->names, name);
    if (added < 0) {
        vec_err_set(err, lineno, "out of memory");
        return -1;
    }
    if (added == 0) {
        vec_err_set(err, lineno, "duplicate record name [%s]", name);
        return -1;
    }
    rec_clear(&s->rec);
    strcpy(s->rec.name, name);
    s->rec.line = lineno;
    s->open = true;
    return 0;
}

static int set_pending(struct esp_state *s, const char *key, const char *val, unsigned long lineno)
{
    size_t n = strlen(val);
    if (strlen(key) >= sizeof s->pkey) {
        vec_err_set(&s->job->err, lineno, "[%s] unknown field '%.40s'", s->rec.name, key);
        return -1;
    }
    if (n + 1 > s->pcap) {
        char *p = realloc(s->pval, n + 1);
        if (p == NULL) {
            vec_err_set(&s->job->err, lineno, "out of memory");
            return -1;
        }
        s->pval = p;
        s->pcap = n + 1;
    }
    memcpy(s->pval, val, n + 1);
    s->plen = n;
    strcpy(s->pkey, key);
    s->pline = lineno;
    s->pending = true;
    return 0;
}

static int continue_pending(struct esp_state *s, const char *more, unsigned long lineno)
{
    size_t m = strlen(more);
    if (!s->pending) {
        vec_err_set(&s->job->err, lineno, "continuation line without a field before it");
        return -1;
    }
    /* Joined with a blank: hex ignores it, and text fields read naturally. */
    if (s->plen + m + 2 > s->pcap) {
        size_t ncap = (s->plen + m + 2) * 2;
        char *p = realloc(s->pval, ncap);
        if (p == NULL) {
            vec_err_set(&s->job->err, lineno, "out of memory");
            return -1;
        }
        s->pval = p;
        s->pcap = ncap;
    }
    s->pval[s->plen++] = ' ';
    memcpy(s->pval + s->plen, more, m + 1);
    s->plen += m;
    return 0;
}

static int key_value(struct esp_state *s, char *line, unsigned long lineno)
{
    struct vec_err *err = &s->job->err;
    char *eq = strchr(line, '=');

    if (eq == NULL) {
        vec_err_set(err, lineno, "'%.40s' is neither [NAME] nor key = value", line);
        return -1;
    }
    *eq = '\0';
    char *key = vec_trim(line), *val = vec_trim(eq + 1);
    if (!s->seen_format) {
        if (strcmp(key, "format") != 0) {
            vec_err_set(err, lineno, "first line must be 'format = " FORMAT_VERSION "'");
            return -1;
        }
        if (strcmp(val, FORMAT_VERSION) != 0) {
            vec_err_set(err, lineno, "unsupported format '%.40s' (this reader knows "
                        FORMAT_VERSION ")", val);
            return -1;
        }
        s->seen_format = true;
        return 0;
    }
    if (commit_pending(s) != 0)
        return -1;
    if (!s->open) {
        vec_err_set(err, lineno, "field '%.40s' outside a record (no [NAME] before it)", key);
        return -1;
    }
    return set_pending(s, key, val, lineno);
}

static int parse_line(struct esp_state *s, char *raw, unsigned long lineno)
{
    bool indented = raw[0] == ' ' || raw[0] == '\t';
    char *line = vec_trim(raw);

    if (line[0] == '\0' || line[0] == '#')
        return 0;
    if (indented)
        return continue_pending(s, line, lineno);
    if (line[0] == '[')
        return open_record(s, line, lineno);
    return key_value(s, line, lineno);
}

int vec_esp_run(FILE *in, struct vec_job *job)
{
    struct esp_state s;
    struct vec_lines lr;
    char *line;
    int rc = 0, got;

    memset(&s, 0, sizeof s);
    s.job = job;
    vec_names_init(&s.names);
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
    if (rc == 0 && !s.seen_format) {
        vec_err_set(&job->err, lr.lineno ? lr.lineno : 1,
                    "no 'format = " FORMAT_VERSION "' line");
        rc = -1;
    }
    rec_clear(&s.rec);
    vec_names_free(&s.names);
    free(s.pval);
    vec_lines_free(&lr);
    return rc;
}

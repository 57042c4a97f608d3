/* stim.c - reading and writing the stimulus format (contract in stim.h). */
#include "stim.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define STIM_LINE_MAX (2u * STIM_FRAME_MAX + 4096u)

static const struct {
    const char *name;
    int err;
} errnos[] = {
    {"ok", 0},          {"EINVAL", -EINVAL}, {"ENOSPC", -ENOSPC},        {"EEXIST", -EEXIST},
    {"ENOENT", -ENOENT}, {"EBUSY", -EBUSY},  {"EOPNOTSUPP", -EOPNOTSUPP}, {"EIO", -EIO},
    {"ETIMEDOUT", -ETIMEDOUT},
};

int stim_errno_from_name(const char *name)
{
    for (size_t i = 0; i < sizeof errnos / sizeof errnos[0]; i++)
        if (!strcmp(name, errnos[i].name))
            return errnos[i].err;
    return 1;
}

const char *stim_errno_name(int err)
{
    for (size_t i = 0; i < sizeof errnos / sizeof errnos[0]; i++)
        if (err == errnos[i].err)
            return errnos[i].name;
    return "E?";
}

int stim_drop_from_name(const char *name)
{
    for (int d = 0; d < NIC_DROP_COUNT; d++)
        if (!strcmp(name, nic_drop_name((enum nic_drop)d)))
            return d;
    return -1;
}

static int fail(char *err, size_t errlen, unsigned long line, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(err, errlen, "%lu: %s", line, msg);
    return -1;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = tolower(c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Decode hex into a fresh buffer of at most cap bytes. NULL + why on error. */
static uint8_t *hex_alloc(const char *s, size_t cap, size_t *len, const char **why)
{
    size_t n = strlen(s);
    if (n % 2) {
        *why = "odd number of hex digits";
        return NULL;
    }
    if (n / 2 > cap) {
        *why = "too many bytes";
        return NULL;
    }
    uint8_t *p = malloc(n / 2 ? n / 2 : 1);
    if (!p) {
        *why = "out of memory";
        return NULL;
    }
    for (size_t i = 0; i < n / 2; i++) {
        int h = hexval((unsigned char)s[2 * i]), l = hexval((unsigned char)s[2 * i + 1]);
        if (h < 0 || l < 0) {
            free(p);
            *why = "not a hex digit";
            return NULL;
        }
        p[i] = (uint8_t)(h << 4 | l);
    }
    *len = n / 2;
    return p;
}

static int hex_fixed(const char *s, uint8_t *out, size_t cap, size_t *len, const char **why)
{
    uint8_t *p = hex_alloc(s, cap, len, why);
    if (!p)
        return -1;
    memcpy(out, p, *len);
    free(p);
    return 0;
}

static int num(const char *s, uint64_t max, uint64_t *v)
{
    if (!*s || *s == '-' || *s == '+')
        return -1;
    char *end;
    errno = 0;
    unsigned long long x = strtoull(s, &end, 0);
    if (errno || *end || x > max)
        return -1;
    *v = x;
    return 0;
}

static bool good_name(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n >= STIM_NAME_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)s[i]) && !strchr("_.-", s[i]))
            return false;
    return true;
}

/* One key=value field of a record; -1 with err set on a bad one. */
struct field_ctx {
    struct stim_rec *r;
    unsigned long line;
    char *err;
    size_t errlen;
};

static int frame_field(struct field_ctx *c, const char *v, uint8_t **frame, size_t *len)
{
    const char *why = NULL;
    if (*frame)
        return fail(c->err, c->errlen, c->line, "frame given twice");
    *frame = hex_alloc(v, STIM_FRAME_MAX, len, &why);
    if (!*frame)
        return fail(c->err, c->errlen, c->line, "frame: %s", why);
    if (*len == 0)
        return fail(c->err, c->errlen, c->line, "frame: empty");
    return 0;
}

static int sa_field(struct field_ctx *c, const char *k, const char *v)
{
    struct nic_sa *sa = &c->r->sa;
    uint64_t x;
    const char *why = NULL;
    size_t len = 0;
    if (!strcmp(k, "dir")) {
        if (strcmp(v, "in") && strcmp(v, "out"))
            return fail(c->err, c->errlen, c->line, "dir: 'in' or 'out', not '%s'", v);
        sa->dir = !strcmp(v, "out") ? NIC_SA_OUT : NIC_SA_IN;
    } else if (!strcmp(k, "mode")) {
        if (strcmp(v, "transport") && strcmp(v, "tunnel"))
            return fail(c->err, c->errlen, c->line, "mode: 'transport' or 'tunnel'");
        sa->mode = !strcmp(v, "tunnel") ? NIC_SA_TUNNEL : NIC_SA_TRANSPORT;
    } else if (!strcmp(k, "offload")) {
        if (strcmp(v, "crypto") && strcmp(v, "packet"))
            return fail(c->err, c->errlen, c->line, "offload: 'crypto' or 'packet'");
        sa->offload = !strcmp(v, "packet") ? NIC_OFFLOAD_PACKET : NIC_OFFLOAD_CRYPTO;
    } else if (!strcmp(k, "key")) {
        if (hex_fixed(v, sa->keymat, sizeof sa->keymat, &len, &why))
            return fail(c->err, c->errlen, c->line, "key: %s", why);
        sa->keymat_len = (uint8_t)len;
    } else if (!strcmp(k, "daddr") || !strcmp(k, "tun_src") || !strcmp(k, "tun_dst")) {
        uint8_t *dst = !strcmp(k, "daddr") ? sa->daddr : !strcmp(k, "tun_src") ? sa->tun_src
                                                                               : sa->tun_dst;
        if (hex_fixed(v, dst, 16, &len, &why) || (len != 4 && len != 16))
            return fail(c->err, c->errlen, c->line, "%s: 4 or 16 bytes of hex", k);
    } else if (!strcmp(k, "result")) {
        int e = stim_errno_from_name(v);
        if (e > 0)
            return fail(c->err, c->errlen, c->line, "result: unknown '%s'", v);
        c->r->sa_result = e;
        c->r->has_sa_result = true;
    } else {
        static const struct {
            const char *k;
            uint64_t max;
        } nums[] = {{"spi", UINT32_MAX}, {"icv", 255}, {"esn", 1}, {"v6", 1},
                    {"window", UINT32_MAX}, {"seq", UINT64_MAX}};
        size_t i;
        for (i = 0; i < sizeof nums / sizeof nums[0]; i++)
            if (!strcmp(k, nums[i].k))
                break;
        if (i == sizeof nums / sizeof nums[0])
            return fail(c->err, c->errlen, c->line, "sa: unknown field '%s'", k);
        if (num(v, nums[i].max, &x))
            return fail(c->err, c->errlen, c->line, "%s: bad number '%s'", k, v);
        switch (i) {
        case 0: sa->spi = (uint32_t)x; break;
        case 1: sa->icv_len = (uint8_t)x; break;
        case 2: sa->esn = x != 0; break;
        case 3: sa->v6 = x != 0; break;
        case 4: sa->replay_window = (uint32_t)x; break;
        default: sa->seq = x; break;
        }
    }
    return 0;
}

static int expect_field(struct field_ctx *c, const char *k, const char *v)
{
    struct stim_expect *e = &c->r->exp;
    uint64_t x;
    if (!strcmp(k, "drop")) {
        int d = stim_drop_from_name(v);
        if (d < 0)
            return fail(c->err, c->errlen, c->line, "drop: unknown reason '%s'", v);
        e->drop = d;
        e->has_drop = true;
    } else if (!strcmp(k, "handle")) {
        if (strcmp(v, "-") && !good_name(v))
            return fail(c->err, c->errlen, c->line, "handle: bad SA name '%s'", v);
        snprintf(e->handle, sizeof e->handle, "%s", v);
        e->has_handle = true;
    } else if (!strcmp(k, "frame")) {
        e->has_frame = true;
        return frame_field(c, v, &e->frame, &e->frame_len);
    } else if (!strcmp(k, "status") || !strcmp(k, "flags") || !strcmp(k, "seq_hi")) {
        uint64_t max = k[0] == 's' && k[1] == 't' ? 0xffff : k[0] == 'f' ? 0xff : UINT32_MAX;
        if (num(v, max, &x))
            return fail(c->err, c->errlen, c->line, "%s: bad number '%s'", k, v);
        if (k[0] == 'f') {
            e->flags = (uint8_t)x;
            e->has_flags = true;
        } else if (k[1] == 't') {
            e->status = (uint16_t)x;
            e->has_status = true;
        } else {
            e->seq_hi = (uint32_t)x;
            e->has_seq_hi = true;
        }
    } else {
        return fail(c->err, c->errlen, c->line, "expect: unknown field '%s'", k);
    }
    return 0;
}

static int other_field(struct field_ctx *c, const char *k, const char *v)
{
    struct stim_rec *r = c->r;
    uint64_t x;
    if ((r->kind == STIM_TX || r->kind == STIM_RX) && !strcmp(k, "frame"))
        return frame_field(c, v, &r->frame, &r->frame_len);
    if (r->kind == STIM_TX && !strcmp(k, "seq_hi")) {
        if (num(v, UINT32_MAX, &x))
            return fail(c->err, c->errlen, c->line, "seq_hi: bad number '%s'", v);
        r->seq_hi = (uint32_t)x;
        return 0;
    }
    if (r->kind == STIM_ESN && (!strcmp(k, "hi") || !strcmp(k, "bottom"))) {
        if (num(v, UINT32_MAX, &x))
            return fail(c->err, c->errlen, c->line, "%s: bad number '%s'", k, v);
        *(k[0] == 'h' ? &r->hi : &r->bottom) = (uint32_t)x;
        return 0;
    }
    return fail(c->err, c->errlen, c->line, "unknown field '%s'", k);
}

static const struct {
    const char *word;
    enum stim_kind kind;
    bool named;   /* a NAME follows the keyword */
} kinds[] = {
    {"sa", STIM_SA, true},  {"del", STIM_DEL, true}, {"esn", STIM_ESN, true},
    {"tx", STIM_TX, true},  {"rx", STIM_RX, false},  {"expect", STIM_EXPECT, false},
    {"idle", STIM_IDLE, false},
};

static int parse_line(char *s, unsigned long line, struct stim_rec *r, char *err, size_t errlen)
{
    char *save = NULL;
    char *w = strtok_r(s, " \t", &save);
    size_t i;
    for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (!strcmp(w, kinds[i].word))
            break;
    if (i == sizeof kinds / sizeof kinds[0])
        return fail(err, errlen, line, "unknown record '%s'", w);
    r->kind = kinds[i].kind;
    r->line = line;
    if (kinds[i].named) {
        char *n = strtok_r(NULL, " \t", &save);
        if (!n || (!good_name(n) && !(r->kind == STIM_TX && !strcmp(n, "-"))))
            return fail(err, errlen, line, "%s: needs an SA name ([A-Za-z0-9_.-], < %u chars)",
                        w, STIM_NAME_MAX);
        snprintf(r->name, sizeof r->name, "%s", n);
    }
    if (r->kind == STIM_IDLE) {
        char *n = strtok_r(NULL, " \t", &save);
        if (!n || num(n, UINT32_MAX, &r->idle))
            return fail(err, errlen, line, "idle: needs a cycle count");
    }
    struct field_ctx c = {r, line, err, errlen};
    for (char *f; (f = strtok_r(NULL, " \t", &save));) {
        char *eq = strchr(f, '=');
        if (!eq || eq == f)
            return fail(err, errlen, line, "'%s' is not key=value", f);
        *eq = '\0';
        int rc = r->kind == STIM_SA       ? sa_field(&c, f, eq + 1)
                 : r->kind == STIM_EXPECT ? expect_field(&c, f, eq + 1)
                                          : other_field(&c, f, eq + 1);
        if (rc)
            return rc;
    }
    if (r->kind == STIM_SA && (!r->sa.keymat_len || !r->sa.icv_len || !r->sa.spi))
        return fail(err, errlen, line, "sa: spi, icv and key are required");
    if ((r->kind == STIM_TX || r->kind == STIM_RX) && !r->frame)
        return fail(err, errlen, line, "%s: frame= is required", w);
    return 0;
}

int stim_read(FILE *in, unsigned long *line, struct stim_rec *r, char *err, size_t errlen)
{
    static const size_t cap = STIM_LINE_MAX;
    char *buf = malloc(cap);
    if (!buf)
        return fail(err, errlen, *line, "out of memory");
    memset(r, 0, sizeof *r);
    int rc = 0;
    while (fgets(buf, (int)cap, in)) {
        ++*line;
        size_t n = strlen(buf);
        if (n == cap - 1 && buf[n - 1] != '\n') {
            rc = fail(err, errlen, *line, "line longer than %zu characters", cap - 2);
            break;
        }
        char *hash = strchr(buf, '#');
        if (hash)
            *hash = '\0';
        char *s = buf;
        while (isspace((unsigned char)*s))
            s++;
        for (n = strlen(s); n && isspace((unsigned char)s[n - 1]);)
            s[--n] = '\0';
        if (!*s)
            continue;
        rc = parse_line(s, *line, r, err, errlen) ? -1 : 1;
        break;
    }
    if (rc < 0)
        stim_rec_free(r);
    else if (rc == 0 && ferror(in))
        rc = fail(err, errlen, *line, "read error");
    free(buf);
    return rc;
}

void stim_rec_free(struct stim_rec *r)
{
    free(r->frame);
    free(r->exp.frame);
    r->frame = r->exp.frame = NULL;
}

static void put_hex(FILE *out, const char *key, const uint8_t *p, size_t n)
{
    fprintf(out, " %s=", key);
    for (size_t i = 0; i < n; i++)
        fprintf(out, "%02x", p[i]);
}

void stim_write(FILE *out, const struct stim_rec *r)
{
    const struct nic_sa *sa = &r->sa;
    const struct stim_expect *e = &r->exp;
    switch (r->kind) {
    case STIM_SA:
        fprintf(out, "sa %s dir=%s spi=0x%08" PRIx32 " mode=%s offload=%s icv=%u esn=%d v6=%d",
                r->name, sa->dir == NIC_SA_OUT ? "out" : "in", sa->spi,
                sa->mode == NIC_SA_TUNNEL ? "tunnel" : "transport",
                sa->offload == NIC_OFFLOAD_PACKET ? "packet" : "crypto", sa->icv_len, sa->esn,
                sa->v6);
        put_hex(out, "key", sa->keymat, sa->keymat_len);
        if (sa->dir == NIC_SA_IN)
            put_hex(out, "daddr", sa->daddr, sa->v6 ? 16 : 4);
        if (sa->replay_window)
            fprintf(out, " window=%" PRIu32, sa->replay_window);
        if (sa->seq)
            fprintf(out, " seq=%" PRIu64, sa->seq);
        if (r->has_sa_result)
            fprintf(out, " result=%s", stim_errno_name(r->sa_result));
        break;
    case STIM_DEL:
        fprintf(out, "del %s", r->name);
        break;
    case STIM_ESN:
        fprintf(out, "esn %s hi=%" PRIu32 " bottom=%" PRIu32, r->name, r->hi, r->bottom);
        break;
    case STIM_TX:
    case STIM_RX:
        if (r->kind == STIM_TX)
            fprintf(out, "tx %s seq_hi=%" PRIu32, r->name, r->seq_hi);
        else
            fprintf(out, "rx");
        put_hex(out, "frame", r->frame, r->frame_len);
        break;
    case STIM_EXPECT:
        fprintf(out, "expect");
        if (e->has_drop)
            fprintf(out, " drop=%s", nic_drop_name((enum nic_drop)e->drop));
        if (e->has_status)
            fprintf(out, " status=%u", e->status);
        if (e->has_flags)
            fprintf(out, " flags=%u", e->flags);
        if (e->has_handle)
            fprintf(out, " handle=%s", e->handle);
        if (e->has_seq_hi)
            fprintf(out, " seq_hi=%" PRIu32, e->seq_hi);
        if (e->has_frame)
            put_hex(out, "frame", e->frame, e->frame_len);
        break;
    case STIM_IDLE:
        fprintf(out, "idle %" PRIu64, r->idle);
        break;
    }
    fputc('\n', out);
}

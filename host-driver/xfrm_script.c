/* xfrm_script.c - parser for SA scripts in iproute2 syntax (see xfrm_script.h).
 *
 * Two stages: a lexer cuts the text into commands (lists of words with their line numbers),
 * handling quotes, comments and continuation lines; a parser walks each command the way
 * iproute2 does (ip.c options and objects, ipxfrm.c ID/selector/lifetime, xfrm_state.c
 * keywords) and fills one struct xfrm_script_sa.
 *
 * `ip xfrm state add|update` keywords:
 *   supported   src dst proto(esp) spi  mode(transport|tunnel)  reqid  seq  replay-window
 *               replay-seq replay-oseq replay-seq-hi replay-oseq-hi  flag(esn icmp af-unspec
 *               align4 or a 0x value of those)  aead 'rfc4106(gcm(aes))' KEY ICV-BITS
 *               sel [src A[/P]] [dst A[/P]] [dev D] [UPSPEC]  limit LIMIT
 *               offload [crypto|packet] dev D dir in|out  dir in|out
 *   unsupported (error naming the keyword; its arguments are skipped so parsing continues)
 *               enc auth auth-trunc comp  mark output-mark if_id encap coa ctx tfcpad cpu
 *               extra-flag  flag noecn|decap-dscp|nopmtudisc|wildrecv  mode beet|ro|in_trigger
 *               proto ah|comp|route2|hao|ipsec-any
 * Numbers are read as iproute2's get_u32/get_u64 read them (strtoul base 0: 0x.. hex, 0..
 * octal, else decimal) but without the sign and blank prefixes strtoul would also take.
 * Addresses go through inet_pton (dotted quad for IPv4; every RFC 4291/5952 form for IPv6).
 */
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE 1 /* inet_pton with -std=c11 */
#endif
#include "xfrm_script.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define IPPROTO_ESP_NUM 50
#define IPSEC_PROTO_ANY_NUM 255

/* ---------------------------------------------------------------------------------------- */
/* Context, errors                                                                          */

struct ctx {
    const char *name;
    struct xfrm_script *out;
    FILE *err;
    bool oom;
};

static void wipe(void *p, size_t n)
{
    volatile unsigned char *v = p;
    while (n--)
        *v++ = 0;
}

static void wipe_str(char *s)
{
    if (s)
        wipe(s, strlen(s));
}

__attribute__((format(printf, 3, 4))) static void report(struct ctx *c, unsigned line,
                                                         const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        n = 0;
        small[0] = '\0';
    }
    char *msg = malloc((size_t)n + 1);
    if (msg) {
        if ((size_t)n < sizeof small) {
            memcpy(msg, small, (size_t)n + 1);
        } else {
            va_start(ap, fmt);
            vsnprintf(msg, (size_t)n + 1, fmt, ap);
            va_end(ap);
        }
    }
    if (c->err)
        fprintf(c->err, "%s:%u: %s\n", c->name, line, msg ? msg : small);
    struct xfrm_script *o = c->out;
    struct xfrm_script_error *e = msg ? realloc(o->errors, (o->n_errors + 1) * sizeof *e) : NULL;
    if (!e) {
        free(msg);
        c->oom = true;
        return;
    }
    o->errors = e;
    e[o->n_errors].line = line;
    e[o->n_errors].msg = msg;
    o->n_errors++;
}

/* A token as shown in a message: printable ASCII kept, the rest as \xNN, long ones cut. */
struct shown {
    char s[96];
};

static struct shown show(const char *t)
{
    struct shown r;
    size_t o = 0;
    for (const unsigned char *p = (const unsigned char *)t; *p; p++) {
        if (o + 8 >= sizeof r.s) {
            memcpy(r.s + o, "...", 4);
            return r;
        }
        if (*p >= 0x20 && *p < 0x7f && *p != '\\' && *p != '\'')
            r.s[o++] = (char)*p;
        else
            o += (size_t)snprintf(r.s + o, sizeof r.s - o, "\\x%02x", *p);
    }
    r.s[o] = '\0';
    return r;
}
#define SHOW(t) (show(t).s)

/* ---------------------------------------------------------------------------------------- */
/* Lexer                                                                                    */

struct tok {
    char *s;
    unsigned line;
};

struct toks {
    struct tok *v;
    size_t n, cap;
};

struct wordbuf {
    char *b;
    size_t n, cap;
};

struct lexer {
    const char *p, *end;
    unsigned line;
};

static bool wb_put(struct ctx *c, struct wordbuf *w, char ch)
{
    if (w->n + 1 >= w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 64;
        char *b = malloc(cap);
        if (!b) {
            c->oom = true;
            return false;
        }
        if (w->b) {
            memcpy(b, w->b, w->n);
            wipe(w->b, w->cap);
            free(w->b);
        }
        w->b = b;
        w->cap = cap;
    }
    w->b[w->n++] = ch;
    return true;
}

static bool toks_push(struct ctx *c, struct toks *tv, struct wordbuf *w, unsigned line)
{
    if (tv->n == tv->cap) {
        size_t cap = tv->cap ? tv->cap * 2 : 32;
        struct tok *v = realloc(tv->v, cap * sizeof *v);
        if (!v) {
            c->oom = true;
            return false;
        }
        tv->v = v;
        tv->cap = cap;
    }
    char *s = malloc(w->n + 1);
    if (!s) {
        c->oom = true;
        return false;
    }
    if (w->n)
        memcpy(s, w->b, w->n);
    s[w->n] = '\0';
    wipe(w->b, w->n);
    w->n = 0;
    tv->v[tv->n].s = s;
    tv->v[tv->n].line = line;
    tv->n++;
    return true;
}

static void toks_clear(struct toks *tv)
{
    for (size_t i = 0; i < tv->n; i++) {
        wipe_str(tv->v[i].s);
        free(tv->v[i].s);
    }
    tv->n = 0;
}

static bool is_blank(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\v' || ch == '\f';
}

static bool is_ctl(unsigned char ch)
{
    return (ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r' && ch != '\v' && ch != '\f') ||
           ch == 0x7f;
}

/* Where the line holding p ends (the '\n' or end). */
static const char *eol(const struct lexer *lx, const char *p)
{
    const char *q = memchr(p, '\n', (size_t)(lx->end - p));
    return q ? q : lx->end;
}

/* Reads one command into tv. Returns 0 at end of input, 1 with a command (possibly empty of
 * words if it only had lexical errors: *bad is then set). *first is the line it starts on. */
static int lex_command(struct ctx *c, struct lexer *lx, struct toks *tv, struct wordbuf *w,
                       bool *bad, unsigned *first)
{
    bool in_word = false;
    unsigned word_line = 0;
    *bad = false;
    *first = 0;
    toks_clear(tv);
    w->n = 0;

#define BEGIN_WORD()                                                                           \
    do {                                                                                       \
        if (!in_word) {                                                                        \
            in_word = true;                                                                    \
            word_line = lx->line;                                                              \
            if (!*first)                                                                       \
                *first = lx->line;                                                             \
        }                                                                                      \
    } while (0)
#define END_WORD()                                                                             \
    do {                                                                                       \
        if (in_word) {                                                                         \
            in_word = false;                                                                   \
            if (!toks_push(c, tv, w, word_line))                                               \
                return 0;                                                                      \
        }                                                                                      \
    } while (0)
#define LEX_ERR(...)                                                                           \
    do {                                                                                       \
        if (!*first)                                                                           \
            *first = lx->line;                                                                 \
        *bad = true;                                                                           \
        report(c, lx->line, __VA_ARGS__);                                                      \
    } while (0)

    while (lx->p < lx->end) {
        if (c->oom)
            return 0;
        char ch = *lx->p;
        if (ch == '\n') {
            lx->p++;
            END_WORD();
            lx->line++;
            if (tv->n || *bad)
                return 1;
            continue;
        }
        if (ch == '\\') {
            const char *q = lx->p + 1;
            while (q < lx->end && is_blank(*q))
                q++;
            if (q == lx->end || *q == '\n') {
                /* continuation (or a backslash at the very end of the input) */
                bool only_cr = true;
                for (const char *r = lx->p + 1; r < q; r++)
                    only_cr &= *r == '\r';
                if (!only_cr)
                    LEX_ERR("blank after the continuation backslash");
                if (q < lx->end) {
                    lx->line++;
                    q++;
                }
                lx->p = q;
                continue;
            }
            BEGIN_WORD();
            if (is_ctl((unsigned char)lx->p[1])) {
                LEX_ERR("control character 0x%02x", (unsigned char)lx->p[1]);
            } else if (!wb_put(c, w, lx->p[1])) {
                return 0;
            }
            lx->p += 2;
            continue;
        }
        if (ch == '\'' || ch == '"') {
            unsigned qline = lx->line;
            const char *q = lx->p + 1;
            BEGIN_WORD();
            bool closed = false;
            while (q < lx->end && *q != '\n') {
                if (*q == ch) {
                    closed = true;
                    break;
                }
                if (ch == '"' && *q == '\\' && q + 1 < lx->end) {
                    char nx = q[1];
                    if (nx == '\n') { /* continuation inside double quotes */
                        lx->line++;
                        q += 2;
                        continue;
                    }
                    if (nx == '"' || nx == '\\' || nx == '$' || nx == '`') {
                        if (!wb_put(c, w, nx))
                            return 0;
                        q += 2;
                        continue;
                    }
                }
                if (ch == '"' && (*q == '$' || *q == '`')) {
                    LEX_ERR("shell expansion '%c' is not supported", *q);
                    q++;
                    continue;
                }
                if (is_ctl((unsigned char)*q)) {
                    LEX_ERR("control character 0x%02x", (unsigned char)*q);
                    q++;
                    continue;
                }
                if (!wb_put(c, w, *q))
                    return 0;
                q++;
            }
            if (!closed) {
                if (!*first)
                    *first = qline;
                *bad = true;
                report(c, qline, "unterminated %s quote", ch == '\'' ? "single" : "double");
                lx->p = eol(lx, q);
                continue;
            }
            lx->p = q + 1;
            continue;
        }
        if (is_blank(ch)) {
            END_WORD();
            lx->p++;
            continue;
        }
        if (ch == '#' && !in_word) {
            lx->p = eol(lx, lx->p);
            continue;
        }
        if (strchr(";&|<>`$", ch) && ch != '\0') {
            LEX_ERR("shell syntax '%c' is not supported", ch);
            lx->p++;
            continue;
        }
        if (is_ctl((unsigned char)ch)) {
            LEX_ERR("control character 0x%02x", (unsigned char)ch);
            lx->p++;
            continue;
        }
        BEGIN_WORD();
        if (!wb_put(c, w, ch))
            return 0;
        lx->p++;
    }
    END_WORD();
    return tv->n || *bad;
#undef BEGIN_WORD
#undef END_WORD
#undef LEX_ERR
}

/* ---------------------------------------------------------------------------------------- */
/* Values                                                                                   */

/* iproute2 matches(): a non-empty prefix of word. */
static bool matches(const char *prefix, const char *word)
{
    size_t n = strlen(prefix);
    return n > 0 && n <= strlen(word) && strncmp(prefix, word, n) == 0;
}

static int digit_value(char ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

/* strtoul(s, &end, 0) with *end == 0 required, no sign, no blanks; value <= max. */
static bool parse_uint(const char *s, uint64_t max, uint64_t *out)
{
    unsigned base = 10;
    const char *p = s;
    if (!*p)
        return false;
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        base = 16;
        p += 2;
        if (!*p)
            return false;
    } else if (p[0] == '0' && p[1]) {
        base = 8;
        p++;
    }
    uint64_t v = 0;
    for (; *p; p++) {
        int d = digit_value(*p);
        if (d < 0 || (unsigned)d >= base)
            return false;
        if (v > (max - (uint64_t)d) / base)
            return false;
        v = v * base + (uint64_t)d;
    }
    *out = v;
    return true;
}

static bool parse_u32(const char *s, uint32_t *out)
{
    uint64_t v;
    if (!parse_uint(s, UINT32_MAX, &v))
        return false;
    *out = (uint32_t)v;
    return true;
}

static const char *family_name(int family)
{
    return family == AF_INET6 ? "IPv6" : "IPv4";
}

enum addr_rc { ADDR_OK, ADDR_BAD, ADDR_FAMILY, ADDR_PREFIX, ADDR_PLEN };

/* ADDR or ADDR/PLEN (if plen is not NULL). want: family required (0: any). */
static enum addr_rc parse_addr(const char *s, int want, uint8_t out[16], int *family,
                               uint8_t *plen)
{
    char buf[INET6_ADDRSTRLEN + 8];
    const char *slash = strchr(s, '/');
    size_t alen = slash ? (size_t)(slash - s) : strlen(s);
    if (alen == 0 || alen >= sizeof buf)
        return ADDR_BAD;
    memcpy(buf, s, alen);
    buf[alen] = '\0';
    int fam = strchr(buf, ':') ? AF_INET6 : AF_INET;
    uint8_t a[16] = {0};
    if (inet_pton(fam, buf, a) != 1)
        return ADDR_BAD;
    if (want && want != fam)
        return ADDR_FAMILY;
    unsigned maxlen = fam == AF_INET6 ? 128 : 32;
    uint64_t pl = maxlen;
    if (slash) {
        if (!plen)
            return ADDR_PREFIX;
        /* decimal only: a prefix length is never written in hex or octal */
        const char *d = slash + 1;
        if (!*d || strlen(d) > 3 || strspn(d, "0123456789") != strlen(d))
            return ADDR_PLEN;
        pl = strtoul(d, NULL, 10);
        if (pl > maxlen)
            return ADDR_PLEN;
    }
    memcpy(out, a, 16);
    *family = fam;
    if (plen)
        *plen = (uint8_t)pl;
    return ADDR_OK;
}

/* kernel dev_valid_name() */
static bool valid_dev(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n >= XFRM_SCRIPT_DEV_MAX || !strcmp(s, ".") || !strcmp(s, ".."))
        return false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p == '/' || *p == ':' || *p <= ' ' || *p == 0x7f)
            return false;
    return true;
}

struct name_num {
    const char *name;
    int num;
};

/* iproute2 ipxfrm.c xfrmproto_types */
static const struct name_num xfrm_protos[] = {
    {"esp", 50}, {"ah", 51}, {"comp", 108}, {"route2", 43}, {"hao", 60},
    {"ipsec-any", IPSEC_PROTO_ANY_NUM}, {NULL, 0},
};

/* Upper-layer protocols by /etc/protocols name (those a selector plausibly names). */
static const struct name_num ip_protos[] = {
    {"ip", 0},           {"hopopt", 0},      {"icmp", 1},        {"igmp", 2},
    {"ipencap", 4},      {"tcp", 6},         {"udp", 17},        {"dccp", 33},
    {"ipv6", 41},        {"ipv6-route", 43}, {"ipv6-frag", 44},  {"gre", 47},
    {"esp", 50},         {"ah", 51},         {"ipv6-icmp", 58},  {"ipv6-nonxt", 59},
    {"ipv6-opts", 60},   {"ipip", 94},       {"l2tp", 115},      {"sctp", 132},
    {"mobility-header", 135}, {"udplite", 136}, {"mpls-in-ip", 137}, {NULL, 0},
};

static int lookup(const struct name_num *t, const char *s)
{
    for (; t->name; t++)
        if (!strcmp(t->name, s))
            return t->num;
    return -1;
}

/* ---------------------------------------------------------------------------------------- */
/* Command parser                                                                           */

struct cmd {
    struct ctx *c;
    const struct tok *t;
    size_t n, i;
    unsigned line;   /* first line of the command */
    bool bad;        /* an error was reported: no operation */
    bool stop;       /* cannot tell where the next keyword starts: give up on this command */
    int pref_family; /* -4/-6/-f */
};

#define ERR_AT(m, tk, ...)                                                                     \
    do {                                                                                       \
        (m)->bad = true;                                                                       \
        report((m)->c, (tk)->line, __VA_ARGS__);                                               \
    } while (0)
#define ERR_CMD(m, ...)                                                                        \
    do {                                                                                       \
        (m)->bad = true;                                                                       \
        report((m)->c, (m)->line, __VA_ARGS__);                                                \
    } while (0)

static const struct tok *cur(struct cmd *m)
{
    return m->i < m->n ? &m->t[m->i] : NULL;
}

static bool cur_is(struct cmd *m, const char *s)
{
    return m->i < m->n && !strcmp(m->t[m->i].s, s);
}

/* The value after keyword kw (at m->i); advances past both. NULL (and stop) if missing. */
static const struct tok *value(struct cmd *m, const char *what)
{
    const struct tok *kw = &m->t[m->i];
    if (m->i + 1 >= m->n) {
        ERR_AT(m, kw, "missing %s after '%s'", what, SHOW(kw->s));
        m->stop = true;
        m->i = m->n;
        return NULL;
    }
    m->i += 2;
    return &m->t[m->i - 1];
}

/* Keywords that may appear once per command. */
enum seen_bit {
    SEEN_SRC, SEEN_DST, SEEN_PROTO, SEEN_SPI, SEEN_MODE, SEEN_REQID, SEEN_SEQ, SEEN_RWIN,
    SEEN_RSEQ, SEEN_ROSEQ, SEEN_RSEQHI, SEEN_ROSEQHI, SEEN_AEAD, SEEN_SEL, SEEN_OFFLOAD,
    SEEN_DIR,
    SEEN_L_TSOFT, SEEN_L_THARD, SEEN_L_TUSOFT, SEEN_L_TUHARD, SEEN_L_BSOFT, SEEN_L_BHARD,
    SEEN_L_PSOFT, SEEN_L_PHARD,
};

static bool once(struct cmd *m, uint32_t *seen, enum seen_bit b, const struct tok *kw)
{
    if (*seen & (1u << b)) {
        ERR_AT(m, kw, "duplicate '%s'", SHOW(kw->s));
        return false;
    }
    *seen |= 1u << b;
    return true;
}

/* Skips the arguments of an unsupported keyword so the rest of the command is still checked. */
static void skip_args(struct cmd *m, size_t nargs)
{
    const struct tok *kw = &m->t[m->i];
    if (m->i + nargs >= m->n) {
        ERR_AT(m, kw, "missing value after '%s'", SHOW(kw->s));
        m->stop = true;
        m->i = m->n;
        return;
    }
    m->i += 1 + nargs;
}

/* mark V [mask M], output-mark V [mask M] */
static void skip_mark(struct cmd *m)
{
    skip_args(m, 1);
    if (!m->stop && cur_is(m, "mask"))
        skip_args(m, 1);
}

static bool set_dir(struct cmd *m, struct xfrm_script_sa *sa, const struct tok *v)
{
    enum xfrm_script_dir d;
    if (!strcmp(v->s, "in")) {
        d = XFRM_SCRIPT_DIR_IN;
    } else if (!strcmp(v->s, "out")) {
        d = XFRM_SCRIPT_DIR_OUT;
    } else {
        ERR_AT(m, v, "bad dir '%s', want in or out", SHOW(v->s));
        return false;
    }
    if (sa->dir != XFRM_SCRIPT_DIR_NONE && sa->dir != d) {
        ERR_AT(m, v, "dir '%s' conflicts with the direction given before", SHOW(v->s));
        return false;
    }
    sa->dir = d;
    sa->have |= XFRM_SCRIPT_HAVE_DIR;
    return true;
}

/* ID fields (src, dst, proto, spi) at m->i. filter: deleteall (prefixes, any proto). */
static void parse_id_field(struct cmd *m, struct xfrm_script_sa *sa, uint32_t *seen, bool filter,
                           bool need_esp)
{
    const struct tok *kw = cur(m);
    const char *k = kw->s;
    if (!strcmp(k, "src") || !strcmp(k, "dst")) {
        bool is_src = k[0] == 's';
        if (!once(m, seen, is_src ? SEEN_SRC : SEEN_DST, kw)) {
            skip_args(m, 1);
            return;
        }
        const struct tok *v = value(m, "an address");
        if (!v)
            return;
        uint8_t a[16];
        int fam = 0;
        uint8_t plen = 0;
        int want = m->pref_family;
        /* the other address fixes the family (ipxfrm.c: same family for src and dst) */
        int other = sa->have & (XFRM_SCRIPT_HAVE_SRC | XFRM_SCRIPT_HAVE_DST) ? sa->family : 0;
        enum addr_rc rc = parse_addr(v->s, want, a, &fam, filter ? &plen : NULL);
        if (rc == ADDR_OK && other && other != fam) {
            ERR_AT(m, v, "%s '%s' is %s but %s is %s", k, SHOW(v->s), family_name(fam),
                   is_src ? "dst" : "src", family_name(other));
            return;
        }
        switch (rc) {
        case ADDR_OK:
            break;
        case ADDR_FAMILY:
            ERR_AT(m, v, "%s '%s' is %s but %s was given", k, SHOW(v->s),
                   family_name(want == AF_INET ? AF_INET6 : AF_INET),
                   want == AF_INET ? "-4" : "-6");
            return;
        case ADDR_PREFIX:
            ERR_AT(m, v, "%s '%s': an SA address takes no prefix length", k, SHOW(v->s));
            return;
        case ADDR_PLEN:
            ERR_AT(m, v, "bad prefix length in %s '%s'", k, SHOW(v->s));
            return;
        case ADDR_BAD:
        default:
            ERR_AT(m, v, "bad %s address '%s'", k, SHOW(v->s));
            return;
        }
        memcpy(is_src ? sa->src : sa->dst, a, 16);
        if (is_src)
            sa->src_plen = filter ? plen : (uint8_t)(fam == AF_INET6 ? 128 : 32);
        else
            sa->dst_plen = filter ? plen : (uint8_t)(fam == AF_INET6 ? 128 : 32);
        sa->family = fam;
        sa->have |= is_src ? XFRM_SCRIPT_HAVE_SRC : XFRM_SCRIPT_HAVE_DST;
    } else if (!strcmp(k, "proto")) {
        if (!once(m, seen, SEEN_PROTO, kw)) {
            skip_args(m, 1);
            return;
        }
        const struct tok *v = value(m, "a protocol");
        if (!v)
            return;
        int p = lookup(xfrm_protos, v->s);
        if (p < 0) {
            ERR_AT(m, v, "unknown proto '%s'", SHOW(v->s));
            return;
        }
        if (need_esp && p != IPPROTO_ESP_NUM) {
            ERR_AT(m, v, "proto '%s' is not supported, only esp", SHOW(v->s));
            return;
        }
        sa->proto = (uint8_t)p;
        sa->have |= XFRM_SCRIPT_HAVE_PROTO;
    } else { /* spi */
        if (!once(m, seen, SEEN_SPI, kw)) {
            skip_args(m, 1);
            return;
        }
        const struct tok *v = value(m, "an SPI");
        if (!v)
            return;
        if (!parse_u32(v->s, &sa->spi)) {
            ERR_AT(m, v, "bad SPI '%s'", SHOW(v->s));
            return;
        }
        if (sa->spi == 0 && !filter) {
            ERR_AT(m, v, "SPI '%s': SPI 0 is reserved (RFC 4303)", SHOW(v->s));
            return;
        }
        sa->have |= XFRM_SCRIPT_HAVE_SPI;
    }
}

static bool is_id_kw(const char *s)
{
    return !strcmp(s, "src") || !strcmp(s, "dst") || !strcmp(s, "proto") || !strcmp(s, "spi");
}

/* ID keywords form one group in iproute2 (xfrm_id_parse): once another keyword follows, a
 * later ID keyword is "unknown" to ip. */
struct id_group {
    int state; /* 0: not yet, 1: in it, 2: closed */
};

static void id_group_step(struct cmd *m, struct id_group *g, struct xfrm_script_sa *sa,
                          uint32_t *seen, bool filter, bool need_esp)
{
    const struct tok *kw = cur(m);
    if (is_id_kw(kw->s)) {
        if (g->state == 2) {
            ERR_AT(m, kw, "'%s' must be next to the other ID fields (src dst proto spi)",
                   SHOW(kw->s));
            skip_args(m, 1);
            return;
        }
        g->state = 1;
        parse_id_field(m, sa, seen, filter, need_esp);
    } else if (g->state == 1) {
        g->state = 2;
    }
}

/* mode MODE (iproute2 xfrm_mode_parse order) */
static void parse_mode(struct cmd *m, struct xfrm_script_sa *sa, uint32_t *seen)
{
    const struct tok *kw = cur(m);
    bool first = once(m, seen, SEEN_MODE, kw);
    const struct tok *v = value(m, "a mode");
    if (!v || !first)
        return;
    if (matches(v->s, "transport")) {
        sa->mode = XFRM_SCRIPT_TRANSPORT;
    } else if (matches(v->s, "tunnel")) {
        sa->mode = XFRM_SCRIPT_TUNNEL;
    } else if (matches(v->s, "ro") || matches(v->s, "in_trigger") || matches(v->s, "beet")) {
        ERR_AT(m, v, "mode '%s' is not supported, want transport or tunnel", SHOW(v->s));
        return;
    } else {
        ERR_AT(m, v, "unknown mode '%s'", SHOW(v->s));
        return;
    }
    sa->have |= XFRM_SCRIPT_HAVE_MODE;
}

struct flag_name {
    const char *name;
    uint8_t bit;
    bool ok;
};

/* iproute2 xfrm_state_flag_parse names */
static const struct flag_name state_flags[] = {
    {"noecn", 0x01, false},     {"decap-dscp", 0x02, false}, {"nopmtudisc", 0x04, false},
    {"wildrecv", 0x08, false},  {"icmp", 0x10, true},        {"af-unspec", 0x20, true},
    {"align4", 0x40, true},     {"esn", 0x80, true},         {NULL, 0, false},
};

static const struct flag_name *find_flag(const char *s)
{
    for (const struct flag_name *f = state_flags; f->name; f++)
        if (!strcmp(f->name, s))
            return f;
    return NULL;
}

/* flag FLAG... | flag 0xNN. filter: deleteall (any flag is a harmless filter). */
static void parse_flags(struct cmd *m, struct xfrm_script_sa *sa, bool filter)
{
    const struct tok *v = value(m, "a flag");
    if (!v)
        return;
    if (strlen(v->s) > 2 && !strncmp(v->s, "0x", 2)) {
        uint64_t x;
        if (!parse_uint(v->s, 0xff, &x)) {
            ERR_AT(m, v, "bad flag value '%s'", SHOW(v->s));
            return;
        }
        if (!filter) {
            for (const struct flag_name *f = state_flags; f->name; f++) {
                if ((x & f->bit) && !f->ok) {
                    ERR_AT(m, v, "flag value '%s' sets %s, which is not supported", SHOW(v->s),
                           f->name);
                    return;
                }
            }
        }
        sa->flags = (uint8_t)x; /* as iproute2: a value replaces the flags */
    } else {
        const struct flag_name *f = find_flag(v->s);
        if (!f) {
            ERR_AT(m, v, "unknown flag '%s'", SHOW(v->s));
            return;
        }
        for (;;) {
            if (!f->ok && !filter)
                ERR_AT(m, v, "flag '%s' is not supported", SHOW(v->s));
            else
                sa->flags |= f->bit;
            if (m->i >= m->n || !(f = find_flag(m->t[m->i].s)))
                break;
            v = &m->t[m->i++];
        }
    }
    sa->esn = (sa->flags & XFRM_SCRIPT_FLAG_ESN) != 0;
    sa->have |= XFRM_SCRIPT_HAVE_FLAGS;
}

/* aead NAME KEY ICV */
static void parse_aead(struct cmd *m, struct xfrm_script_sa *sa, uint32_t *seen)
{
    const struct tok *kw = cur(m);
    if (m->i + 3 >= m->n) {
        ERR_AT(m, kw, "'aead' needs an algorithm, key and ICV length");
        m->stop = true;
        m->i = m->n;
        return;
    }
    const struct tok *name = &m->t[m->i + 1], *key = &m->t[m->i + 2], *icv = &m->t[m->i + 3];
    m->i += 4;
    if (!once(m, seen, SEEN_AEAD, kw))
        return;
    bool ok = true;
    if (strcmp(name->s, "rfc4106(gcm(aes))") != 0) {
        ERR_AT(m, name, "aead algorithm '%s' is not supported, only rfc4106(gcm(aes))",
               SHOW(name->s));
        ok = false;
    }
    /* key: 0x + hex, or else the bytes of the word itself (iproute2 xfrm_algo_parse) */
    const char *k = key->s;
    size_t klen = strlen(k);
    size_t nbytes = klen;
    bool hex = klen > 2 && !strncmp(k, "0x", 2);
    bool key_ok = true;
    if (hex) {
        size_t nd = klen - 2;
        size_t good = strspn(k + 2, "0123456789abcdefABCDEF");
        nbytes = nd / 2;
        if (good != nd) {
            char bad[2] = {k[2 + good], '\0'};
            ERR_AT(m, key, "bad aead key: '%s' is not a hex digit", SHOW(bad));
            key_ok = false;
        } else if (nd % 2) {
            ERR_AT(m, key, "aead key has an odd number of hex digits (%zu)", nd);
            key_ok = false;
        }
    }
    if (key_ok && nbytes != 20 && nbytes != 28 && nbytes != 36) {
        ERR_AT(m, key, "aead key is %zu bytes, want 20, 28 or 36", nbytes);
        key_ok = false;
    }
    ok &= key_ok;
    uint32_t bits = 0;
    if (!parse_u32(icv->s, &bits)) {
        ERR_AT(m, icv, "bad aead ICV length '%s'", SHOW(icv->s));
        ok = false;
    } else if (bits != 64 && bits != 96 && bits != 128) {
        ERR_AT(m, icv, "aead ICV length %s bits is not supported, want 64, 96 or 128",
               SHOW(icv->s));
        ok = false;
    }
    if (!ok)
        return;
    if (hex) {
        for (size_t j = 0; j < nbytes; j++)
            sa->keymat[j] =
                (uint8_t)(digit_value(k[2 + 2 * j]) << 4 | digit_value(k[3 + 2 * j]));
    } else {
        memcpy(sa->keymat, k, nbytes);
    }
    sa->keymat_len = nbytes;
    sa->icv_bits = bits;
    sa->have |= XFRM_SCRIPT_HAVE_AEAD;
}

/* limit LIMIT VALUE (one pair per `limit`, as in iproute2) */
static const struct {
    const char *name;
    enum seen_bit bit;
    size_t off;
} limits[] = {
    {"time-soft", SEEN_L_TSOFT, offsetof(struct xfrm_script_lifetime, soft_add_expires_seconds)},
    {"time-hard", SEEN_L_THARD, offsetof(struct xfrm_script_lifetime, hard_add_expires_seconds)},
    {"time-use-soft", SEEN_L_TUSOFT,
     offsetof(struct xfrm_script_lifetime, soft_use_expires_seconds)},
    {"time-use-hard", SEEN_L_TUHARD,
     offsetof(struct xfrm_script_lifetime, hard_use_expires_seconds)},
    {"byte-soft", SEEN_L_BSOFT, offsetof(struct xfrm_script_lifetime, soft_byte_limit)},
    {"byte-hard", SEEN_L_BHARD, offsetof(struct xfrm_script_lifetime, hard_byte_limit)},
    {"packet-soft", SEEN_L_PSOFT, offsetof(struct xfrm_script_lifetime, soft_packet_limit)},
    {"packet-hard", SEEN_L_PHARD, offsetof(struct xfrm_script_lifetime, hard_packet_limit)},
};

static int limit_index(const char *s)
{
    for (size_t j = 0; j < sizeof limits / sizeof limits[0]; j++)
        if (!strcmp(limits[j].name, s))
            return (int)j;
    return -1;
}

static void parse_limit(struct cmd *m, struct xfrm_script_sa *sa, uint32_t *seen)
{
    const struct tok *kw = cur(m);
    if (m->i + 1 >= m->n) {
        ERR_AT(m, kw, "missing limit after 'limit'");
        m->stop = true;
        m->i = m->n;
        return;
    }
    const struct tok *which = &m->t[m->i + 1];
    int j = limit_index(which->s);
    if (j < 0) {
        ERR_AT(m, which, "unknown limit '%s'", SHOW(which->s));
        m->stop = true; /* its arity is unknown */
        return;
    }
    m->i++;
    const struct tok *v = value(m, "a value");
    if (!v)
        return;
    if (!once(m, seen, limits[j].bit, which))
        return;
    uint64_t x;
    if (!parse_uint(v->s, UINT64_MAX, &x)) {
        ERR_AT(m, v, "bad %s value '%s'", limits[j].name, SHOW(v->s));
        return;
    }
    memcpy((char *)&sa->lft + limits[j].off, &x, sizeof x);
    sa->have |= XFRM_SCRIPT_HAVE_LIFETIME;
}

/* sel [src A[/P]] [dst A[/P]] [dev D] [UPSPEC] (iproute2 xfrm_selector_parse) */
static bool is_upspec_kw(const char *s)
{
    return !strcmp(s, "proto") || !strcmp(s, "sport") || !strcmp(s, "dport") ||
           !strcmp(s, "type") || !strcmp(s, "code") || !strcmp(s, "key");
}

static void parse_upspec(struct cmd *m, struct xfrm_script_sel *sel)
{
    const struct tok *ports = NULL, *typecode = NULL, *grekey = NULL;
    while (!m->stop && m->i < m->n && is_upspec_kw(m->t[m->i].s)) {
        const struct tok *kw = cur(m);
        const char *k = kw->s;
        const struct tok *v = value(m, "a value");
        if (!v)
            return;
        if (!strcmp(k, "proto")) {
            int p;
            uint64_t x;
            if (!strcmp(v->s, "any"))
                p = 0;
            else if ((p = lookup(ip_protos, v->s)) < 0 && parse_uint(v->s, 255, &x))
                p = (int)x;
            if (p < 0) {
                ERR_AT(m, v, "unknown sel proto '%s'", SHOW(v->s));
                continue;
            }
            sel->proto = (uint8_t)p;
        } else if (!strcmp(k, "sport") || !strcmp(k, "dport")) {
            uint64_t x;
            ports = kw;
            if (!parse_uint(v->s, 0xffff, &x)) {
                ERR_AT(m, v, "bad sel %s '%s'", k, SHOW(v->s));
                continue;
            }
            if (k[0] == 's') {
                sel->sport = (uint16_t)x;
                sel->sport_mask = x ? 0xffff : 0;
            } else {
                sel->dport = (uint16_t)x;
                sel->dport_mask = x ? 0xffff : 0;
            }
        } else if (!strcmp(k, "type") || !strcmp(k, "code")) {
            uint64_t x;
            typecode = kw;
            if (!parse_uint(v->s, 0xff, &x)) {
                ERR_AT(m, v, "bad sel %s '%s'", k, SHOW(v->s));
                continue;
            }
            if (k[0] == 't') {
                sel->sport = (uint16_t)x;
                sel->sport_mask = 0xffff;
            } else {
                sel->dport = (uint16_t)x;
                sel->dport_mask = 0xffff;
            }
        } else { /* key: dotted quad or number */
            uint32_t key;
            uint8_t a[4];
            grekey = kw;
            if (strchr(v->s, '.')) {
                if (inet_pton(AF_INET, v->s, a) != 1) {
                    ERR_AT(m, v, "bad sel key '%s'", SHOW(v->s));
                    continue;
                }
                key = (uint32_t)a[0] << 24 | (uint32_t)a[1] << 16 | (uint32_t)a[2] << 8 | a[3];
            } else if (!parse_u32(v->s, &key)) {
                ERR_AT(m, v, "bad sel key '%s'", SHOW(v->s));
                continue;
            }
            sel->sport = (uint16_t)(key >> 16);
            sel->dport = (uint16_t)key;
            sel->sport_mask = sel->dport_mask = 0xffff;
        }
    }
    /* iproute2 xfrm_selector_upspec_parse consistency checks */
    if (ports && sel->proto != 6 && sel->proto != 17 && sel->proto != 132 && sel->proto != 33 &&
        sel->proto != 0)
        ERR_AT(m, ports, "sel '%s' needs proto tcp, udp, sctp or dccp", ports->s);
    if (typecode && sel->proto != 1 && sel->proto != 58 && sel->proto != 135)
        ERR_AT(m, typecode, "sel '%s' needs proto icmp, ipv6-icmp or mobility-header",
               typecode->s);
    if (grekey && sel->proto != 47)
        ERR_AT(m, grekey, "sel 'key' needs proto gre");
}

static void parse_sel(struct cmd *m, struct xfrm_script_sa *sa, uint32_t *seen)
{
    const struct tok *kw = cur(m);
    bool first = once(m, seen, SEEN_SEL, kw);
    struct xfrm_script_sel tmp = {0};
    struct xfrm_script_sel *sel = first ? &sa->sel : &tmp;
    m->i++;
    size_t start = m->i;
    bool upspec_done = false, have_s = false, have_d = false;
    int fam_s = 0, fam_d = 0;
    while (!m->stop && m->i < m->n) {
        const struct tok *k = cur(m);
        if (!strcmp(k->s, "src") || !strcmp(k->s, "dst")) {
            bool is_s = k->s[0] == 's';
            if (is_s ? have_s : have_d)
                ERR_AT(m, k, "duplicate sel '%s'", k->s);
            const struct tok *v = value(m, "an address");
            if (!v)
                return;
            uint8_t plen;
            int fam;
            /* iproute2 parses the selector with no preferred family */
            enum addr_rc rc = parse_addr(v->s, 0, is_s ? sel->saddr : sel->daddr, &fam, &plen);
            if (rc != ADDR_OK) {
                if (rc == ADDR_PLEN)
                    ERR_AT(m, v, "bad prefix length in sel %s '%s'", k->s, SHOW(v->s));
                else
                    ERR_AT(m, v, "bad sel %s address '%s'", k->s, SHOW(v->s));
                continue;
            }
            if (is_s) {
                have_s = true;
                fam_s = fam;
                sel->prefixlen_s = plen;
            } else {
                have_d = true;
                fam_d = fam;
                sel->prefixlen_d = plen;
            }
            if (fam_s && fam_d && fam_s != fam_d) {
                ERR_AT(m, v, "sel %s '%s' is %s but sel %s is %s", k->s, SHOW(v->s),
                       family_name(fam), is_s ? "dst" : "src",
                       family_name(is_s ? fam_d : fam_s));
                continue;
            }
            sel->family = fam;
        } else if (!strcmp(k->s, "dev")) {
            const struct tok *v = value(m, "a device");
            if (!v)
                return;
            if (!strcmp(v->s, "none"))
                sel->dev[0] = '\0';
            else if (!valid_dev(v->s))
                ERR_AT(m, v, "bad sel device name '%s'", SHOW(v->s));
            else
                snprintf(sel->dev, sizeof sel->dev, "%s", v->s);
        } else if (!upspec_done && is_upspec_kw(k->s)) {
            upspec_done = true;
            parse_upspec(m, sel);
        } else {
            break;
        }
    }
    if (m->i == start && !m->stop) {
        ERR_AT(m, kw, "'sel' needs src, dst, dev or proto");
        return;
    }
    if (first)
        sa->have |= XFRM_SCRIPT_HAVE_SEL;
}

/* offload [crypto|packet] dev DEV dir in|out */
static void parse_offload(struct cmd *m, struct xfrm_script_sa *sa, uint32_t *seen)
{
    const struct tok *kw = cur(m);
    bool first = once(m, seen, SEEN_OFFLOAD, kw);
    struct xfrm_script_offload o = {.present = true, .type = XFRM_SCRIPT_OFFLOAD_CRYPTO};
    m->i++;
    if (cur_is(m, "crypto")) {
        m->i++;
    } else if (cur_is(m, "packet")) {
        o.type = XFRM_SCRIPT_OFFLOAD_PACKET;
        m->i++;
    }
    if (!cur_is(m, "dev")) {
        if (cur(m))
            ERR_AT(m, cur(m), "offload needs 'dev NAME', got '%s'", SHOW(cur(m)->s));
        else
            ERR_AT(m, kw, "offload needs 'dev NAME'");
        m->stop = true;
        return;
    }
    const struct tok *dev = value(m, "a device");
    if (!dev)
        return;
    bool ok = true;
    if (!valid_dev(dev->s)) {
        ERR_AT(m, dev, "bad offload device name '%s'", SHOW(dev->s));
        ok = false;
    } else {
        snprintf(o.dev, sizeof o.dev, "%s", dev->s);
    }
    if (!cur_is(m, "dir")) {
        if (cur(m))
            ERR_AT(m, cur(m), "offload needs 'dir in|out', got '%s'", SHOW(cur(m)->s));
        else
            ERR_AT(m, dev, "offload needs 'dir in|out' after the device");
        m->stop = true;
        return;
    }
    const struct tok *d = value(m, "in or out");
    if (!d)
        return;
    if (!first || !ok)
        return;
    if (!set_dir(m, sa, d))
        return;
    o.dir = sa->dir;
    sa->offload = o;
    sa->have |= XFRM_SCRIPT_HAVE_OFFLOAD;
}

static void init_sa(struct xfrm_script_sa *sa)
{
    memset(sa, 0, sizeof *sa);
    sa->lft.soft_byte_limit = sa->lft.hard_byte_limit = XFRM_SCRIPT_INF;
    sa->lft.soft_packet_limit = sa->lft.hard_packet_limit = XFRM_SCRIPT_INF;
}

static void emit(struct cmd *m, enum xfrm_script_opcode op, const struct xfrm_script_sa *sa)
{
    struct xfrm_script *o = m->c->out;
    struct xfrm_script_op *v = realloc(o->ops, (o->n_ops + 1) * sizeof *v);
    if (!v) {
        m->c->oom = true;
        return;
    }
    o->ops = v;
    v[o->n_ops].op = op;
    v[o->n_ops].line = m->line;
    v[o->n_ops].sa = *sa;
    o->n_ops++;
}

/* ip xfrm state add|update ... (iproute2 xfrm_state_modify) */
static void parse_add(struct cmd *m, enum xfrm_script_opcode op)
{
    struct xfrm_script_sa sa;
    init_sa(&sa);
    uint32_t seen = 0;
    struct id_group g = {0};
    uint32_t rseq = 0, roseq = 0, rseq_hi = 0, roseq_hi = 0;
    const struct tok *seq_hi_tok = NULL, *oseq_hi_tok = NULL, *esn_tok = NULL;
    if (m->pref_family) {
        sa.family = m->pref_family;
        sa.have |= XFRM_SCRIPT_HAVE_FAMILY;
    }

    while (!m->stop && m->i < m->n) {
        const struct tok *kw = cur(m);
        const char *k = kw->s;
        id_group_step(m, &g, &sa, &seen, false, true);
        if (is_id_kw(k))
            continue;
        if (!strcmp(k, "mode")) {
            parse_mode(m, &sa, &seen);
        } else if (!strcmp(k, "reqid") || !strcmp(k, "seq") || !strcmp(k, "replay-window") ||
                   !strcmp(k, "replay-seq") || !strcmp(k, "replay-oseq") ||
                   !strcmp(k, "replay-seq-hi") || !strcmp(k, "replay-oseq-hi")) {
            static const struct {
                const char *name;
                enum seen_bit bit;
            } u32kw[] = {
                {"reqid", SEEN_REQID},         {"seq", SEEN_SEQ},
                {"replay-window", SEEN_RWIN},  {"replay-seq", SEEN_RSEQ},
                {"replay-oseq", SEEN_ROSEQ},   {"replay-seq-hi", SEEN_RSEQHI},
                {"replay-oseq-hi", SEEN_ROSEQHI},
            };
            size_t j = 0;
            while (strcmp(u32kw[j].name, k))
                j++;
            bool first = once(m, &seen, u32kw[j].bit, kw);
            const struct tok *v = value(m, "a number");
            if (!v || !first)
                continue;
            uint32_t x;
            if (!parse_u32(v->s, &x)) {
                ERR_AT(m, v, "bad %s '%s'", k, SHOW(v->s));
                continue;
            }
            switch (u32kw[j].bit) {
            case SEEN_REQID:
                sa.reqid = x;
                sa.have |= XFRM_SCRIPT_HAVE_REQID;
                break;
            case SEEN_SEQ:
                sa.km_seq = x;
                sa.have |= XFRM_SCRIPT_HAVE_KM_SEQ;
                break;
            case SEEN_RWIN:
                if (x > XFRM_SCRIPT_REPLAY_MAX) {
                    ERR_AT(m, v, "replay-window %s is larger than %u", SHOW(v->s),
                           XFRM_SCRIPT_REPLAY_MAX);
                    break;
                }
                sa.replay_window = x;
                sa.have |= XFRM_SCRIPT_HAVE_REPLAY_WINDOW;
                break;
            case SEEN_RSEQ:
                rseq = x;
                sa.have |= XFRM_SCRIPT_HAVE_SEQ;
                break;
            case SEEN_ROSEQ:
                roseq = x;
                sa.have |= XFRM_SCRIPT_HAVE_OSEQ;
                break;
            case SEEN_RSEQHI:
                rseq_hi = x;
                seq_hi_tok = kw;
                sa.have |= XFRM_SCRIPT_HAVE_SEQ;
                break;
            default:
                roseq_hi = x;
                oseq_hi_tok = kw;
                sa.have |= XFRM_SCRIPT_HAVE_OSEQ;
                break;
            }
        } else if (!strcmp(k, "flag")) {
            esn_tok = kw;
            parse_flags(m, &sa, false);
        } else if (!strcmp(k, "sel")) {
            parse_sel(m, &sa, &seen);
        } else if (!strcmp(k, "limit")) {
            parse_limit(m, &sa, &seen);
        } else if (!strcmp(k, "offload")) {
            parse_offload(m, &sa, &seen);
        } else if (!strcmp(k, "dir")) {
            bool first = once(m, &seen, SEEN_DIR, kw);
            const struct tok *v = value(m, "in or out");
            if (v && first)
                (void)set_dir(m, &sa, v);
        } else if (!strcmp(k, "aead")) {
            parse_aead(m, &sa, &seen);
        } else if (!strcmp(k, "enc") || !strcmp(k, "auth") || !strcmp(k, "auth-trunc") ||
                   !strcmp(k, "comp")) {
            ERR_AT(m, kw, "'%s' is not supported: the NIC offloads only aead rfc4106(gcm(aes))",
                   k);
            skip_args(m, k[0] == 'c' ? 1 : !strcmp(k, "auth-trunc") ? 3 : 2);
        } else if (!strcmp(k, "mark") || !strcmp(k, "output-mark")) {
            ERR_AT(m, kw, "'%s' is not supported", k);
            skip_mark(m);
        } else if (!strcmp(k, "if_id") || !strcmp(k, "coa") || !strcmp(k, "ctx") ||
                   !strcmp(k, "tfcpad") || !strcmp(k, "cpu")) {
            ERR_AT(m, kw, "'%s' is not supported", k);
            skip_args(m, 1);
        } else if (!strcmp(k, "encap")) {
            ERR_AT(m, kw, "'encap' (UDP/TCP encapsulation) is not supported");
            skip_args(m, 4);
        } else if (!strcmp(k, "extra-flag")) {
            ERR_AT(m, kw, "'extra-flag' is not supported");
            skip_args(m, 1);
            while (m->i < m->n && (!strcmp(m->t[m->i].s, "dont-encap-dscp") ||
                                   !strcmp(m->t[m->i].s, "oseq-may-wrap")))
                m->i++;
        } else if (limit_index(k) >= 0) {
            ERR_AT(m, kw, "'%s' needs its own 'limit' keyword", SHOW(k));
            m->stop = true;
        } else {
            ERR_AT(m, kw, "unknown keyword '%s'", SHOW(k));
            m->stop = true;
        }
    }
    if (m->stop)
        return;

    /* what ip (or the kernel) would refuse, and what a NIC SA cannot do without */
    if (!(seen & (1u << SEEN_PROTO)))
        ERR_CMD(m, "missing 'proto esp'");
    if (!(seen & (1u << SEEN_SRC)))
        ERR_CMD(m, "missing 'src ADDRESS'");
    if (!(seen & (1u << SEEN_DST)))
        ERR_CMD(m, "missing 'dst ADDRESS'");
    if (!(seen & (1u << SEEN_SPI)))
        ERR_CMD(m, "missing 'spi SPI'");
    if (!(seen & (1u << SEEN_AEAD)))
        ERR_CMD(m, "missing 'aead rfc4106(gcm(aes)) KEY ICV-BITS'");
    if (sa.esn && sa.replay_window == 0 && sa.dir != XFRM_SCRIPT_DIR_OUT)
        ERR_AT(m, esn_tok ? esn_tok : &m->t[0], "flag esn needs a replay-window");
    if (!sa.esn && rseq_hi)
        ERR_AT(m, seq_hi_tok, "replay-seq-hi needs flag esn");
    if (!sa.esn && roseq_hi)
        ERR_AT(m, oseq_hi_tok, "replay-oseq-hi needs flag esn");
    sa.seq = (uint64_t)rseq_hi << 32 | rseq;
    sa.oseq = (uint64_t)roseq_hi << 32 | roseq;
    if (!sa.family)
        sa.family = AF_INET;
    if (!m->bad)
        emit(m, op, &sa);
    wipe(&sa, sizeof sa);
}

/* ip xfrm state delete ID [mark ...] (iproute2 xfrm_state_get_or_delete) */
static void parse_delete(struct cmd *m)
{
    struct xfrm_script_sa sa;
    init_sa(&sa);
    uint32_t seen = 0;
    struct id_group g = {0};
    if (m->pref_family) {
        sa.family = m->pref_family;
        sa.have |= XFRM_SCRIPT_HAVE_FAMILY;
    }
    while (!m->stop && m->i < m->n) {
        const struct tok *kw = cur(m);
        id_group_step(m, &g, &sa, &seen, false, true);
        if (is_id_kw(kw->s))
            continue;
        if (!strcmp(kw->s, "mark")) {
            ERR_AT(m, kw, "'mark' is not supported");
            skip_mark(m);
        } else {
            ERR_AT(m, kw, "unknown keyword '%s' for delete", SHOW(kw->s));
            m->stop = true;
        }
    }
    if (m->stop)
        return;
    if (!(seen & (1u << SEEN_PROTO)))
        ERR_CMD(m, "missing 'proto esp'");
    if (!(seen & (1u << SEEN_DST)))
        ERR_CMD(m, "missing 'dst ADDRESS'");
    if (!(seen & (1u << SEEN_SPI)))
        ERR_CMD(m, "missing 'spi SPI'");
    if (!sa.family)
        sa.family = AF_INET;
    if (!m->bad)
        emit(m, XFRM_SCRIPT_DELETE, &sa);
}

/* ip xfrm state deleteall [ID] [mode M] [reqid R] [flag F...] (xfrm_state_list_or_deleteall) */
static void parse_deleteall(struct cmd *m)
{
    struct xfrm_script_sa sa;
    init_sa(&sa);
    uint32_t seen = 0;
    struct id_group g = {0};
    if (m->pref_family) {
        sa.family = m->pref_family;
        sa.have |= XFRM_SCRIPT_HAVE_FAMILY;
    }
    while (!m->stop && m->i < m->n) {
        const struct tok *kw = cur(m);
        id_group_step(m, &g, &sa, &seen, true, false);
        if (is_id_kw(kw->s))
            continue;
        if (!strcmp(kw->s, "mode")) {
            parse_mode(m, &sa, &seen);
        } else if (!strcmp(kw->s, "reqid")) {
            bool first = once(m, &seen, SEEN_REQID, kw);
            const struct tok *v = value(m, "a number");
            if (!v || !first)
                continue;
            if (!parse_u32(v->s, &sa.reqid))
                ERR_AT(m, v, "bad reqid '%s'", SHOW(v->s));
            else
                sa.have |= XFRM_SCRIPT_HAVE_REQID;
        } else if (!strcmp(kw->s, "flag")) {
            parse_flags(m, &sa, true);
        } else if (!strcmp(kw->s, "nokeys")) {
            m->i++; /* a display option of `list`, harmless */
        } else {
            ERR_AT(m, kw, "unknown keyword '%s' for deleteall", SHOW(kw->s));
            m->stop = true;
        }
    }
    if (!m->stop && !m->bad)
        emit(m, XFRM_SCRIPT_DELETEALL, &sa);
}

/* ip xfrm state flush [proto P] */
static void parse_flush(struct cmd *m)
{
    struct xfrm_script_sa sa;
    init_sa(&sa);
    uint32_t seen = 0;
    while (!m->stop && m->i < m->n) {
        const struct tok *kw = cur(m);
        if (!strcmp(kw->s, "proto")) {
            bool first = once(m, &seen, SEEN_PROTO, kw);
            const struct tok *v = value(m, "a protocol");
            if (!v || !first)
                continue;
            int p = lookup(xfrm_protos, v->s);
            if (p < 0) {
                ERR_AT(m, v, "unknown proto '%s'", SHOW(v->s));
                continue;
            }
            sa.proto = (uint8_t)p;
            sa.have |= XFRM_SCRIPT_HAVE_PROTO;
        } else {
            ERR_AT(m, kw, "unknown keyword '%s' for flush", SHOW(kw->s));
            m->stop = true;
        }
    }
    if (!m->stop && !m->bad)
        emit(m, XFRM_SCRIPT_FLUSH, &sa);
}

/* ip.c's command table, in its order (that order decides what an abbreviation means). */
static const char *const ip_objects[] = {
    "address", "addrlabel", "maddress", "route",  "rule",       "neighbor",    "neighbour",
    "ntable",  "ntbl",      "link",     "l2tp",   "fou",        "ila",         "macsec",
    "tunnel",  "tunl",      "tuntap",   "tap",    "token",      "tcpmetrics",  "tcp_metrics",
    "monitor", "xfrm",      "mroute",   "mrule",  "netns",      "netconf",     "vrf",
    "sr",      "nexthop",   "mptcp",    "help",   NULL,
};

/* Global options of ip.c, in its order. */
enum optkind { OPT_OK, OPT_OK_ARG, OPT_FAMILY, OPT_UNSUPPORTED, OPT_UNSUPPORTED_ARG };
static const struct {
    const char *name;
    bool exact;
    enum optkind kind;
} ip_options[] = {
    {"-loops", false, OPT_OK_ARG},     {"-family", false, OPT_FAMILY},
    {"-4", true, OPT_OK},              {"-6", true, OPT_OK},
    {"-0", true, OPT_UNSUPPORTED},     {"-D", true, OPT_UNSUPPORTED},
    {"-M", true, OPT_UNSUPPORTED},     {"-B", true, OPT_UNSUPPORTED},
    {"-human", false, OPT_OK},         {"-human-readable", false, OPT_OK},
    {"-iec", false, OPT_OK},           {"-stats", false, OPT_OK},
    {"-statistics", false, OPT_OK},    {"-details", false, OPT_OK},
    {"-resolve", false, OPT_OK},       {"-oneline", false, OPT_OK},
    {"-timestamp", false, OPT_OK},     {"-tshort", false, OPT_OK},
    {"-Version", false, OPT_UNSUPPORTED}, {"-force", false, OPT_OK},
    {"-batch", false, OPT_UNSUPPORTED_ARG}, {"-brief", false, OPT_OK},
    {"-json", false, OPT_OK},          {"-pretty", false, OPT_OK},
    {"-rcvbuf", false, OPT_OK_ARG},    {"-color", false, OPT_OK},
    {"-help", false, OPT_UNSUPPORTED}, {"-netns", false, OPT_UNSUPPORTED_ARG},
    {"-Numeric", false, OPT_OK},       {"-all", false, OPT_UNSUPPORTED},
};

/* Global options at m->i. false: give up on the command. */
static bool parse_ip_options(struct cmd *m)
{
    while (m->i < m->n && m->t[m->i].s[0] == '-') {
        const struct tok *tk = cur(m);
        const char *opt = tk->s;
        if (!strcmp(opt, "--")) {
            m->i++;
            break;
        }
        if (opt[1] == '-')
            opt++;
        /* -color[=always|auto|never] (utils.c matches_color) */
        char base[32];
        const char *eq = strchr(opt, '=');
        size_t bl = eq ? (size_t)(eq - opt) : strlen(opt);
        if (bl >= sizeof base)
            bl = sizeof base - 1;
        memcpy(base, opt, bl);
        base[bl] = '\0';
        size_t j, nopt = sizeof ip_options / sizeof ip_options[0];
        for (j = 0; j < nopt; j++) {
            if (ip_options[j].exact ? !strcmp(opt, ip_options[j].name)
                                    : matches(opt, ip_options[j].name))
                break;
            if (!strcmp(ip_options[j].name, "-color") && eq && matches(base, "-color"))
                break;
        }
        if (j == nopt) {
            ERR_AT(m, tk, "unknown ip option '%s'", SHOW(tk->s));
            return false;
        }
        const char *name = ip_options[j].name;
        if (eq && strcmp(name, "-color") != 0) {
            ERR_AT(m, tk, "unknown ip option '%s'", SHOW(tk->s));
            return false;
        }
        if (eq && strcmp(eq + 1, "always") && strcmp(eq + 1, "auto") && strcmp(eq + 1, "never")) {
            ERR_AT(m, tk, "bad color value in '%s'", SHOW(tk->s));
            return false;
        }
        switch (ip_options[j].kind) {
        case OPT_OK:
            if (!strcmp(name, "-4"))
                m->pref_family = AF_INET;
            else if (!strcmp(name, "-6"))
                m->pref_family = AF_INET6;
            m->i++;
            break;
        case OPT_OK_ARG: {
            const struct tok *v = value(m, "a value");
            uint32_t x;
            if (!v)
                return false;
            if (!strcmp(name, "-rcvbuf") && !parse_u32(v->s, &x)) {
                ERR_AT(m, v, "bad -rcvbuf size '%s'", SHOW(v->s));
                return false;
            }
            break;
        }
        case OPT_FAMILY: {
            const struct tok *v = value(m, "a family");
            if (!v)
                return false;
            if (!strcmp(v->s, "inet")) {
                m->pref_family = AF_INET;
            } else if (!strcmp(v->s, "inet6")) {
                m->pref_family = AF_INET6;
            } else if (!strcmp(v->s, "link") || !strcmp(v->s, "mpls") ||
                       !strcmp(v->s, "bridge") || !strcmp(v->s, "dnet") ||
                       !strcmp(v->s, "ipx") || !strcmp(v->s, "help")) {
                ERR_AT(m, v, "family '%s' is not supported, want inet or inet6", SHOW(v->s));
                return false;
            } else {
                ERR_AT(m, v, "invalid protocol family '%s'", SHOW(v->s));
                return false;
            }
            break;
        }
        case OPT_UNSUPPORTED:
        case OPT_UNSUPPORTED_ARG:
        default:
            ERR_AT(m, tk, "ip option '%s' (%s) is not supported in SA scripts", SHOW(tk->s),
                   name);
            return false;
        }
    }
    return true;
}

static void parse_command(struct ctx *c, const struct toks *tv, unsigned first_line)
{
    struct cmd m = {.c = c, .t = tv->v, .n = tv->n, .line = first_line};
    const char *t0 = tv->v[0].s;
    const char *slash = strrchr(t0, '/');
    bool ip = !strcmp(t0, "ip") || (slash && !strcmp(slash + 1, "ip"));
    if (ip) {
        m.i = 1;
        if (!parse_ip_options(&m))
            return;
        if (m.i >= m.n) {
            ERR_AT(&m, &m.t[m.n - 1], "missing object after '%s'", SHOW(m.t[m.n - 1].s));
            return;
        }
    }
    /* object */
    const struct tok *obj = cur(&m);
    const char *o = NULL;
    for (size_t j = 0; ip_objects[j]; j++) {
        if (matches(obj->s, ip_objects[j])) {
            o = ip_objects[j];
            break;
        }
    }
    if (!o) {
        if (ip)
            ERR_AT(&m, obj, "unknown ip object '%s'", SHOW(obj->s));
        else
            ERR_AT(&m, obj, "'%s' is not an ip xfrm command", SHOW(obj->s));
        return;
    }
    if (strcmp(o, "xfrm") != 0) {
        ERR_AT(&m, obj, "'ip %s' is not supported: SA scripts take 'ip xfrm state' commands", o);
        return;
    }
    m.i++;
    /* xfrm object (ipxfrm.c do_xfrm) */
    const struct tok *xo = cur(&m);
    if (!xo) {
        ERR_AT(&m, obj, "missing 'state' after '%s'", SHOW(obj->s));
        return;
    }
    if (!matches(xo->s, "state") && !matches(xo->s, "sa")) {
        if (matches(xo->s, "policy") || matches(xo->s, "monitor") || matches(xo->s, "help"))
            ERR_AT(&m, xo, "'ip xfrm %s' is not supported: SA scripts take 'ip xfrm state' "
                           "commands", SHOW(xo->s));
        else
            ERR_AT(&m, xo, "unknown xfrm object '%s'", SHOW(xo->s));
        return;
    }
    m.i++;
    /* command (xfrm_state.c do_xfrm_state, in its order) */
    const struct tok *cm = cur(&m);
    if (!cm) {
        ERR_AT(&m, xo, "'ip xfrm state' without a command lists SAs: not supported");
        return;
    }
    const char *k = cm->s;
    m.i++;
    if (matches(k, "add")) {
        parse_add(&m, XFRM_SCRIPT_ADD);
    } else if (matches(k, "update")) {
        parse_add(&m, XFRM_SCRIPT_UPDATE);
    } else if (matches(k, "allocspi")) {
        ERR_AT(&m, cm, "'ip xfrm state allocspi' is not supported");
    } else if (matches(k, "delete")) {
        parse_delete(&m);
    } else if (matches(k, "deleteall") || matches(k, "delall")) {
        parse_deleteall(&m);
    } else if (matches(k, "list") || matches(k, "show") || matches(k, "lst") ||
               matches(k, "get") || matches(k, "count") || matches(k, "help")) {
        ERR_AT(&m, cm, "'ip xfrm state %s' is not supported: it changes no SA", SHOW(k));
    } else if (matches(k, "flush")) {
        parse_flush(&m);
    } else {
        ERR_AT(&m, cm, "unknown ip xfrm state command '%s'", SHOW(k));
    }
}

/* ---------------------------------------------------------------------------------------- */
/* Entry points                                                                             */

static int parse_buffer(const char *buf, size_t len, const char *name, struct xfrm_script *out,
                        FILE *err)
{
    struct ctx c = {.name = name ? name : "<string>", .out = out, .err = err};
    struct lexer lx = {.p = buf, .end = buf + len, .line = 1};
    struct toks tv = {0};
    struct wordbuf w = {0};
    bool bad;
    unsigned first;
    while (!c.oom && lex_command(&c, &lx, &tv, &w, &bad, &first)) {
        if (!bad && tv.n)
            parse_command(&c, &tv, first);
    }
    toks_clear(&tv);
    free(tv.v);
    if (w.b)
        wipe(w.b, w.cap);
    free(w.b);
    if (c.oom) {
        if (err)
            fprintf(err, "%s: out of memory\n", c.name);
        return -1;
    }
    return out->n_errors > INT_MAX ? INT_MAX : (int)out->n_errors;
}

int xfrm_script_parse_string(const char *text, const char *name, struct xfrm_script *out,
                             FILE *err)
{
    memset(out, 0, sizeof *out);
    if (!text)
        text = "";
    return parse_buffer(text, strlen(text), name, out, err);
}

int xfrm_script_parse_file(const char *path, struct xfrm_script *out, FILE *err)
{
    memset(out, 0, sizeof *out);
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (err)
            fprintf(err, "%s: %s\n", path, strerror(errno));
        return -1;
    }
    char *buf = NULL;
    size_t len = 0, cap = 0;
    int rc = 0;
    for (;;) {
        if (len == cap) {
            size_t ncap = cap ? cap * 2 : 4096;
            char *nb = malloc(ncap);
            if (!nb) {
                rc = -1;
                if (err)
                    fprintf(err, "%s: out of memory\n", path);
                break;
            }
            if (buf) {
                memcpy(nb, buf, len);
                wipe(buf, cap);
                free(buf);
            }
            buf = nb;
            cap = ncap;
        }
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0) {
            if (ferror(f)) {
                rc = -1;
                if (err)
                    fprintf(err, "%s: read error\n", path);
            }
            break;
        }
    }
    fclose(f);
    if (rc == 0)
        rc = parse_buffer(buf ? buf : "", len, path, out, err);
    if (buf)
        wipe(buf, cap);
    free(buf);
    return rc;
}

void xfrm_script_free(struct xfrm_script *s)
{
    if (!s)
        return;
    if (s->ops)
        wipe(s->ops, s->n_ops * sizeof *s->ops);
    free(s->ops);
    for (size_t i = 0; i < s->n_errors; i++)
        free(s->errors[i].msg);
    free(s->errors);
    memset(s, 0, sizeof *s);
}

const char *xfrm_script_op_name(enum xfrm_script_opcode op)
{
    switch (op) {
    case XFRM_SCRIPT_ADD:
        return "add";
    case XFRM_SCRIPT_UPDATE:
        return "update";
    case XFRM_SCRIPT_DELETE:
        return "delete";
    case XFRM_SCRIPT_DELETEALL:
        return "deleteall";
    case XFRM_SCRIPT_FLUSH:
        return "flush";
    }
    return "?";
}

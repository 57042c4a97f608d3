/* vec_hex.c - hex strings and numbers as they appear in vector files (see vec_hex.h).
 *
 * Strict on purpose: a vector that silently parses into different bytes would make a test pass
 * or fail for the wrong reason, so anything but digits and blanks is an error, with its column.
 */
#include "vec_hex.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int hex_val(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static int is_blank(char c) { return c == ' ' || c == '\t'; }

void vec_bytes_free(struct vec_bytes *b)
{
    if (b == NULL)
        return;
    free(b->p);
    b->p = NULL;
    b->len = 0;
}

int vec_hex_decode(const char *s, size_t n, struct vec_bytes *out, char *why, size_t why_len)
{
    size_t i = 0, digits = 0;

    out->p = NULL;
    out->len = 0;
    while (i < n && is_blank(s[i]))
        i++;
    if (i + 1 < n && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X'))
        i += 2;
    size_t start = i;
    /* First pass validates and counts, so the buffer is sized exactly and a bad file never
     * makes us allocate more than its own size. */
    for (size_t k = start; k < n; k++) {
        if (is_blank(s[k]))
            continue;
        if (hex_val(s[k]) < 0) {
            unsigned char c = (unsigned char)s[k];
            if (c >= 0x20 && c < 0x7f)
                snprintf(why, why_len, "bad hex digit '%c' (value character %zu)", (char)c,
                         k + 1);
            else
                snprintf(why, why_len, "bad hex byte 0x%02x (value character %zu)", c, k + 1);
            return -1;
        }
        digits++;
    }
    if (digits % 2 != 0) {
        snprintf(why, why_len, "odd number of hex digits (%zu)", digits);
        return -1;
    }
    out->p = malloc(digits / 2 + 1);
    if (out->p == NULL) {
        snprintf(why, why_len, "out of memory");
        return -1;
    }
    int hi = -1;
    for (size_t k = start; k < n; k++) {
        if (is_blank(s[k]))
            continue;
        int v = hex_val(s[k]);
        if (hi < 0) {
            hi = v;
        } else {
            out->p[out->len++] = (uint8_t)(hi << 4 | v);
            hi = -1;
        }
    }
    return 0;
}

int vec_parse_u64(const char *s, uint64_t *v, char *why, size_t why_len)
{
    while (*s == ' ' || *s == '\t')
        s++;
    unsigned base = 10;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
    }
    uint64_t acc = 0;
    size_t digits = 0;
    for (; *s != '\0' && *s != ' ' && *s != '\t' && *s != '\r' && *s != '\n'; s++) {
        int d = hex_val(*s);
        if (d < 0 || (unsigned)d >= base) {
            snprintf(why, why_len, "bad character '%c' in number", *s);
            return -1;
        }
        if (acc > (UINT64_MAX - (unsigned)d) / base) {
            snprintf(why, why_len, "number does not fit in 64 bits");
            return -1;
        }
        acc = acc * base + (unsigned)d;
        digits++;
    }
    while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
        s++;
    if (*s != '\0') {
        snprintf(why, why_len, "junk after number");
        return -1;
    }
    if (digits == 0) {
        snprintf(why, why_len, "missing number");
        return -1;
    }
    *v = acc;
    return 0;
}

char *vec_trim(char *s)
{
    while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        s[--n] = '\0';
    return s;
}

const char *vec_hex_render(const uint8_t *p, size_t len, size_t max, char *buf, size_t buf_len)
{
    static const char digits[] = "0123456789abcdef";
    size_t o = 0, i = 0;

    if (buf_len == 0)
        return buf;
    if (len == 0) {
        snprintf(buf, buf_len, "(empty)");
        return buf;
    }
    /* Leave room for "..." and the NUL so that a cut is always visible. */
    for (; i < len && i < max && o + 2 + 4 <= buf_len; i++) {
        buf[o++] = digits[p[i] >> 4];
        buf[o++] = digits[p[i] & 15];
    }
    buf[o] = '\0';
    if (i < len && o + 4 <= buf_len)
        memcpy(buf + o, "...", 4);
    return buf;
}

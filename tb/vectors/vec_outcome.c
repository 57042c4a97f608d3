/* vec_outcome.c - the one-line verdicts and errors that parsers hand to the report sink.
 *
 * A failure line must say what differed precisely enough to start debugging from it alone: the
 * field, the first differing byte, and for short values (tags, headers) both values in full.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "vec_hex.h"
#include "vec_job.h"

/* Values up to this many bytes are printed whole in a difference. */
#define SHORT_VALUE 32u

void vec_err_set(struct vec_err *e, unsigned long line, const char *fmt, ...)
{
    va_list ap;
    e->line = line;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
}

void vec_outcome_pass(struct vec_outcome *o)
{
    o->verdict = VEC_PASS;
    o->why[0] = '\0';
}

void vec_outcome_skip(struct vec_outcome *o, const char *fmt, ...)
{
    va_list ap;
    o->verdict = VEC_SKIP;
    va_start(ap, fmt);
    vsnprintf(o->why, sizeof o->why, fmt, ap);
    va_end(ap);
}

void vec_outcome_fail(struct vec_outcome *o, const char *fmt, ...)
{
    va_list ap;
    o->verdict = VEC_FAIL;
    va_start(ap, fmt);
    vsnprintf(o->why, sizeof o->why, fmt, ap);
    va_end(ap);
}

const char *vec_status_name(int status)
{
    if (status == VEC_UNSUPPORTED)
        return "unsupported";
    return gold_status_name((enum gold_status)status);
}

int vec_diff(char *buf, size_t n, const char *what, const uint8_t *got, size_t got_len,
             const uint8_t *want, size_t want_len)
{
    char g[2 * SHORT_VALUE + 8], w[2 * SHORT_VALUE + 8];

    if (got_len == want_len && (got_len == 0 || memcmp(got, want, got_len) == 0))
        return 0;
    if (got_len <= SHORT_VALUE && want_len <= SHORT_VALUE) {
        snprintf(buf, n, "%s got %s, want %s", what,
                 vec_hex_render(got, got_len, SHORT_VALUE, g, sizeof g),
                 vec_hex_render(want, want_len, SHORT_VALUE, w, sizeof w));
        return 1;
    }
    if (got_len != want_len) {
        snprintf(buf, n, "%s length got %zu, want %zu", what, got_len, want_len);
        return 1;
    }
    size_t i = 0;
    while (got[i] == want[i])
        i++;
    snprintf(buf, n, "%s differs at byte %zu of %zu (got %02x, want %02x)", what, i, got_len,
             got[i], want[i]);
    return 1;
}

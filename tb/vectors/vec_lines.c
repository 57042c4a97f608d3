/* vec_lines.c - streaming line reader for the text vector formats (see vec_lines.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "vec_lines.h"

void vec_lines_init(struct vec_lines *r, FILE *in)
{
    r->in = in;
    r->buf = NULL;
    r->cap = 0;
    r->lineno = 0;
}

int vec_lines_next(struct vec_lines *r, char **line, struct vec_err *err)
{
    errno = 0;
    ssize_t n = getline(&r->buf, &r->cap, r->in);
    if (n < 0) {
        if (ferror(r->in)) {
            vec_err_set(err, r->lineno + 1, "read error: %s", strerror(errno ? errno : EIO));
            return -1;
        }
        return 0;
    }
    r->lineno++;
    if ((size_t)n > VEC_LINE_MAX) {
        vec_err_set(err, r->lineno, "line longer than %u bytes", VEC_LINE_MAX);
        return -1;
    }
    /* getline counts embedded NULs; strlen stops at the first one, so they must agree. */
    if (memchr(r->buf, '\0', (size_t)n) != NULL) {
        vec_err_set(err, r->lineno, "NUL byte in a text file (binary data?)");
        return -1;
    }
    while (n > 0 && (r->buf[n - 1] == '\n' || r->buf[n - 1] == '\r'))
        r->buf[--n] = '\0';
    *line = r->buf;
    return 1;
}

void vec_lines_free(struct vec_lines *r)
{
    free(r->buf);
    r->buf = NULL;
    r->cap = 0;
}

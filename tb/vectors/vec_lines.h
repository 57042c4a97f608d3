/* vec_lines.h - line-by-line reading of a text vector file, with line numbers.
 *
 * Internal to libvec. Both text formats stream their files (the NIST ones are several MB), so
 * only one line is held at a time. CR LF endings (as NIST ships them) are accepted; a NUL byte
 * or a line longer than VEC_LINE_MAX is an error, since no text vector file has either.
 */
#ifndef NICSIM_VEC_LINES_H
#define NICSIM_VEC_LINES_H

#include <stdio.h>

#include "vec_job.h"

#define VEC_LINE_MAX (1u << 20)

struct vec_lines {
    FILE *in;
    char *buf;
    size_t cap;
    unsigned long lineno; /* number of the line last returned (1-based) */
};

void vec_lines_init(struct vec_lines *r, FILE *in);
/* 1: *line is the next line without its end (NUL-terminated, writable, valid until the next
 * call); 0: end of file; -1: read error, NUL byte or overlong line (err set). */
int vec_lines_next(struct vec_lines *r, char **line, struct vec_err *err);
void vec_lines_free(struct vec_lines *r);

#endif

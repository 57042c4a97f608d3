/* vec_names.h - a set of record names, to refuse a name used twice in one vector file.
 *
 * Internal to libvec. A hash set rather than a list so that a generated file with 100k records
 * stays linear.
 */
#ifndef NICSIM_VEC_NAMES_H
#define NICSIM_VEC_NAMES_H

#include <stddef.h>

struct vec_names {
    char **slot;
    size_t cap; /* power of two, or 0 */
    size_t n;
};

void vec_names_init(struct vec_names *s);
/* 1: added; 0: already present; -1: out of memory. */
int vec_names_add(struct vec_names *s, const char *name);
void vec_names_free(struct vec_names *s);

#endif

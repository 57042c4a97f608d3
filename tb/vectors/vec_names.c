/* vec_names.c - open-addressing string set (see vec_names.h). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vec_names.h"

static uint64_t hash(const char *s)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

void vec_names_init(struct vec_names *s)
{
    s->slot = NULL;
    s->cap = 0;
    s->n = 0;
}

/* Place an owned string into a table known to have room and not to contain it. */
static void place(char **slot, size_t cap, char *name)
{
    size_t i = (size_t)hash(name) & (cap - 1);
    while (slot[i] != NULL)
        i = (i + 1) & (cap - 1);
    slot[i] = name;
}

static int grow(struct vec_names *s)
{
    size_t ncap = s->cap ? s->cap * 2 : 64;
    char **ns = calloc(ncap, sizeof *ns);
    if (ns == NULL)
        return -1;
    for (size_t i = 0; i < s->cap; i++)
        if (s->slot[i] != NULL)
            place(ns, ncap, s->slot[i]);
    free(s->slot);
    s->slot = ns;
    s->cap = ncap;
    return 0;
}

int vec_names_add(struct vec_names *s, const char *name)
{
    if (s->cap > 0) {
        size_t i = (size_t)hash(name) & (s->cap - 1);
        for (; s->slot[i] != NULL; i = (i + 1) & (s->cap - 1))
            if (strcmp(s->slot[i], name) == 0)
                return 0;
    }
    /* Keep the load at or below one half so probes stay short. */
    if ((s->n + 1) * 2 > s->cap && grow(s) != 0)
        return -1;
    char *copy = strdup(name);
    if (copy == NULL)
        return -1;
    place(s->slot, s->cap, copy);
    s->n++;
    return 1;
}

void vec_names_free(struct vec_names *s)
{
    for (size_t i = 0; i < s->cap; i++)
        free(s->slot[i]);
    free(s->slot);
    vec_names_init(s);
}

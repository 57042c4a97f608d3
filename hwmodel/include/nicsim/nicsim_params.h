/* nicsim_params.h - the device's configuration: one struct generated from params.def, its
 * defaults, and a `key = value` file loader. */
#ifndef NICSIM_PARAMS_H
#define NICSIM_PARAMS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct nicsim_params {
#define X(name, def, min, max, unit, doc) uint32_t name;
#include "nicsim/params.def"
#undef X
};

/* Fill every field with its documented default. */
void nicsim_params_default(struct nicsim_params *p);
/* Check every field against its range and cross-field rules (ring sizes powers of two, replay
 * window a multiple of 32). Returns 0, or -1 with a one-line reason in err. */
int nicsim_params_check(const struct nicsim_params *p, char *err, size_t errlen);
/* Set one parameter from text ("engines", "8"). Returns 0, or -1 with a reason in err. */
int nicsim_params_set(struct nicsim_params *p, const char *key, const char *value, char *err,
                      size_t errlen);
/* Load a `key = value` file ('#' comments, blank lines) over the current values. Unknown keys,
 * bad or out-of-range values and duplicate keys are errors "FILE:LINE: reason". Returns 0/-1. */
int nicsim_params_load(struct nicsim_params *p, const char *path, char *err, size_t errlen);
/* Write every parameter as `key = value  # unit, doc` lines. */
void nicsim_params_dump(const struct nicsim_params *p, FILE *out);
#endif

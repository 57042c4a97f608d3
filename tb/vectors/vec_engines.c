/* vec_engines.c - the registry of engines that conformance vectors can run through.
 *
 * Adding an engine (model-fast, model-bit, rtl) means one engine_<name>.c file, one line in
 * vec_engine_list.h and one line here; the runner and the CLI find it by name. vec_engines[] is
 * what `--engine all` runs; engines that need a separately built program are listed apart and
 * found by name only (below).
 */
#include <string.h>

#include "vec_engine_list.h"

const struct vec_engine *const vec_engines[] = {
    &vec_engine_ref,
    &vec_engine_model_fast,
    &vec_engine_model_bit,
    NULL,
};

/* Engines that run only when named: they depend on something built apart from nicsim (rtl: the
 * Verilated program of `make cosim-build`), so `--engine all` and `nicsim regress`, which run
 * vec_engines[], stay independent of it. */
static const struct vec_engine *const vec_engines_by_name[] = {
    &vec_engine_rtl,
    NULL,
};

const struct vec_engine *vec_engine_find(const char *name)
{
    if (name == NULL)
        return NULL;
    for (size_t i = 0; vec_engines[i] != NULL; i++)
        if (strcmp(vec_engines[i]->name, name) == 0)
            return vec_engines[i];
    for (size_t i = 0; vec_engines_by_name[i] != NULL; i++)
        if (strcmp(vec_engines_by_name[i]->name, name) == 0)
            return vec_engines_by_name[i];
    return NULL;
}

/* vec_engine_list.h - the engine objects built into libvec, one per engine_<name>.c file.
 *
 * Only the registry (vec_engines.c) and the engine files include this: the declaration here
 * lets the compiler check each definition against what the table expects.
 */
#ifndef NICSIM_VEC_ENGINE_LIST_H
#define NICSIM_VEC_ENGINE_LIST_H

#include "vec_engine.h"

extern const struct vec_engine vec_engine_ref;        /* engine_ref.c: the golden library */
extern const struct vec_engine vec_engine_model_fast; /* engine_model.c: C model, fast data */
extern const struct vec_engine vec_engine_model_bit;  /* engine_model.c: C model, bit-accurate */
extern const struct vec_engine vec_engine_rtl;        /* engine_rtl.c: Verilated gcm_engine */

#endif

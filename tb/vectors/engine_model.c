/* engine_model.c - the `model-fast` and `model-bit` engines: the C model of the device behind
 * the engine interface, in its two data modes (params.def data_mode 0 and 1).
 *
 * Raw GCM goes through one GCM unit (engine_model_gcm.c), ESP records through the whole device
 * driven by a host over its rings (engine_model_esp.c); each file's header says which records
 * the hardware cannot express and therefore reports as VEC_UNSUPPORTED. The two engines differ
 * only in the data mode, so every record proves that fast mode computes the same bytes as the
 * bit-accurate datapath, and both against the known answer.
 */
#include <stdlib.h>

#include "engine_model.h"
#include "vec_engine_list.h"

static void *model_create(unsigned data_mode)
{
    struct model_ctx *m = calloc(1, sizeof(*m));
    if (m != NULL)
        m->data_mode = data_mode;
    return m;
}

static void *model_fast_create(void) { return model_create(0); }
static void *model_bit_create(void) { return model_create(1); }
static void model_destroy(void *ctx) { free(ctx); }

const struct vec_engine vec_engine_model_fast = {
    .name = "model-fast",
    .desc = "C model, fast data mode (OpenSSL bytes, model timing)",
    .create = model_fast_create,
    .destroy = model_destroy,
    .gcm_encrypt = model_gcm_encrypt,
    .gcm_decrypt = model_gcm_decrypt,
    .esp_seal = model_esp_seal,
    .esp_open = model_esp_open,
    .encap = model_encap,
    .decap = model_decap,
};

const struct vec_engine vec_engine_model_bit = {
    .name = "model-bit",
    .desc = "C model, bit-accurate data mode (beat-level GCM engine)",
    .create = model_bit_create,
    .destroy = model_destroy,
    .gcm_encrypt = model_gcm_encrypt,
    .gcm_decrypt = model_gcm_decrypt,
    .esp_seal = model_esp_seal,
    .esp_open = model_esp_open,
    .encap = model_encap,
    .decap = model_decap,
};

/* vec_engine.h - the interface through which conformance vectors reach an engine.
 *
 * An engine is anything that can do AES-GCM and ESP: the golden reference ("ref"), the C model
 * in its two data modes ("model-fast", "model-bit": raw GCM through one GCM unit, ESP through
 * the whole device) and later the Verilated RTL ("rtl"). Every
 * operation has the signature of the golden library call of the same name (esp_golden.h) and
 * returns an enum gold_status, or VEC_UNSUPPORTED when the engine cannot do those parameters
 * (for example a GCM IV that is not 96 bits, or a tag length other than 8/12/16): the runner
 * counts such records as skipped, never as passed.
 *
 * Engines register themselves in the table in vec_engines.c. An engine instance is created per
 * run (create/destroy), so engines may keep device state, and several may coexist.
 */
#ifndef NICSIM_VEC_ENGINE_H
#define NICSIM_VEC_ENGINE_H

#include "esp_golden.h"

#define VEC_UNSUPPORTED (-1)

struct vec_engine {
    const char *name;
    const char *desc;
    void *(*create)(void);      /* NULL on failure */
    void (*destroy)(void *ctx);

    int (*gcm_encrypt)(void *ctx, const uint8_t *key, size_t key_len, const uint8_t *iv,
                       size_t iv_len, const uint8_t *aad, size_t aad_len, const uint8_t *pt,
                       size_t len, uint8_t *ct, uint8_t *tag, size_t tag_len);
    int (*gcm_decrypt)(void *ctx, const uint8_t *key, size_t key_len, const uint8_t *iv,
                       size_t iv_len, const uint8_t *aad, size_t aad_len, const uint8_t *ct,
                       size_t len, const uint8_t *tag, size_t tag_len, uint8_t *pt);
    int (*esp_seal)(void *ctx, const struct gold_sa *sa, uint64_t sn, const uint8_t iv[8],
                    const uint8_t *payload, size_t payload_len, uint8_t next_header,
                    uint8_t *esp, size_t esp_cap, size_t *esp_len);
    int (*esp_open)(void *ctx, const struct gold_sa *sa, uint32_t seq_hi, const uint8_t *esp,
                    size_t esp_len, uint8_t *payload, size_t payload_cap, size_t *payload_len,
                    uint8_t *next_header, uint32_t *sn_low);
    int (*encap)(void *ctx, const struct gold_sa *sa, uint64_t sn, const uint8_t iv[8],
                 const uint8_t *pkt, size_t pkt_len, uint8_t *out, size_t out_cap,
                 size_t *out_len);
    int (*decap)(void *ctx, const struct gold_sa *sa, uint32_t seq_hi, const uint8_t *pkt,
                 size_t pkt_len, uint8_t *out, size_t out_cap, size_t *out_len);
};

/* NULL-terminated table of every engine built into this binary. */
extern const struct vec_engine *const vec_engines[];
/* Engine by name, or NULL. */
const struct vec_engine *vec_engine_find(const char *name);

#endif

/* engine_model.h - the pieces of the model-fast / model-bit engines, shared by their files.
 *
 * Internal to libvec. engine_model.c holds the engine objects and their context;
 * engine_model_gcm.c runs raw AES-GCM through one gcm_unit; engine_model_esp.c runs ESP records
 * through the whole device (tb/dut). Each function has the signature of the vec_engine member
 * of the same name (vec_engine.h) and takes the context as its first argument.
 */
#ifndef NICSIM_ENGINE_MODEL_H
#define NICSIM_ENGINE_MODEL_H

#include "vec_engine.h"

struct model_ctx {
    unsigned data_mode; /* params.def data_mode: 0 fast (OpenSSL bytes), 1 bit-accurate */
};

int model_gcm_encrypt(void *ctx, const uint8_t *key, size_t key_len, const uint8_t *iv,
                      size_t iv_len, const uint8_t *aad, size_t aad_len, const uint8_t *pt,
                      size_t len, uint8_t *ct, uint8_t *tag, size_t tag_len);
int model_gcm_decrypt(void *ctx, const uint8_t *key, size_t key_len, const uint8_t *iv,
                      size_t iv_len, const uint8_t *aad, size_t aad_len, const uint8_t *ct,
                      size_t len, const uint8_t *tag, size_t tag_len, uint8_t *pt);
int model_esp_seal(void *ctx, const struct gold_sa *sa, uint64_t sn, const uint8_t iv[8],
                   const uint8_t *payload, size_t payload_len, uint8_t next_header, uint8_t *esp,
                   size_t esp_cap, size_t *esp_len);
int model_esp_open(void *ctx, const struct gold_sa *sa, uint32_t seq_hi, const uint8_t *esp,
                   size_t esp_len, uint8_t *payload, size_t payload_cap, size_t *payload_len,
                   uint8_t *next_header, uint32_t *sn_low);
int model_encap(void *ctx, const struct gold_sa *sa, uint64_t sn, const uint8_t iv[8],
                const uint8_t *pkt, size_t pkt_len, uint8_t *out, size_t out_cap,
                size_t *out_len);
int model_decap(void *ctx, const struct gold_sa *sa, uint32_t seq_hi, const uint8_t *pkt,
                size_t pkt_len, uint8_t *out, size_t out_cap, size_t *out_len);

#endif

/* engine_ref.c - the `ref` engine: the golden ESP/GCM library behind the engine interface.
 *
 * A thin adapter, so that vectors first prove the reference itself and every other engine is
 * then held to the same records. The golden library is stateless, so the context only exists
 * because create() must return non-NULL. It takes every GCM IV length the golden library takes
 * (any length from 1 byte: EVP up to 128 bytes, OpenSSL's GCM128 mode beyond, which covers
 * Wycheproof's 2056-bit IVs) and tags of 1..16 bytes, so it reports nothing as VEC_UNSUPPORTED.
 */
#include <stdlib.h>

#include "vec_engine_list.h"

struct ref_ctx {
    int unused; /* the golden library keeps no state */
};

static void *ref_create(void) { return calloc(1, sizeof(struct ref_ctx)); }

static void ref_destroy(void *ctx) { free(ctx); }

static int ref_gcm_encrypt(void *ctx, const uint8_t *key, size_t key_len, const uint8_t *iv,
                           size_t iv_len, const uint8_t *aad, size_t aad_len, const uint8_t *pt,
                           size_t len, uint8_t *ct, uint8_t *tag, size_t tag_len)
{
    (void)ctx;
    return gold_gcm_encrypt(key, key_len, iv, iv_len, aad, aad_len, pt, len, ct, tag, tag_len);
}

static int ref_gcm_decrypt(void *ctx, const uint8_t *key, size_t key_len, const uint8_t *iv,
                           size_t iv_len, const uint8_t *aad, size_t aad_len, const uint8_t *ct,
                           size_t len, const uint8_t *tag, size_t tag_len, uint8_t *pt)
{
    (void)ctx;
    return gold_gcm_decrypt(key, key_len, iv, iv_len, aad, aad_len, ct, len, tag, tag_len, pt);
}

static int ref_esp_seal(void *ctx, const struct gold_sa *sa, uint64_t sn, const uint8_t iv[8],
                        const uint8_t *payload, size_t payload_len, uint8_t next_header,
                        uint8_t *esp, size_t esp_cap, size_t *esp_len)
{
    (void)ctx;
    return gold_esp_seal(sa, sn, iv, payload, payload_len, next_header, esp, esp_cap, esp_len);
}

static int ref_esp_open(void *ctx, const struct gold_sa *sa, uint32_t seq_hi, const uint8_t *esp,
                        size_t esp_len, uint8_t *payload, size_t payload_cap, size_t *payload_len,
                        uint8_t *next_header, uint32_t *sn_low)
{
    (void)ctx;
    return gold_esp_open(sa, seq_hi, esp, esp_len, payload, payload_cap, payload_len,
                         next_header, sn_low);
}

static int ref_encap(void *ctx, const struct gold_sa *sa, uint64_t sn, const uint8_t iv[8],
                     const uint8_t *pkt, size_t pkt_len, uint8_t *out, size_t out_cap,
                     size_t *out_len)
{
    (void)ctx;
    return gold_encap(sa, sn, iv, pkt, pkt_len, out, out_cap, out_len);
}

static int ref_decap(void *ctx, const struct gold_sa *sa, uint32_t seq_hi, const uint8_t *pkt,
                     size_t pkt_len, uint8_t *out, size_t out_cap, size_t *out_len)
{
    (void)ctx;
    return gold_decap(sa, seq_hi, pkt, pkt_len, out, out_cap, out_len);
}

const struct vec_engine vec_engine_ref = {
    .name = "ref",
    .desc = "golden ESP/GCM reference library (OpenSSL EVP)",
    .create = ref_create,
    .destroy = ref_destroy,
    .gcm_encrypt = ref_gcm_encrypt,
    .gcm_decrypt = ref_gcm_decrypt,
    .esp_seal = ref_esp_seal,
    .esp_open = ref_esp_open,
    .encap = ref_encap,
    .decap = ref_decap,
};

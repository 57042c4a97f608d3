/* gold_gcm.c - raw AES-GCM (NIST SP 800-38D) on OpenSSL.
 *
 * Any IV length from 1 byte up to SP 800-38D's 2^64 - 1 bits (J0 is derived with GHASH for
 * lengths other than 12) and any tag length 1..16 (the tag is truncated to its leftmost bytes).
 * IVs of up to 128 bytes go through EVP, as everything else; the OpenSSL 3 provider refuses
 * longer ones, so those go through OpenSSL's public GCM128 mode API (<openssl/modes.h>) with a
 * block function that encrypts one block on an EVP AES-ECB context. Both are OpenSSL's GCM code
 * (same GHASH, same J0 rule), and only the long IVs take the second path.
 * Each call builds and frees its own contexts: no state survives a call.
 */
#include <limits.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/modes.h>

#include "gold_priv.h"

/* OpenSSL 3 keeps the IV in a 128-byte buffer (GCM_IV_MAX_SIZE); longer IVs are refused by
 * EVP_CTRL_GCM_SET_IVLEN, and a later init would then silently use a 12-byte IV. */
#define GOLD_GCM_EVP_MAX_IV 128u
/* SP 800-38D s5.2.1.1: len(IV) <= 2^64 - 1 bits. */
#define GOLD_GCM_MAX_IV (UINT64_MAX >> 3)

static const EVP_CIPHER *gcm_cipher(size_t key_len)
{
    switch (key_len) {
    case 16: return EVP_aes_128_gcm();
    case 24: return EVP_aes_192_gcm();
    case 32: return EVP_aes_256_gcm();
    default: return NULL;
    }
}

static enum gold_status check_args(const uint8_t *key, size_t key_len, const uint8_t *iv,
                                   size_t iv_len, const uint8_t *aad, size_t aad_len,
                                   const uint8_t *in, const uint8_t *out, size_t len,
                                   const uint8_t *tag, size_t tag_len)
{
    if (key == NULL || gcm_cipher(key_len) == NULL)
        return GOLD_E_PARAM;
    if (iv == NULL || iv_len == 0 || (uint64_t)iv_len > GOLD_GCM_MAX_IV)
        return GOLD_E_PARAM;
    if (aad == NULL && aad_len != 0)
        return GOLD_E_PARAM;
    if ((in == NULL || out == NULL) && len != 0)
        return GOLD_E_PARAM;
    if (tag == NULL || tag_len == 0 || tag_len > 16)
        return GOLD_E_PARAM;
    return GOLD_OK;
}

/* EVP lengths are int; feed longer buffers in pieces (GCM is a stream, so pieces are exact).
 * With out == NULL the data is AAD. */
static int update_chunked(EVP_CIPHER_CTX *ctx, bool enc, uint8_t *out, const uint8_t *in,
                          size_t len)
{
    const size_t step = (size_t)INT_MAX & ~(size_t)15;
    while (len > 0) {
        int n = (int)(len < step ? len : step);
        int got = 0;
        int ok = enc ? EVP_EncryptUpdate(ctx, out, &got, in, n)
                     : EVP_DecryptUpdate(ctx, out, &got, in, n);
        if (!ok || (out != NULL && got != n))
            return 0;
        in += n;
        if (out != NULL)
            out += n;
        len -= (size_t)n;
    }
    return 1;
}

static EVP_CIPHER_CTX *gcm_start(bool enc, const uint8_t *key, size_t key_len, const uint8_t *iv,
                                 size_t iv_len, const uint8_t *aad, size_t aad_len)
{
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    if (ctx == NULL)
        return NULL;
    int ok = enc ? EVP_EncryptInit_ex(ctx, gcm_cipher(key_len), NULL, NULL, NULL)
                 : EVP_DecryptInit_ex(ctx, gcm_cipher(key_len), NULL, NULL, NULL);
    /* The IV length must be set before the IV itself; its return value matters (see above). */
    ok = ok && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, (int)iv_len, NULL) == 1;
    ok = ok && (enc ? EVP_EncryptInit_ex(ctx, NULL, NULL, key, iv)
                    : EVP_DecryptInit_ex(ctx, NULL, NULL, key, iv));
    ok = ok && update_chunked(ctx, enc, NULL, aad, aad_len);
    if (!ok) {
        EVP_CIPHER_CTX_free(ctx);
        return NULL;
    }
    return ctx;
}

/* ---- IVs longer than EVP takes: GCM128 over a one-block AES-ECB function ----------------- */

struct ecb_key {
    EVP_CIPHER_CTX *ecb;
    int *failed; /* the block function returns void: a failed block is reported here */
};

static const EVP_CIPHER *ecb_cipher(size_t key_len)
{
    switch (key_len) {
    case 16: return EVP_aes_128_ecb();
    case 24: return EVP_aes_192_ecb();
    case 32: return EVP_aes_256_ecb();
    default: return NULL;
    }
}

static void ecb_block(const unsigned char in[16], unsigned char out[16], const void *key)
{
    const struct ecb_key *k = key;
    int n = 0;
    if (EVP_EncryptUpdate(k->ecb, out, &n, in, 16) != 1 || n != 16) {
        *k->failed = 1;
        memset(out, 0, 16);
    }
}

/* One whole GCM operation with a long IV. Encrypt writes the full-length tag's leftmost tag_len
 * bytes to tag; decrypt checks tag (GOLD_E_BAD_ICV) and leaves wiping to the caller. */
static enum gold_status long_iv_gcm(bool enc, const uint8_t *key, size_t key_len,
                                    const uint8_t *iv, size_t iv_len, const uint8_t *aad,
                                    size_t aad_len, const uint8_t *in, uint8_t *out, size_t len,
                                    uint8_t *tag, size_t tag_len)
{
    int failed = 0;
    struct ecb_key k = {EVP_CIPHER_CTX_new(), &failed};
    GCM128_CONTEXT *g = NULL;
    enum gold_status st = GOLD_E_CRYPTO;
    /* ECB on whole blocks needs no padding; GCM128_new computes H = E_K(0) at once. */
    if (k.ecb == NULL || EVP_EncryptInit_ex(k.ecb, ecb_cipher(key_len), NULL, key, NULL) != 1 ||
        EVP_CIPHER_CTX_set_padding(k.ecb, 0) != 1)
        goto out;
    g = CRYPTO_gcm128_new(&k, ecb_block);
    if (g == NULL)
        goto out;
    CRYPTO_gcm128_setiv(g, iv, iv_len);
    if (aad_len != 0 && CRYPTO_gcm128_aad(g, aad, aad_len) != 0)
        goto out;
    if (len != 0 && (enc ? CRYPTO_gcm128_encrypt(g, in, out, len)
                         : CRYPTO_gcm128_decrypt(g, in, out, len)) != 0)
        goto out;
    if (enc) {
        uint8_t full[16];
        CRYPTO_gcm128_tag(g, full, sizeof full);
        memcpy(tag, full, tag_len);
        st = GOLD_OK;
    } else {
        /* 0 when the leftmost tag_len bytes match (CRYPTO_memcmp: constant time) */
        st = CRYPTO_gcm128_finish(g, tag, tag_len) == 0 ? GOLD_OK : GOLD_E_BAD_ICV;
    }
    if (failed)
        st = GOLD_E_CRYPTO;
out:
    CRYPTO_gcm128_release(g); /* clears the context (H, Xi) before freeing; NULL is fine */
    EVP_CIPHER_CTX_free(k.ecb);
    return st;
}

/* ---- the API ----------------------------------------------------------------------------- */

enum gold_status gold_gcm_encrypt(const uint8_t *key, size_t key_len, const uint8_t *iv,
                                  size_t iv_len, const uint8_t *aad, size_t aad_len,
                                  const uint8_t *pt, size_t len, uint8_t *ct, uint8_t *tag,
                                  size_t tag_len)
{
    enum gold_status st =
        check_args(key, key_len, iv, iv_len, aad, aad_len, pt, ct, len, tag, tag_len);
    if (st != GOLD_OK)
        return st;
    if (iv_len > GOLD_GCM_EVP_MAX_IV)
        return long_iv_gcm(true, key, key_len, iv, iv_len, aad, aad_len, pt, ct, len, tag,
                           tag_len);
    EVP_CIPHER_CTX *ctx = gcm_start(true, key, key_len, iv, iv_len, aad, aad_len);
    if (ctx == NULL)
        return GOLD_E_CRYPTO;
    uint8_t full[16];
    int got = 0;
    int ok = update_chunked(ctx, true, ct, pt, len);
    ok = ok && EVP_EncryptFinal_ex(ctx, full, &got) == 1;
    ok = ok && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16, full) == 1;
    EVP_CIPHER_CTX_free(ctx);
    if (!ok)
        return GOLD_E_CRYPTO;
    /* SP 800-38D s7.1: a shorter tag is the leftmost tag_len bytes of the full tag. */
    memcpy(tag, full, tag_len);
    return GOLD_OK;
}

enum gold_status gold_gcm_decrypt(const uint8_t *key, size_t key_len, const uint8_t *iv,
                                  size_t iv_len, const uint8_t *aad, size_t aad_len,
                                  const uint8_t *ct, size_t len, const uint8_t *tag,
                                  size_t tag_len, uint8_t *pt)
{
    enum gold_status st =
        check_args(key, key_len, iv, iv_len, aad, aad_len, ct, pt, len, tag, tag_len);
    if (st != GOLD_OK) {
        gold_wipe(pt, len);
        return st;
    }
    if (iv_len > GOLD_GCM_EVP_MAX_IV) {
        uint8_t expect[16];
        memcpy(expect, tag, tag_len);
        st = long_iv_gcm(false, key, key_len, iv, iv_len, aad, aad_len, ct, pt, len, expect,
                         tag_len);
        if (st != GOLD_OK)
            gold_wipe(pt, len); /* written before the tag was known */
        return st;
    }
    EVP_CIPHER_CTX *ctx = gcm_start(false, key, key_len, iv, iv_len, aad, aad_len);
    if (ctx == NULL) {
        gold_wipe(pt, len);
        return GOLD_E_CRYPTO;
    }
    uint8_t expect[16];
    memcpy(expect, tag, tag_len);
    int got = 0;
    /* The tag goes in before Final; OpenSSL compares only tag_len bytes, in constant time. */
    int ok = EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, (int)tag_len, expect) == 1;
    ok = ok && update_chunked(ctx, false, pt, ct, len);
    if (!ok) {
        EVP_CIPHER_CTX_free(ctx);
        gold_wipe(pt, len);
        return GOLD_E_CRYPTO;
    }
    uint8_t none[16]; /* GCM's Final writes no data; the buffer only satisfies the API */
    ok = EVP_DecryptFinal_ex(ctx, none, &got) == 1;
    EVP_CIPHER_CTX_free(ctx);
    if (!ok) {
        /* The plaintext was written before the tag was known; no unverified byte may stay. */
        gold_wipe(pt, len);
        return GOLD_E_BAD_ICV;
    }
    return GOLD_OK;
}

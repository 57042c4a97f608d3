/* gold_esp.c - ESP with AES-GCM at the ESP level: the bytes from SPI to ICV (RFC 4303, 4106).
 *
 *   SPI(4) | SN-low(4) | IV(8) | E(payload | pad 1,2,3.. | pad length | next header) | ICV
 *
 * nonce = salt || IV (RFC 4106 s4); AAD = SPI || SN-low, or SPI || SN-high || SN-low with ESN
 * (RFC 4106 s5); SN-high is in the AAD only, never on the wire.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "gold_priv.h"

/* Smallest ciphertext: pad length and next header, padded to the minimum alignment of 4. */
#define ESP_MIN_CT 4u
#define ESP_TRAILER 2u

/* AAD per RFC 4106 s5; returns its length (8 or 12). */
static size_t build_aad(const struct gold_sa *sa, uint32_t sn_hi, uint32_t sn_lo, uint8_t aad[12])
{
    gold_st32(aad, sa->spi);
    if (!sa->esn) {
        gold_st32(aad + 4, sn_lo);
        return 8;
    }
    gold_st32(aad + 4, sn_hi);
    gold_st32(aad + 8, sn_lo);
    return 12;
}

static void build_nonce(const struct gold_sa *sa, const uint8_t iv[8], uint8_t nonce[12])
{
    memcpy(nonce, sa->salt, 4);
    memcpy(nonce + 4, iv, GOLD_IV_LEN);
}

/* Pad bytes needed so that payload || pad || 2-byte trailer is a multiple of align. */
static size_t pad_len(size_t payload_len, unsigned align)
{
    return (align - (payload_len + ESP_TRAILER) % align) % align;
}

size_t gold_esp_len(const struct gold_sa *sa, size_t payload_len)
{
    if (gold_sa_check(sa) != GOLD_OK)
        return 0;
    const size_t fixed = GOLD_ESP_HDR_LEN + GOLD_MAX_PAD + ESP_TRAILER + GOLD_MAX_ICV;
    if (payload_len > SIZE_MAX - fixed)
        return 0; /* would overflow; no buffer could hold it anyway */
    return GOLD_ESP_HDR_LEN + payload_len + pad_len(payload_len, gold_sa_align(sa)) +
           ESP_TRAILER + sa->icv_len;
}

enum gold_status gold_esp_seal(const struct gold_sa *sa, uint64_t sn, const uint8_t iv[8],
                               const uint8_t *payload, size_t payload_len, uint8_t next_header,
                               uint8_t *esp, size_t esp_cap, size_t *esp_len)
{
    if (esp_len != NULL)
        *esp_len = 0;
    if (gold_sa_check(sa) != GOLD_OK || iv == NULL || esp == NULL || esp_len == NULL)
        return GOLD_E_PARAM;
    if (payload == NULL && payload_len != 0)
        return GOLD_E_PARAM;
    if (!sa->esn && (sn >> 32) != 0)
        return GOLD_E_PARAM; /* a 32-bit SA must not cycle (RFC 4303 s3.3.3) */
    size_t need = gold_esp_len(sa, payload_len);
    if (need == 0)
        return GOLD_E_PARAM;
    if (esp_cap < need)
        return GOLD_E_NOSPACE;

    size_t pad = pad_len(payload_len, gold_sa_align(sa));
    size_t ct_len = payload_len + pad + ESP_TRAILER;
    uint8_t *ct = esp + GOLD_ESP_HDR_LEN;
    /* The payload moves first: memmove allows it to sit inside the output buffer already. */
    if (payload_len != 0)
        memmove(ct, payload, payload_len);
    for (size_t i = 0; i < pad; i++)
        ct[payload_len + i] = (uint8_t)(i + 1); /* RFC 4303 s2.4 default pad: 1, 2, 3, ... */
    ct[payload_len + pad] = (uint8_t)pad;
    ct[payload_len + pad + 1] = next_header;

    uint32_t sn_hi = (uint32_t)(sn >> 32), sn_lo = (uint32_t)sn;
    gold_st32(esp, sa->spi);
    gold_st32(esp + 4, sn_lo);
    memcpy(esp + 8, iv, GOLD_IV_LEN);

    uint8_t aad[12], nonce[12];
    size_t aad_len = build_aad(sa, sn_hi, sn_lo, aad);
    build_nonce(sa, iv, nonce);
    enum gold_status st = gold_gcm_encrypt(sa->key, sa->key_len, nonce, sizeof nonce, aad,
                                           aad_len, ct, ct_len, ct, ct + ct_len, sa->icv_len);
    if (st != GOLD_OK) {
        gold_wipe(esp, need);
        return st;
    }
    *esp_len = need;
    return GOLD_OK;
}

/* Everything gold_esp_open checks, in the receiver's order; the plaintext goes to a private
 * buffer so that nothing reaches the caller before the tag and trailer are checked. */
static enum gold_status open_checked(const struct gold_sa *sa, uint32_t seq_hi,
                                     const uint8_t *esp, size_t esp_len, uint8_t *payload,
                                     size_t payload_cap, size_t *payload_len,
                                     uint8_t *next_header, uint32_t *sn_low)
{
    if (esp_len < GOLD_SPI_LEN + GOLD_SN_LEN)
        return GOLD_E_TRUNCATED;
    uint32_t sn_lo = gold_ld32(esp + 4);
    if (sn_low != NULL)
        *sn_low = sn_lo;
    if (gold_ld32(esp) != sa->spi)
        return GOLD_E_SPI;
    if (esp_len < GOLD_ESP_HDR_LEN + ESP_MIN_CT + sa->icv_len)
        return GOLD_E_TRUNCATED;
    size_t ct_len = esp_len - GOLD_ESP_HDR_LEN - sa->icv_len;
    if (ct_len % 4 != 0)
        return GOLD_E_BAD_LENGTH; /* RFC 4303 s2.4: the ciphertext ends on a 4-byte boundary */

    uint8_t aad[12], nonce[12];
    size_t aad_len = build_aad(sa, seq_hi, sn_lo, aad);
    build_nonce(sa, esp + 8, nonce);
    uint8_t *pt = malloc(ct_len);
    if (pt == NULL)
        return GOLD_E_CRYPTO;
    enum gold_status st =
        gold_gcm_decrypt(sa->key, sa->key_len, nonce, sizeof nonce, aad, aad_len,
                         esp + GOLD_ESP_HDR_LEN, ct_len, esp + GOLD_ESP_HDR_LEN + ct_len,
                         sa->icv_len, pt);
    if (st == GOLD_OK) {
        size_t pad = pt[ct_len - 2];
        uint8_t nh = pt[ct_len - 1];
        size_t plen = 0;
        if (pad > ct_len - ESP_TRAILER) {
            st = GOLD_E_BAD_PAD; /* the pad would reach back past the start of the payload */
        } else {
            plen = ct_len - ESP_TRAILER - pad;
            for (size_t i = 0; i < pad && st == GOLD_OK; i++)
                if (pt[plen + i] != (uint8_t)(i + 1))
                    st = GOLD_E_BAD_PAD;
        }
        if (st == GOLD_OK && nh == GOLD_IP_PROTO_NONE)
            st = GOLD_E_DUMMY; /* RFC 4303 s2.6: verified, then dropped */
        if (st == GOLD_OK && plen > payload_cap)
            st = GOLD_E_NOSPACE;
        if (st == GOLD_OK) {
            if (plen != 0)
                memcpy(payload, pt, plen);
            *payload_len = plen;
            *next_header = nh;
        }
    }
    OPENSSL_cleanse(pt, ct_len);
    free(pt);
    return st;
}

enum gold_status gold_esp_open(const struct gold_sa *sa, uint32_t seq_hi, const uint8_t *esp,
                               size_t esp_len, uint8_t *payload, size_t payload_cap,
                               size_t *payload_len, uint8_t *next_header, uint32_t *sn_low)
{
    if (payload_len != NULL)
        *payload_len = 0;
    if (next_header != NULL)
        *next_header = 0;
    if (sn_low != NULL)
        *sn_low = 0;
    enum gold_status st = GOLD_E_PARAM;
    if (gold_sa_check(sa) == GOLD_OK && (esp != NULL || esp_len == 0) &&
        (payload != NULL || payload_cap == 0) && payload_len != NULL && next_header != NULL)
        st = open_checked(sa, seq_hi, esp, esp_len, payload, payload_cap, payload_len,
                          next_header, sn_low);
    if (st != GOLD_OK)
        gold_wipe(payload, payload_cap);
    return st;
}

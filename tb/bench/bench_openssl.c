/* bench_openssl.c - the reference: raw OpenSSL AES-128-GCM on the bench's packets, measured in
 * the same run as the model (see bench.h).
 *
 * One EVP_CIPHER_CTX, keyed once and never re-keyed; per packet: 12-byte nonce (salt || 8-byte
 * counter), 8 bytes of AAD (SPI || SN), the whole IP packet as plaintext, 16-byte tag, out of
 * place. That is what the model's FAST GCM unit does per job, without the device around it.
 * The context lives from bench_openssl_open to bench_openssl_close, so that bench_main.c can
 * take its measurements in turn with the model's (each at least min_time seconds of wall clock).
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "bench.h"

#define CHECK_EVERY 16u /* packets between clock reads */

static void nonce_for(uint8_t nonce[12], const uint8_t salt[4], uint64_t i)
{
    memcpy(nonce, salt, 4);
    for (int b = 0; b < 8; b++)
        nonce[4 + b] = (uint8_t)(i >> (56 - 8 * b));
}

/* One packet; the exact call sequence of the model's FAST unit (gcm_unit.c fast_run). */
static int seal(EVP_CIPHER_CTX *x, const uint8_t nonce[12], const uint8_t aad[8],
                const uint8_t *pt, int len, uint8_t *ct, uint8_t tag[16])
{
    int n = 0, ok = 1;
    ok &= EVP_EncryptInit_ex(x, NULL, NULL, NULL, nonce) == 1;
    ok &= EVP_EncryptUpdate(x, NULL, &n, aad, 8) == 1;
    ok &= EVP_EncryptUpdate(x, ct, &n, pt, len) == 1;
    ok &= EVP_EncryptFinal_ex(x, ct + n, &n) == 1;
    ok &= EVP_CIPHER_CTX_ctrl(x, EVP_CTRL_GCM_GET_TAG, 16, tag) == 1;
    return ok ? 0 : -1;
}

/* The reference must itself be right: packet 0 against the golden library. */
static int self_check(EVP_CIPHER_CTX *x, const struct bench_traffic *t, uint8_t *ct,
                      uint8_t *gct)
{
    uint8_t nonce[12], aad[8] = {0, 0, 1, 0, 0, 0, 0, 1}, tag[16], gtag[16];
    nonce_for(nonce, t->keymat + 16, 1);
    if (seal(x, nonce, aad, bench_traffic_pkt(t, 0), (int)t->size, ct, tag))
        return -1;
    if (gold_gcm_encrypt(t->keymat, 16, nonce, 12, aad, 8, bench_traffic_pkt(t, 0), t->size, gct,
                         gtag, 16) != GOLD_OK)
        return -1;
    return memcmp(ct, gct, t->size) || memcmp(tag, gtag, 16) ? -1 : 0;
}

struct bench_ossl {
    const struct bench_traffic *t;
    EVP_CIPHER_CTX *x;
    uint8_t *ct;
    uint64_t seq;   /* packets sealed so far: the nonce counter and the packet index */
};

void bench_openssl_close(struct bench_ossl *b)
{
    if (!b)
        return;
    EVP_CIPHER_CTX_free(b->x);
    free(b->ct);
    free(b);
}

struct bench_ossl *bench_openssl_open(const struct bench_traffic *t, char *err, size_t errlen)
{
    struct bench_ossl *b = calloc(1, sizeof(*b));
    uint8_t *gct = malloc(t->size + 16);
    if (b) {
        b->t = t;
        b->x = EVP_CIPHER_CTX_new();
        b->ct = malloc(t->size + 16);
    }
    if (!b || !gct || !b->x || !b->ct ||
        EVP_EncryptInit_ex(b->x, EVP_aes_128_gcm(), NULL, t->keymat, NULL) != 1) {
        snprintf(err, errlen, "openssl: cannot set up an AES-128-GCM context");
        goto fail;
    }
    if (self_check(b->x, t, b->ct, gct)) {
        snprintf(err, errlen, "openssl: %u-byte packet does not match the golden library",
                 t->size);
        goto fail;
    }
    free(gct);
    return b;
fail:
    free(gct);
    bench_openssl_close(b);
    return NULL;
}

int bench_openssl_measure(struct bench_ossl *b, double min_time, struct bench_rate *r,
                          char *err, size_t errlen)
{
    const struct bench_traffic *t = b->t;
    uint8_t aad[8] = {0, 0, 1, 0, 0, 0, 0, 0}, nonce[12], tag[16];
    uint64_t n = 0;
    double t0 = bench_now(), el = 0;
    do {
        for (unsigned k = 0; k < CHECK_EVERY; k++, n++, b->seq++) {
            nonce_for(nonce, t->keymat + 16, b->seq);
            memcpy(aad + 4, nonce + 8, 4);
            if (seal(b->x, nonce, aad, bench_traffic_pkt(t, b->seq), (int)t->size, b->ct,
                     tag)) {
                snprintf(err, errlen, "openssl: EVP encrypt failed");
                return -1;
            }
        }
        el = bench_now() - t0;
    } while (el < min_time);
    r->pps = (double)n / el;
    r->mbps = r->pps * t->size / 1e6;
    r->packets = n;
    return 0;
}

/* bench_check.c - the bench never measures a broken model: sampled wire frames are compared
 * byte for byte with the golden library's encapsulation and decrypted back with gold_decap
 * (see bench.h). The model's TX SA starts at SN 0, so frame k (wire order) carries SN k + 1 and
 * IV = SN as 8 big-endian bytes, like the device's packet offload. */
#include <string.h>

#include "bench.h"

#define CHECK_BUF (9216u + GOLD_ENCAP_OVERHEAD)

int bench_check_sa(const struct bench_traffic *t, struct gold_sa *sa)
{
    return gold_sa_init(sa, t->keymat, sizeof(t->keymat), BENCH_SPI, 16) == GOLD_OK ? 0 : -1;
}

int bench_check_frame(const struct gold_sa *sa, const struct bench_traffic *t, uint64_t k,
                      const uint8_t *frame, size_t len, char *err, size_t errlen)
{
    static uint8_t exp[CHECK_BUF], back[CHECK_BUF];
    const uint8_t *pkt = bench_traffic_pkt(t, k);
    uint64_t sn = k + 1;
    uint8_t iv[8];
    for (int b = 0; b < 8; b++)
        iv[b] = (uint8_t)(sn >> (56 - 8 * b));
    size_t elen = 0, blen = 0;
    enum gold_status s = gold_decap(sa, 0, frame, len, back, sizeof(back), &blen);
    if (s != GOLD_OK) {
        snprintf(err, errlen, "model output does not verify: %u-byte frame %llu: gold_decap %s",
                 t->size, (unsigned long long)k, gold_status_name(s));
        return -1;
    }
    if (blen != t->size || memcmp(back, pkt, blen)) {
        snprintf(err, errlen, "model output does not verify: %u-byte frame %llu decrypts to "
                 "another packet", t->size, (unsigned long long)k);
        return -1;
    }
    if (gold_encap(sa, sn, iv, pkt, t->size, exp, sizeof(exp), &elen) != GOLD_OK || elen != len ||
        memcmp(exp, frame, len)) {
        snprintf(err, errlen, "model output does not verify: %u-byte frame %llu differs from "
                 "gold_encap (SN %llu)", t->size, (unsigned long long)k, (unsigned long long)sn);
        return -1;
    }
    return 0;
}

/* bench_traffic.c - the bench's traffic: BENCH_NPKT seeded IPv4 UDP packets of one size from
 * pktgen, and the AES-128 key material shared by the OpenSSL reference and the model's SA
 * (see bench.h). */
#include <stdlib.h>

#include "bench.h"
#include "pktgen.h"

int bench_traffic_make(struct bench_traffic *t, uint32_t size, uint64_t seed)
{
    struct pktgen g;
    pktgen_seed(&g, seed);
    t->size = size;
    t->buf = malloc((size_t)BENCH_NPKT * size);
    if (!t->buf)
        return -1;
    for (unsigned i = 0; i < BENCH_NPKT; i++)
        if (pktgen_ip(&g, t->buf + (size_t)i * size, size, false, 0, pktgen_below(&g, 1u << 30)) !=
            size)
            return -1;
    pktgen_bytes(&g, t->keymat, sizeof(t->keymat));
    return 0;
}

void bench_traffic_free(struct bench_traffic *t)
{
    free(t->buf);
    t->buf = NULL;
}

const uint8_t *bench_traffic_pkt(const struct bench_traffic *t, uint64_t i)
{
    return t->buf + (size_t)(i % BENCH_NPKT) * t->size;
}

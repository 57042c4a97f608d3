/* pktgen.c - seeded plain IP packet generator (see pktgen.h). */
#include "pktgen.h"

#include <string.h>

void pktgen_seed(struct pktgen *g, uint64_t seed)
{
    g->s = seed ? seed : 0x9e3779b97f4a7c15ull;
}

uint64_t pktgen_u64(struct pktgen *g)
{
    g->s ^= g->s >> 12;
    g->s ^= g->s << 25;
    g->s ^= g->s >> 27;
    return g->s * 0x2545f4914f6cdd1dull;
}

uint32_t pktgen_below(struct pktgen *g, uint32_t n)
{
    return (uint32_t)(pktgen_u64(g) % n);
}

void pktgen_bytes(struct pktgen *g, uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)(pktgen_u64(g) >> 32);
}

uint32_t pktgen_imix(struct pktgen *g)
{
    uint32_t r = pktgen_below(g, 12);
    return r < 7 ? 64 : r < 11 ? 576 : 1500;
}

static void st16(uint8_t *b, uint32_t v)
{
    b[0] = (uint8_t)(v >> 8);
    b[1] = (uint8_t)v;
}

size_t pktgen_ip(struct pktgen *g, uint8_t *out, size_t len, bool v6, unsigned opt_words,
                 uint32_t flow)
{
    if (opt_words > 10)
        opt_words = 10;
    size_t hdr = v6 ? 40 : 20 + 4 * opt_words;
    if (len < hdr + 8)
        len = hdr + 8;
    memset(out, 0, hdr + 8);
    if (v6) {
        out[0] = 0x60;
        st16(out + 4, (uint32_t)(len - 40));
        out[6] = 17;
        out[7] = 64;
        static const uint8_t pfx[4] = {0x20, 0x01, 0x0d, 0xb8};
        memcpy(out + 8, pfx, 4);
        st16(out + 22, flow & 0xffff);
        memcpy(out + 24, pfx, 4);
        st16(out + 38, (flow >> 16) + 1);
    } else {
        out[0] = (uint8_t)(0x40 | (hdr / 4));
        out[1] = (uint8_t)pktgen_below(g, 256) & 0xfc; /* DSCP random, ECN 0 */
        st16(out + 2, (uint32_t)len);
        st16(out + 4, pktgen_below(g, 65536));
        out[6] = pktgen_below(g, 2) ? 0x40 : 0; /* DF sometimes */
        out[8] = 64;
        out[9] = 17;
        out[12] = 10;
        out[14] = (uint8_t)(flow >> 8);
        out[15] = (uint8_t)flow;
        out[16] = 10;
        out[17] = 1;
        out[18] = (uint8_t)(flow >> 24);
        out[19] = (uint8_t)(flow >> 16);
        for (unsigned i = 0; i < 4 * opt_words; i++)
            out[20 + i] = 1; /* NOP */
        uint32_t sum = 0;
        for (size_t i = 0; i < hdr; i += 2)
            sum += (uint32_t)out[i] << 8 | out[i + 1];
        while (sum >> 16)
            sum = (sum & 0xffff) + (sum >> 16);
        st16(out + 10, ~sum & 0xffff);
    }
    /* UDP header + payload */
    uint8_t *u = out + hdr;
    st16(u, 1000 + (flow & 0xff));
    st16(u + 2, 5001); /* not 4500: that is UDP-encapsulated ESP (RFC 3948) to a dissector */
    st16(u + 4, (uint32_t)(len - hdr));
    pktgen_bytes(g, u + 8, len - hdr - 8);
    return len;
}

/* esp_host.c - what a host stack does around a crypto-offload card (contract in esp_host.h). */
#include "esp_host.h"

#include <stdlib.h>
#include <string.h>

static const uint8_t wrap_src[4] = {192, 0, 2, 1}; /* RFC 5737 TEST-NET-1 */
static const uint8_t wrap_dst[4] = {192, 0, 2, 2};

unsigned sa_align(const struct gold_sa *sa) { return sa->align ? sa->align : 4u; }

/* A 20-byte IPv4 header (no options, checksum set) for a packet of `total` bytes. */
void put_v4(uint8_t *f, uint8_t proto, size_t total)
{
    memset(f, 0, V4_HDR);
    f[0] = 0x45;
    st16(f + 2, (uint32_t)total);
    f[8] = 64;
    f[9] = proto;
    memcpy(f + 12, wrap_src, 4);
    memcpy(f + 16, wrap_dst, 4);
    uint32_t sum = 0;
    for (unsigned i = 0; i < V4_HDR; i += 2)
        sum += ld16(f + i);
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    st16(f + 10, ~sum & 0xffff);
}

/* `body` behind such a header; NULL when out of memory. */
uint8_t *wrap_v4(uint8_t proto, const uint8_t *body, size_t body_len, size_t *len)
{
    uint8_t *f = malloc(V4_HDR + body_len);
    if (f == NULL)
        return NULL;
    put_v4(f, proto, V4_HDR + body_len);
    if (body_len)
        memcpy(f + V4_HDR, body, body_len);
    *len = V4_HDR + body_len;
    return f;
}

/* ---- where ESP is (RX) and where it goes (TX) -------------------------------------------- */

bool v6_ext(uint8_t nh) { return nh == 0 || nh == 43 || nh == 44 || nh == 60; }

/* Length of the IPv6 extension header at `off` (fragment headers are 8 bytes). */
size_t v6_ext_len(const uint8_t *p, size_t off, uint8_t nh)
{
    return nh == 44 ? 8u : ((size_t)p[off + 1] + 1u) * 8u;
}

/* The ESP header of an IP packet, by the length rules the device's parser applies: GOLD_OK,
 * GOLD_E_TRUNCATED, GOLD_E_BAD_HEADER or GOLD_E_NOT_ESP. */
int locate_esp(const uint8_t *p, size_t len, struct esp_loc *l)
{
    l->esp_off = l->ip_len = 0;
    if (len == 0 || (p[0] >> 4 != 4 && p[0] >> 4 != 6))
        return GOLD_E_NOT_ESP;
    if (p[0] >> 4 == 4) {
        size_t ihl = (size_t)(p[0] & 15u) * 4u;
        if (len < V4_HDR)
            return GOLD_E_TRUNCATED;
        if (ihl < V4_HDR || ld16(p + 2) < ihl)
            return GOLD_E_BAD_HEADER;
        if (ihl > len || ld16(p + 2) > len)
            return GOLD_E_TRUNCATED;
        l->esp_off = ihl;
        l->ip_len = ld16(p + 2);
        return p[9] == PROTO_ESP ? GOLD_OK : GOLD_E_NOT_ESP;
    }
    if (len < V6_HDR)
        return GOLD_E_TRUNCATED;
    l->ip_len = V6_HDR + ld16(p + 4);
    if (l->ip_len > len)
        return GOLD_E_TRUNCATED;
    uint8_t nh = p[6];
    size_t off = V6_HDR;
    while (v6_ext(nh)) {
        if (off + 8u > l->ip_len)
            return GOLD_E_TRUNCATED;
        size_t hl = v6_ext_len(p, off, nh);
        nh = p[off];
        off += hl;
    }
    l->esp_off = off;
    if (off > l->ip_len)
        return GOLD_E_TRUNCATED;
    return nh == PROTO_ESP ? GOLD_OK : GOLD_E_NOT_ESP;
}

/* Transport mode: the bytes that stay in front of ESP and the next header of what follows
 * (IPv4: the header with options; IPv6: hop-by-hop, routing, fragment headers and destination
 * options in front of one of them). 0, or -1 for a packet too short to walk. */
int plain_split(const uint8_t *p, size_t len, size_t *keep, uint8_t *nh_out)
{
    if (len >= V4_HDR && p[0] >> 4 == 4) {
        *keep = (size_t)(p[0] & 15u) * 4u;
        *nh_out = p[9];
        return *keep <= len ? 0 : -1;
    }
    if (len < V6_HDR || p[0] >> 4 != 6)
        return -1;
    uint8_t nh = p[6];
    size_t off = V6_HDR;
    *keep = off;
    *nh_out = nh;
    while (v6_ext(nh)) {
        if (off + 8u > len)
            return -1;
        size_t hl = v6_ext_len(p, off, nh);
        bool stays = nh != 60; /* destination options stay only in front of a later one */
        nh = p[off];
        off += hl;
        if (stays) {
            *keep = off;
            *nh_out = nh;
        }
    }
    return *keep <= len ? 0 : -1;
}


/* Plaintext ESP from `hdr` on: SPI | SN-low | IV | payload | pad | pad length | nh | 0 x ICV. */
size_t put_esp_plain(uint8_t *e, const struct gold_sa *sa, uint64_t sn,
                            const uint8_t iv[8], const uint8_t *payload, size_t plen, uint8_t nh)
{
    unsigned a = sa_align(sa);
    size_t pad = (a - (plen + 2u) % a) % a;
    st32(e, sa->spi);
    st32(e + 4, (uint32_t)sn);
    memcpy(e + 8, iv, 8);
    uint8_t *ct = e + ESP_HDR_IV;
    if (plen)
        memmove(ct, payload, plen);
    for (size_t i = 0; i < pad; i++)
        ct[plen + i] = (uint8_t)(i + 1);
    ct[plen + pad] = (uint8_t)pad;
    ct[plen + pad + 1] = nh;
    memset(ct + plen + pad + 2, 0, sa->icv_len);
    return ESP_HDR_IV + plen + pad + 2 + sa->icv_len;
}


/* The crypto-offload frame of an IP packet: the host stack's headers (the golden library's
 * encapsulation) with the plaintext payload and trailer in place of the ciphertext and zeros in
 * place of the ICV. GOLD_OK and *frame (malloc'd), or the stack's refusal. */
int crypto_frame(const struct gold_sa *sa, uint64_t sn, const uint8_t iv[8],
                        const uint8_t *pkt, size_t len, uint8_t **frame, size_t *flen)
{
    size_t cap = len + GOLD_ENCAP_OVERHEAD + sa_align(sa);
    uint8_t *g = malloc(cap);
    size_t glen = 0, keep;
    uint8_t nh;
    if (g == NULL)
        return GOLD_E_CRYPTO;
    int st = gold_encap(sa, sn, iv, pkt, len, g, cap, &glen);
    if (st != GOLD_OK) {
        free(g);
        return st;
    }
    const uint8_t *payload = pkt;
    size_t plen = len;
    if (sa->mode == GOLD_TUNNEL) {
        keep = sa->outer_v6 ? V6_HDR : V4_HDR;
        nh = pkt[0] >> 4 == 6 ? 41 : 4;
    } else if (plain_split(pkt, len, &keep, &nh) == 0) {
        payload = pkt + keep;
        plen = len - keep;
    } else {
        free(g);
        return GOLD_E_CRYPTO;
    }
    /* the plaintext ESP must take exactly the room the stack made for it */
    if (put_esp_plain(g + keep, sa, sn, iv, payload, plen, nh) != glen - keep) {
        free(g);
        return GOLD_E_CRYPTO;
    }
    *frame = g;
    *flen = glen;
    return GOLD_OK;
}

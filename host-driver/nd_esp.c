/* nd_esp.c - ESP header/trailer build and strip for crypto offload (nd_esp.h). */
#include "nd_esp.h"

#include <errno.h>
#include <string.h>

#include "nd_ip.h"

#define OUTER_TTL 64u

static void st16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static void st32(uint8_t *p, uint32_t v)
{
    st16(p, (uint16_t)(v >> 16));
    st16(p + 2, (uint16_t)v);
}

static uint32_t ld32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

size_t nd_esp_overhead(const struct nd_esp_sa *sa)
{
    size_t outer = sa->tunnel ? (sa->outer_v6 ? 40u : 20u) : 0u;
    return outer + ND_ESP_HDR_IV + 3u + 2u + sa->icv_len;
}

static void outer_header(const struct nd_esp_sa *sa, const struct nd_ip *in, size_t total,
                         uint8_t *h)
{
    if (sa->outer_v6) {
        memset(h, 0, 40);
        h[0] = (uint8_t)(0x60 | in->tos >> 4);
        h[1] = (uint8_t)((in->tos & 15u) << 4);
        st16(h + 4, (uint16_t)(total - 40));
        h[6] = ND_IPPROTO_ESP;
        h[7] = OUTER_TTL;
        memcpy(h + 8, sa->outer_src, 16);
        memcpy(h + 24, sa->outer_dst, 16);
        return;
    }
    memset(h, 0, 20);
    h[0] = 0x45;
    h[1] = in->tos;
    st16(h + 2, (uint16_t)total);
    st16(h + 6, in->version == 4 && in->df ? 0x4000 : 0);
    h[8] = OUTER_TTL;
    h[9] = ND_IPPROTO_ESP;
    memcpy(h + 12, sa->outer_src, 4);
    memcpy(h + 16, sa->outer_dst, 4);
    st16(h + 10, nd_ip_csum(h, 20));
}

int nd_esp_build(const struct nd_esp_sa *sa, uint64_t sn, const uint8_t *pkt, size_t len,
                 uint8_t *out, size_t out_cap, size_t *out_len)
{
    struct nd_ip in;
    *out_len = 0;
    if (nd_ip_parse(pkt, len, false, &in))
        return -EINVAL;
    size_t hdr, plen;
    const uint8_t *payload;
    uint8_t nh;
    if (sa->tunnel) {
        hdr = sa->outer_v6 ? 40 : 20;
        payload = pkt;
        plen = len;
        nh = in.version == 4 ? ND_IPPROTO_IPIP : ND_IPPROTO_IPV6;
    } else {
        if (in.ext)
            return -EINVAL; /* the stack would place ESP after them; not offloaded here */
        hdr = in.hdr_len;
        payload = pkt + hdr;
        plen = len - hdr;
        nh = in.proto;
    }
    size_t pad = (4 - (plen + 2) % 4) % 4;
    size_t total = hdr + ND_ESP_HDR_IV + plen + pad + 2 + sa->icv_len;
    bool outer6 = sa->tunnel ? sa->outer_v6 : in.version == 6;
    if (total > out_cap || total - (outer6 ? 40 : 0) > 65535)
        return -EMSGSIZE;
    uint8_t *esp = out + hdr, *ct = esp + ND_ESP_HDR_IV;
    memmove(ct, payload, plen); /* first: payload may not overlap out, but keep it safe */
    if (sa->tunnel) {
        outer_header(sa, &in, total, out);
    } else {
        memcpy(out, pkt, hdr);
        out[in.nh_off] = ND_IPPROTO_ESP;
        nd_ip_set_len(out, in.version, total);
    }
    st32(esp, sa->spi);
    st32(esp + 4, (uint32_t)sn);
    st32(esp + 8, (uint32_t)(sn >> 32));
    st32(esp + 12, (uint32_t)sn);
    for (size_t i = 0; i < pad; i++)
        ct[plen + i] = (uint8_t)(i + 1);
    ct[plen + pad] = (uint8_t)pad;
    ct[plen + pad + 1] = nh;
    memset(ct + plen + pad + 2, 0, sa->icv_len);
    *out_len = total;
    return 0;
}

int nd_esp_locate(const uint8_t *pkt, size_t len, size_t *esp_off, uint32_t *spi,
                  uint32_t *sn_low)
{
    struct nd_ip ip;
    if (nd_ip_parse(pkt, len, true, &ip) || ip.proto != ND_IPPROTO_ESP ||
        ip.hdr_len + 8 > len)
        return -EINVAL;
    *esp_off = ip.hdr_len;
    *spi = ld32(pkt + ip.hdr_len);
    *sn_low = ld32(pkt + ip.hdr_len + 4);
    return 0;
}

int nd_esp_strip(const struct nd_esp_sa *sa, uint8_t *pkt, size_t len, size_t *out_len)
{
    struct nd_ip ip;
    *out_len = 0;
    if (nd_ip_parse(pkt, len, true, &ip) || ip.proto != ND_IPPROTO_ESP)
        return -EINVAL;
    size_t esp = ip.hdr_len;
    if (len < esp + ND_ESP_HDR_IV + 4u + sa->icv_len)
        return -EINVAL;
    size_t ct_len = len - esp - ND_ESP_HDR_IV - sa->icv_len;
    if (ct_len % 4)
        return -EINVAL;
    uint8_t *ct = pkt + esp + ND_ESP_HDR_IV;
    uint8_t pad = ct[ct_len - 2], nh = ct[ct_len - 1];
    if ((size_t)pad + 2 > ct_len)
        return -EINVAL;
    size_t plen = ct_len - pad - 2;
    for (size_t i = 0; i < pad; i++)
        if (ct[plen + i] != (uint8_t)(i + 1))
            return -EINVAL;
    if (nh == ND_IPPROTO_NONE)
        return -ENODATA;
    if (sa->tunnel) {
        if (nh != ND_IPPROTO_IPIP && nh != ND_IPPROTO_IPV6)
            return -EINVAL;
        memmove(pkt, ct, plen);
        struct nd_ip inner;
        if (nd_ip_parse(pkt, plen, false, &inner) ||
            inner.version != (nh == ND_IPPROTO_IPIP ? 4u : 6u))
            return -EINVAL;
        *out_len = plen;
        return 0;
    }
    memmove(pkt + esp, ct, plen);
    pkt[ip.nh_off] = nh;
    nd_ip_set_len(pkt, ip.version, esp + plen);
    *out_len = esp + plen;
    return 0;
}

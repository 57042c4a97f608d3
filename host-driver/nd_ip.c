/* nd_ip.c - IP header parsing and fix-ups for the shim's ESP code (nd_ip.h). */
#include "nd_ip.h"

#include <errno.h>

static uint16_t ld16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static void st16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

uint16_t nd_ip_csum(const uint8_t *h, size_t len)
{
    uint32_t sum = 0;
    for (size_t i = 0; i + 1 < len; i += 2)
        sum += ld16(h + i);
    while (sum >> 16)
        sum = (sum & 0xffffu) + (sum >> 16);
    return (uint16_t)~sum;
}

void nd_ip_set_len(uint8_t *pkt, unsigned version, size_t total)
{
    if (version == 4) {
        size_t ihl = (size_t)(pkt[0] & 15u) * 4;
        st16(pkt + 2, (uint16_t)total);
        st16(pkt + 10, 0);
        st16(pkt + 10, nd_ip_csum(pkt, ihl));
    } else {
        st16(pkt + 4, (uint16_t)(total - 40));
    }
}

static bool is_walkable_ext(uint8_t nh)
{
    return nh == 0 || nh == 43 || nh == 60; /* hop-by-hop, routing, destination options */
}

static bool is_ext(uint8_t nh)
{
    return is_walkable_ext(nh) || nh == 44 || nh == 51 || nh == 135 || nh == 139 || nh == 140;
}

int nd_ip_parse(const uint8_t *pkt, size_t len, bool walk_ext, struct nd_ip *ip)
{
    if (!pkt || len < 20)
        return -EINVAL;
    ip->version = pkt[0] >> 4;
    ip->options = ip->ext = ip->df = false;
    if (ip->version == 4) {
        size_t ihl = (size_t)(pkt[0] & 15u) * 4;
        if (ihl < 20 || ihl > len || ld16(pkt + 2) != len)
            return -EINVAL;
        ip->hdr_len = ihl;
        ip->nh_off = 9;
        ip->proto = pkt[9];
        ip->options = ihl > 20;
        ip->tos = pkt[1];
        ip->df = (ld16(pkt + 6) & 0x4000u) != 0;
        ip->saddr = pkt + 12;
        ip->daddr = pkt + 16;
        return 0;
    }
    if (ip->version != 6 || len < 40 || (size_t)ld16(pkt + 4) + 40 != len)
        return -EINVAL;
    ip->tos = (uint8_t)((pkt[0] & 15u) << 4 | pkt[1] >> 4);
    ip->saddr = pkt + 8;
    ip->daddr = pkt + 24;
    ip->hdr_len = 40;
    ip->nh_off = 6;
    ip->proto = pkt[6];
    ip->ext = is_ext(ip->proto);
    /* an atomic fragment header (offset 0, M clear: RFC 6946) is walked like the others; a
     * real fragment ends the walk (its protocol is then 44) */
    while (walk_ext && (is_walkable_ext(ip->proto) ||
                        (ip->proto == 44 && ip->hdr_len + 8 <= len &&
                         (ld16(pkt + ip->hdr_len + 2) & 0xfff9u) == 0))) {
        if (ip->hdr_len + 8 > len)
            return -EINVAL;
        size_t el = ip->proto == 44 ? 8u : ((size_t)pkt[ip->hdr_len + 1] + 1) * 8;
        if (ip->hdr_len + el > len)
            return -EINVAL;
        ip->nh_off = ip->hdr_len;
        ip->proto = pkt[ip->hdr_len];
        ip->hdr_len += el;
    }
    return 0;
}

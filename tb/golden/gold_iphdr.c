/* gold_iphdr.c - IPv4 / IPv6 header parsing, length rewriting and the IPv4 header checksum.
 *
 * Every read is preceded by a length check against the buffer, so a malformed packet ends in a
 * status, never in a read past its end. IPv6 extension headers are walked with the RFC 8200
 * generic layout (next header, length in 8-byte units beyond the first 8); the fragment header
 * is the one fixed-size exception.
 */
#include "gold_priv.h"

#define NH_HOP 0u
#define NH_ROUTING 43u
#define NH_FRAGMENT 44u
#define NH_DSTOPTS 60u

uint16_t gold_ipv4_csum(const uint8_t *hdr, size_t hdr_len)
{
    uint32_t sum = 0;
    for (size_t i = 0; i + 1 < hdr_len; i += 2)
        sum += gold_ld16(hdr + i);
    while (sum >> 16)
        sum = (sum & 0xffffu) + (sum >> 16);
    return (uint16_t)~sum;
}

enum gold_status gold_ip_set_len(uint8_t *pkt, const struct gold_ip *ip, size_t total)
{
    if (ip->version == 4) {
        if (total > GOLD_IP_MAX_LEN)
            return GOLD_E_BAD_LENGTH;
        gold_st16(pkt + 2, (uint16_t)total);
        gold_st16(pkt + 10, 0);
        gold_st16(pkt + 10, gold_ipv4_csum(pkt, ip->hdr_len));
        return GOLD_OK;
    }
    /* No jumbograms (RFC 2675): the payload length must fit its 16-bit field. */
    if (total < GOLD_IPV6_HDR_LEN || total - GOLD_IPV6_HDR_LEN > GOLD_IP_MAX_LEN)
        return GOLD_E_BAD_LENGTH;
    gold_st16(pkt + 4, (uint16_t)(total - GOLD_IPV6_HDR_LEN));
    return GOLD_OK;
}

static enum gold_status parse_v4(const uint8_t *pkt, size_t len, bool verify_csum,
                                 struct gold_ip *ip)
{
    if (len < GOLD_IPV4_HDR_LEN)
        return GOLD_E_TRUNCATED;
    size_t ihl = (size_t)(pkt[0] & 0x0f) * 4;
    if (ihl < GOLD_IPV4_HDR_LEN)
        return GOLD_E_BAD_HEADER;
    if (len < ihl)
        return GOLD_E_TRUNCATED;
    if (gold_ld16(pkt + 2) != len)
        return GOLD_E_BAD_LENGTH;
    if (verify_csum && gold_ipv4_csum(pkt, ihl) != 0)
        return GOLD_E_BAD_HEADER;
    ip->version = 4;
    ip->hdr_len = ihl;
    ip->split = ihl; /* options stay with the header */
    ip->nh_off = 9;
    ip->tos = pkt[1];
    ip->df = (pkt[6] & 0x40) != 0;
    return GOLD_OK;
}

static bool is_v6_ext(uint8_t nh)
{
    return nh == NH_HOP || nh == NH_ROUTING || nh == NH_FRAGMENT || nh == NH_DSTOPTS;
}

/* Walk the extension headers after the fixed IPv6 header. For GOLD_WALK_SPLIT the split lands
 * after the last hop-by-hop, routing or fragment header, so destination options in front of a
 * routing header stay in front while final destination options are encrypted (RFC 4303 s3.1.1,
 * figure for IPv6 transport mode). For GOLD_WALK_TO_ESP it lands on the first header that is not
 * an extension header (ESP, when the packet is ours). */
static enum gold_status walk_v6(const uint8_t *pkt, size_t len, enum gold_walk walk,
                                struct gold_ip *ip)
{
    size_t off = GOLD_IPV6_HDR_LEN, nh_off = 6;
    ip->split = off;
    ip->nh_off = nh_off;
    while (is_v6_ext(pkt[nh_off])) {
        uint8_t type = pkt[nh_off];
        if (type == NH_HOP && nh_off != 6)
            return GOLD_E_BAD_HEADER; /* RFC 8200 s4.3: only right after the IPv6 header */
        if (len - off < 8)
            return GOLD_E_TRUNCATED;
        size_t ext_len = type == NH_FRAGMENT ? 8u : ((size_t)pkt[off + 1] + 1) * 8;
        if (len - off < ext_len)
            return GOLD_E_TRUNCATED;
        nh_off = off;
        off += ext_len;
        if (walk == GOLD_WALK_TO_ESP || type != NH_DSTOPTS) {
            ip->split = off;
            ip->nh_off = nh_off;
        }
    }
    return GOLD_OK;
}

static enum gold_status parse_v6(const uint8_t *pkt, size_t len, enum gold_walk walk,
                                 struct gold_ip *ip)
{
    if (len < GOLD_IPV6_HDR_LEN)
        return GOLD_E_TRUNCATED;
    if ((size_t)gold_ld16(pkt + 4) + GOLD_IPV6_HDR_LEN != len)
        return GOLD_E_BAD_LENGTH;
    ip->version = 6;
    ip->hdr_len = GOLD_IPV6_HDR_LEN;
    ip->tos = (uint8_t)(((pkt[0] & 0x0f) << 4) | (pkt[1] >> 4));
    ip->df = false;
    ip->split = GOLD_IPV6_HDR_LEN;
    ip->nh_off = 6;
    if (walk == GOLD_WALK_NONE)
        return GOLD_OK;
    return walk_v6(pkt, len, walk, ip);
}

enum gold_status gold_ip_parse(const uint8_t *pkt, size_t len, enum gold_walk walk,
                               bool verify_csum, struct gold_ip *ip)
{
    if (len < 1)
        return GOLD_E_TRUNCATED;
    switch (pkt[0] >> 4) {
    case 4: return parse_v4(pkt, len, verify_csum, ip);
    case 6: return parse_v6(pkt, len, walk, ip);
    default: return GOLD_E_NOT_ESP;
    }
}

/* gold_tunnel.c - ESP tunnel mode (RFC 4303 s3.1.2): a new outer IP header around ESP.
 *
 * Outer header fields follow esp_golden.h: IPv4 with TOS copied from the inner packet, ID 0, DF
 * copied from an inner IPv4 packet, TTL 64; IPv6 with the traffic class copied, flow label 0 and
 * hop limit 64. The ESP next header is 4 (IPv4) or 41 (IPv6). Decap returns the inner packet
 * after checking that its version matches the next header and its length field matches what ESP
 * carried (the inner IPv4 checksum is the inner stack's business and is not checked here).
 */
#include <string.h>

#include "gold_priv.h"

#define OUTER_TTL 64u

static void build_outer_v4(const struct gold_sa *sa, const struct gold_ip *in, size_t total,
                           uint8_t *h)
{
    memset(h, 0, GOLD_IPV4_HDR_LEN);
    h[0] = 0x45;
    h[1] = in->tos;
    gold_st16(h + 2, (uint16_t)total);
    gold_st16(h + 4, 0); /* ID 0 */
    gold_st16(h + 6, in->df ? 0x4000 : 0);
    h[8] = OUTER_TTL;
    h[9] = GOLD_IP_PROTO_ESP;
    memcpy(h + 12, sa->outer_src, 4);
    memcpy(h + 16, sa->outer_dst, 4);
    gold_st16(h + 10, gold_ipv4_csum(h, GOLD_IPV4_HDR_LEN));
}

static void build_outer_v6(const struct gold_sa *sa, const struct gold_ip *in, size_t total,
                           uint8_t *h)
{
    memset(h, 0, GOLD_IPV6_HDR_LEN);
    h[0] = (uint8_t)(0x60 | (in->tos >> 4));
    h[1] = (uint8_t)((in->tos & 0x0f) << 4); /* flow label 0 */
    gold_st16(h + 4, (uint16_t)(total - GOLD_IPV6_HDR_LEN));
    h[6] = GOLD_IP_PROTO_ESP;
    h[7] = OUTER_TTL;
    memcpy(h + 8, sa->outer_src, 16);
    memcpy(h + 24, sa->outer_dst, 16);
}

enum gold_status gold_tunnel_encap(const struct gold_sa *sa, uint64_t sn, const uint8_t iv[8],
                                   const uint8_t *pkt, size_t pkt_len, uint8_t *out,
                                   size_t out_cap, size_t *out_len)
{
    struct gold_ip in;
    enum gold_status st = gold_ip_parse(pkt, pkt_len, GOLD_WALK_NONE, false, &in);
    if (st != GOLD_OK)
        return st;
    size_t hdr = sa->outer_v6 ? GOLD_IPV6_HDR_LEN : GOLD_IPV4_HDR_LEN;
    size_t esp_need = gold_esp_len(sa, pkt_len);
    if (esp_need == 0)
        return GOLD_E_PARAM;
    size_t total = hdr + esp_need;
    if (total - (sa->outer_v6 ? GOLD_IPV6_HDR_LEN : 0) > GOLD_IP_MAX_LEN)
        return GOLD_E_BAD_LENGTH;
    if (out_cap < total)
        return GOLD_E_NOSPACE;

    uint8_t nh = in.version == 4 ? GOLD_IP_PROTO_IPV4 : GOLD_IP_PROTO_IPV6;
    size_t esp_len = 0;
    st = gold_esp_seal(sa, sn, iv, pkt, pkt_len, nh, out + hdr, out_cap - hdr, &esp_len);
    if (st != GOLD_OK)
        return st;
    if (sa->outer_v6)
        build_outer_v6(sa, &in, total, out);
    else
        build_outer_v4(sa, &in, total, out);
    *out_len = total;
    return GOLD_OK;
}

enum gold_status gold_tunnel_decap(const struct gold_sa *sa, uint32_t seq_hi, const uint8_t *pkt,
                                   size_t pkt_len, uint8_t *out, size_t out_cap,
                                   size_t *out_len)
{
    struct gold_ip outer, in;
    enum gold_status st = gold_ip_parse(pkt, pkt_len, GOLD_WALK_TO_ESP, true, &outer);
    if (st != GOLD_OK)
        return st;
    if (pkt[outer.nh_off] != GOLD_IP_PROTO_ESP)
        return GOLD_E_NOT_ESP;

    size_t plen = 0;
    uint8_t nh = 0;
    st = gold_esp_open(sa, seq_hi, pkt + outer.split, pkt_len - outer.split, out, out_cap, &plen,
                       &nh, NULL);
    if (st != GOLD_OK)
        return st;
    if (nh != GOLD_IP_PROTO_IPV4 && nh != GOLD_IP_PROTO_IPV6)
        return GOLD_E_BAD_INNER;
    if (gold_ip_parse(out, plen, GOLD_WALK_NONE, false, &in) != GOLD_OK)
        return GOLD_E_BAD_INNER;
    if (in.version != (nh == GOLD_IP_PROTO_IPV4 ? 4u : 6u))
        return GOLD_E_BAD_INNER;
    *out_len = plen;
    return GOLD_OK;
}

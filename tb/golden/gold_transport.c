/* gold_transport.c - ESP transport mode (RFC 4303 s3.1.1) on whole IP packets.
 *
 * Encap: the IP header (IPv4 with its options; IPv6 with hop-by-hop, routing, fragment and the
 * destination options in front of a routing header) stays in front; what followed it becomes
 * the ESP payload and its protocol number becomes the ESP next header; the header then says 50,
 * and the lengths and the IPv4 checksum are recomputed. Decap undoes exactly that.
 */
#include <string.h>

#include "gold_priv.h"

enum gold_status gold_transport_encap(const struct gold_sa *sa, uint64_t sn, const uint8_t iv[8],
                                      const uint8_t *pkt, size_t pkt_len, uint8_t *out,
                                      size_t out_cap, size_t *out_len)
{
    struct gold_ip ip;
    enum gold_status st = gold_ip_parse(pkt, pkt_len, GOLD_WALK_SPLIT, false, &ip);
    if (st != GOLD_OK)
        return st;
    size_t esp_need = gold_esp_len(sa, pkt_len - ip.split);
    if (esp_need == 0)
        return GOLD_E_PARAM;
    size_t total = ip.split + esp_need;
    if (total - (ip.version == 6 ? GOLD_IPV6_HDR_LEN : 0) > GOLD_IP_MAX_LEN)
        return GOLD_E_BAD_LENGTH; /* the result would not fit its IP length field */
    if (out_cap < total)
        return GOLD_E_NOSPACE;

    size_t esp_len = 0;
    st = gold_esp_seal(sa, sn, iv, pkt + ip.split, pkt_len - ip.split, pkt[ip.nh_off],
                       out + ip.split, out_cap - ip.split, &esp_len);
    if (st != GOLD_OK)
        return st;
    memcpy(out, pkt, ip.split);
    out[ip.nh_off] = GOLD_IP_PROTO_ESP;
    st = gold_ip_set_len(out, &ip, total);
    if (st != GOLD_OK)
        return st;
    *out_len = total;
    return GOLD_OK;
}

enum gold_status gold_transport_decap(const struct gold_sa *sa, uint32_t seq_hi,
                                      const uint8_t *pkt, size_t pkt_len, uint8_t *out,
                                      size_t out_cap, size_t *out_len)
{
    struct gold_ip ip;
    enum gold_status st = gold_ip_parse(pkt, pkt_len, GOLD_WALK_TO_ESP, true, &ip);
    if (st != GOLD_OK)
        return st;
    if (pkt[ip.nh_off] != GOLD_IP_PROTO_ESP)
        return GOLD_E_NOT_ESP;
    if (out_cap < ip.split)
        return GOLD_E_NOSPACE;

    size_t plen = 0;
    uint8_t nh = 0;
    st = gold_esp_open(sa, seq_hi, pkt + ip.split, pkt_len - ip.split, out + ip.split,
                       out_cap - ip.split, &plen, &nh, NULL);
    if (st != GOLD_OK)
        return st;
    memcpy(out, pkt, ip.split);
    out[ip.nh_off] = nh;
    st = gold_ip_set_len(out, &ip, ip.split + plen); /* shrinks, so it always fits */
    if (st != GOLD_OK)
        return st;
    *out_len = ip.split + plen;
    return GOLD_OK;
}

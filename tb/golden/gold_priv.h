/* gold_priv.h - helpers shared by the golden library's source files; not part of the contract.
 *
 * Big-endian loads/stores (network order is written out byte by byte so that host endianness
 * and alignment never matter), SA validation, and the IP header parser that both the transport
 * and the tunnel paths use.
 */
#ifndef NICSIM_GOLD_PRIV_H
#define NICSIM_GOLD_PRIV_H

#include <string.h>

#include "esp_golden.h"

#define GOLD_IP_PROTO_IPV4 4u
#define GOLD_IP_PROTO_IPV6 41u
#define GOLD_IP_PROTO_ESP 50u
#define GOLD_IP_PROTO_NONE 59u
#define GOLD_IPV4_HDR_LEN 20u
#define GOLD_IPV6_HDR_LEN 40u
#define GOLD_IP_MAX_LEN 65535u /* largest IPv4 total length / IPv6 payload length */

static inline uint16_t gold_ld16(const uint8_t *p) { return (uint16_t)((p[0] << 8) | p[1]); }

static inline uint32_t gold_ld32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static inline void gold_st16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static inline void gold_st32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

/* Zero an output buffer; tolerates NULL with length 0 (memset(NULL, 0, 0) is undefined). */
static inline void gold_wipe(uint8_t *p, size_t len)
{
    if (p != NULL && len != 0)
        memset(p, 0, len);
}

/* GOLD_OK when every field of *sa is in range (key, ICV, mode, alignment); GOLD_E_PARAM else. */
enum gold_status gold_sa_check(const struct gold_sa *sa);
/* The alignment sealing uses: sa->align, or 4 when it is 0. */
unsigned gold_sa_align(const struct gold_sa *sa);

/* What the IP parser learned about one packet. For IPv6, `split` is the end of the headers that
 * stay in front of ESP (fixed header, hop-by-hop, routing, fragment and the destination options
 * that precede them) and `nh_off` the offset of the next-header byte that names what follows. */
struct gold_ip {
    unsigned version; /* 4 or 6 */
    size_t hdr_len;   /* IPv4: IHL * 4; IPv6: 40 */
    size_t split;     /* bytes kept in front of ESP in transport mode */
    size_t nh_off;    /* offset of the protocol / next-header byte naming the data at split */
    uint8_t tos;      /* IPv4 TOS or IPv6 traffic class */
    bool df;          /* IPv4 don't-fragment flag (false for IPv6) */
};

/* How far gold_ip_parse walks an IPv6 extension-header chain. */
enum gold_walk {
    GOLD_WALK_NONE,  /* fixed header only (tunnel inner packets are opaque past it)          */
    GOLD_WALK_SPLIT, /* encap: split after the last hop-by-hop / routing / fragment header   */
    GOLD_WALK_TO_ESP /* decap: skip extension headers up to the first non-extension header   */
};

/* Parse and validate an IP packet occupying exactly pkt[0..len). Statuses: TRUNCATED (buffer
 * shorter than a header it claims, extension headers included), BAD_HEADER (IHL < 5, hop-by-hop
 * not first, IPv4 header checksum wrong when verify_csum), BAD_LENGTH (total / payload length
 * differs from len), NOT_ESP (unknown IP version). */
enum gold_status gold_ip_parse(const uint8_t *pkt, size_t len, enum gold_walk walk,
                               bool verify_csum, struct gold_ip *ip);

/* Internet checksum (RFC 1071) of an IPv4 header of hdr_len bytes, checksum field included. */
uint16_t gold_ipv4_csum(const uint8_t *hdr, size_t hdr_len);
/* Rewrite the length field of the IP packet at pkt (headers already in place) for a packet of
 * total bytes, and the IPv4 header checksum. GOLD_E_BAD_LENGTH if it does not fit. */
enum gold_status gold_ip_set_len(uint8_t *pkt, const struct gold_ip *ip, size_t total);

/* Transport and tunnel halves of gold_encap / gold_decap; arguments already checked. */
enum gold_status gold_transport_encap(const struct gold_sa *sa, uint64_t sn, const uint8_t iv[8],
                                      const uint8_t *pkt, size_t pkt_len, uint8_t *out,
                                      size_t out_cap, size_t *out_len);
enum gold_status gold_transport_decap(const struct gold_sa *sa, uint32_t seq_hi,
                                      const uint8_t *pkt, size_t pkt_len, uint8_t *out,
                                      size_t out_cap, size_t *out_len);
enum gold_status gold_tunnel_encap(const struct gold_sa *sa, uint64_t sn, const uint8_t iv[8],
                                   const uint8_t *pkt, size_t pkt_len, uint8_t *out,
                                   size_t out_cap, size_t *out_len);
enum gold_status gold_tunnel_decap(const struct gold_sa *sa, uint32_t seq_hi, const uint8_t *pkt,
                                   size_t pkt_len, uint8_t *out, size_t out_cap,
                                   size_t *out_len);

#endif

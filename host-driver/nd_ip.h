/* nd_ip.h - the little IP header reading and writing the shim's ESP code needs: parse an IPv4
 * or IPv6 header (lengths checked against the buffer), find the ESP header behind it, and the
 * IPv4 header checksum. Pure functions on caller buffers.
 */
#ifndef ND_IP_H
#define ND_IP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ND_IPPROTO_IPIP 4u
#define ND_IPPROTO_IPV6 41u
#define ND_IPPROTO_ESP 50u
#define ND_IPPROTO_NONE 59u

struct nd_ip {
    unsigned version;   /* 4 or 6                                                           */
    size_t hdr_len;     /* IPv4: IHL * 4; IPv6: 40 plus the extension headers walked          */
    size_t nh_off;      /* offset of the byte holding the protocol of what follows hdr_len  */
    uint8_t proto;      /* that protocol                                                    */
    bool options;       /* IPv4 with options                                                 */
    bool ext;           /* IPv6 with extension headers                                      */
    uint8_t tos;        /* IPv4 TOS / IPv6 traffic class                                     */
    bool df;            /* IPv4 DF                                                          */
    const uint8_t *saddr, *daddr;
};

/* Parse the header of a packet that must fill len exactly (total / payload length). With
 * walk_ext, IPv6 hop-by-hop, routing and destination options headers and atomic fragment
 * headers (offset 0, M clear: RFC 6946) are skipped; a real fragment ends the walk (it is not
 * something the shim can encrypt or decrypt in place).
 * 0 or -EINVAL. */
int nd_ip_parse(const uint8_t *pkt, size_t len, bool walk_ext, struct nd_ip *ip);
uint16_t nd_ip_csum(const uint8_t *hdr, size_t len);
/* Store the total length (IPv4, checksum updated) or payload length (IPv6) of a packet. */
void nd_ip_set_len(uint8_t *pkt, unsigned version, size_t total);

#endif

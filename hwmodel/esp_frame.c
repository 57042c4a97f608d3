/* esp_frame.c - ESP header/trailer insertion and removal on a packet buffer (see esp_frame.h). */
#include "esp_frame.h"

#include <string.h>

#include "nic_ctx.h"

static void st16(uint8_t *b, uint32_t v)
{
    b[0] = (uint8_t)(v >> 8);
    b[1] = (uint8_t)v;
}
static uint32_t ld16(const uint8_t *b)
{
    return (uint32_t)b[0] << 8 | b[1];
}

/* Host order <-> big-endian (its own inverse). */
static uint32_t be32(uint32_t v)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    return v;
#else
    return __builtin_bswap32(v);
#endif
}
static uint64_t be64(uint64_t v)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    return v;
#else
    return __builtin_bswap64(v);
#endif
}

/* Big-endian 32/64-bit accesses as one load or store each. Written as byte stores, gcc's
 * vectoriser assembles the ESP header in a stack temporary and copies it out (four times the
 * instructions, and a store-forwarding stall on the copy); the single stores also let
 * fill_job() read the header fields back at the same width they were written. */
static void st32(uint8_t *b, uint32_t v)
{
    uint32_t w = be32(v);
    memcpy(b, &w, 4);
}
static void st64(uint8_t *b, uint64_t v)
{
    uint64_t w = be64(v);
    memcpy(b, &w, 8);
}
static uint32_t ld32(const uint8_t *b)
{
    uint32_t w;
    memcpy(&w, b, 4);
    return be32(w);
}

uint16_t esp_frame_ipv4_csum(const uint8_t *h, uint32_t len)
{
    uint32_t sum = 0;
    for (uint32_t i = 0; i + 1 < len; i += 2)
        sum += ld16(h + i);
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

/* Set the IP length fields of the header at h for a packet of `total` bytes. */
static void set_ip_len(uint8_t *h, uint8_t version, uint32_t hdr_len, uint32_t total)
{
    if (version == 4) {
        st16(h + 2, total);
        st16(h + 10, 0);
        st16(h + 10, esp_frame_ipv4_csum(h, hdr_len));
    } else {
        st16(h + 4, total - 40);
    }
}

/* Ciphertext length for `payload_len` bytes of payload: payload, pad 0..3 and the two trailer
 * bytes, rounded up to a multiple of 4 (RFC 4303 s2.4). One add and one mask; unsigned
 * wrap-around gives the same value as payload_len + pad + 2 with pad = (4 - (payload_len + 2)
 * % 4) % 4, which gcc computed as written. */
static uint32_t ct_len_of(uint32_t payload_len)
{
    return (payload_len + 2u + 3u) & ~3u;
}

/* Write pad 1,2,3.., pad length and next header after `payload_len` bytes at ct, ct_len =
 * ct_len_of(payload_len) bytes in all. */
static void write_trailer(uint8_t *ct, uint32_t payload_len, uint32_t ct_len, uint8_t nh)
{
    const uint32_t pad = ct_len - payload_len - 2u;
    /* pad <= 3: unrolled, a loop costs more than the bytes */
    if (pad > 0)
        ct[payload_len] = 1;
    if (pad > 1)
        ct[payload_len + 1] = 2;
    if (pad > 2)
        ct[payload_len + 2] = 3;
    ct[payload_len + pad] = (uint8_t)pad;
    ct[payload_len + pad + 1] = nh;
}

static void fill_job(struct gcm_job *job, const uint8_t *esp, uint8_t *ct, uint32_t ct_len,
                     uint8_t icv_len, bool esn, uint64_t sn, bool decrypt)
{
    memcpy(job->iv, esp + 8, 8);
    memcpy(job->aad, esp, 4); /* SPI */
    if (esn) {
        st32(job->aad + 4, (uint32_t)(sn >> 32));
        memcpy(job->aad + 8, esp + 4, 4);
        job->aad_len = 12;
    } else {
        memcpy(job->aad + 4, esp + 4, 4);
        job->aad_len = 8;
    }
    job->data = ct;
    job->len = ct_len;
    job->icv = ct + ct_len;
    job->icv_len = icv_len;
    job->decrypt = decrypt;
    job->icv_ok = false;
    job->err = 0;
}

static void write_esp_hdr(uint8_t *esp, uint32_t spi, uint64_t sn)
{
    st32(esp, spi);
    st32(esp + 4, (uint32_t)sn);
    st64(esp + 8, sn); /* IV = the 64-bit SN */
}

/* Zero the ICV field (8..16 bytes, the only lengths an SA takes) as two overlapping 8-byte
 * stores instead of a variable-length memset. */
static void clear_icv(uint8_t *icv, uint32_t len)
{
    static const uint8_t zero[8];
    if (len < 8 || len > 16) {
        memset(icv, 0, len);
        return;
    }
    memcpy(icv, zero, 8);
    memcpy(icv + len - 8, zero, 8);
}

/* Checksum of the IPv4 header that transport-mode insertion produces, computed from the header
 * as the host sent it (`h`, before it moves) with the three changed fields substituted: total
 * length, protocol 50 and the checksum field itself 0. It adds 32-bit words (ihl is a multiple
 * of 4; 2^16 = 1 in one's complement arithmetic, so the folded sum is that of the 16-bit words,
 * and it is never 0 because of the version byte): the result is the same as
 * esp_frame_ipv4_csum() over the rewritten header, without reading back bytes that were just
 * stored (a store-forwarding stall per word). */
static uint16_t v4_csum_after_insert(const uint8_t *h, uint32_t ihl, uint32_t total)
{
    uint64_t sum = (ld32(h) & 0xffff0000u) + total;     /* version, TOS, total length */
    sum += ld32(h + 4);                                  /* ID, flags, fragment offset */
    sum += (ld32(h + 8) & 0xff000000u) + (50u << 16);    /* TTL, protocol, checksum 0 */
    sum += (uint64_t)ld32(h + 12) + ld32(h + 16);        /* addresses */
    for (uint32_t i = 20; i + 3 < ihl; i += 4)           /* options; ihl >= 20 (parser) */
        sum += ld32(h + i);
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

int esp_frame_tx_packet(struct pkt *p, const struct sa_cam_tx_entry *e, uint64_t sn,
                        uint32_t mtu, struct gcm_job *job)
{
    const struct parser_result *r = &p->pr;
    uint32_t icv = e->cfg.icv_len;
    bool tunnel = e->cfg.mode == SA_MODE_TUNNEL;
    bool outer_v6 = (e->cfg.flags & SA_CFG_OUTER_V6) != 0;
    uint32_t hdr = tunnel ? (outer_v6 ? 40u : 20u) : r->l4_off;
    uint32_t payload_len = tunnel ? r->ip_len : r->ip_len - r->l4_off;
    uint32_t ct_len = ct_len_of(payload_len);
    uint32_t total = hdr + ESP_HDR_IV_LEN + ct_len + icv;

    if (!tunnel && r->status == PARSER_FRAGMENT)
        return NIC_DROP_BAD_SYNTAX; /* RFC 4303 s3.3: transport mode takes no fragments */
    if (total > mtu || total - (outer_v6 || (!tunnel && r->ip_version == 6) ? 40u : 0u) > 65535u)
        return NIC_DROP_TOO_BIG;

    uint8_t *old = p->data;
    uint8_t *esp;
    uint8_t nh;
    if (tunnel) {
        /* Outer header + ESP header go into the headroom; the inner packet stays put. */
        uint8_t *h = old - hdr - ESP_HDR_IV_LEN;
        uint8_t tos = r->ip_version == 4 ? old[1] : (uint8_t)((old[0] & 0x0f) << 4 | old[1] >> 4);
        memset(h, 0, hdr);
        if (outer_v6) {
            h[0] = (uint8_t)(0x60 | tos >> 4);
            h[1] = (uint8_t)((tos & 0x0f) << 4);
            h[6] = 50;
            h[7] = 64;
            memcpy(h + 8, e->outer_saddr, 16);
            memcpy(h + 24, e->outer_daddr, 16);
        } else {
            h[0] = 0x45;
            h[1] = tos;
            if (r->ip_version == 4 && (old[6] & 0x40))
                h[6] = 0x40;
            h[8] = 64;
            h[9] = 50;
            memcpy(h + 12, e->outer_saddr, 4);
            memcpy(h + 16, e->outer_daddr, 4);
        }
        set_ip_len(h, outer_v6 ? 6 : 4, hdr, total);
        nh = r->ip_version == 4 ? 4 : 41;
        p->data = h;
    } else {
        /* The IP header moves 16 bytes into the headroom to open the gap for SPI|SN|IV. */
        nh = r->proto;
        p->data = old - ESP_HDR_IV_LEN;
        if (r->ip_version == 4) {
            /* The IPv4 header is all of hdr, protocol at 9 (parser contract for l3_off 0). */
            uint16_t csum = v4_csum_after_insert(old, r->l3_hdr_len, total);
            if (hdr == 20) {
                /* no options, the common case: a fixed-size move is two loads and two
                 * stores, the source read whole before the overlapping destination */
                uint8_t h20[20];
                memcpy(h20, old, 20);
                memcpy(p->data, h20, 20);
            } else {
                memmove(p->data, old, hdr);
            }
            p->data[9] = 50;
            st16(p->data + 2, total);
            st16(p->data + 10, csum);
        } else {
            memmove(p->data, old, hdr);
            p->data[r->nh_off] = 50;
            set_ip_len(p->data, r->ip_version, r->l3_hdr_len, total);
        }
    }
    esp = p->data + hdr;
    write_esp_hdr(esp, e->spi, sn);
    uint8_t *ct = esp + ESP_HDR_IV_LEN;
    write_trailer(ct, payload_len, ct_len, nh);
    clear_icv(ct + ct_len, icv);
    p->len = total;
    p->esp_off = hdr;
    p->icv_len = icv;
    p->sn = sn;
    fill_job(job, esp, ct, ct_len, (uint8_t)icv, (e->cfg.flags & SA_CFG_ESN) != 0, sn, false);
    return 0;
}

int esp_frame_tx_crypto(struct pkt *p, const struct sa_cam_tx_entry *e, struct gcm_job *job)
{
    const struct parser_result *r = &p->pr;
    uint32_t icv = e->cfg.icv_len;
    if (r->esp_len < ESP_HDR_IV_LEN + 2u + icv || r->spi != e->spi)
        return NIC_DROP_BAD_SYNTAX;
    uint32_t ct_len = r->esp_len - ESP_HDR_IV_LEN - icv;
    if (ct_len % 4)
        return NIC_DROP_BAD_SYNTAX;
    bool esn = (e->cfg.flags & SA_CFG_ESN) != 0;
    uint64_t sn = (uint64_t)(esn ? p->seq_hi : 0) << 32 | r->sn;
    p->len = r->ip_len;
    p->esp_off = r->esp_off;
    p->icv_len = icv;
    p->sn = sn;
    fill_job(job, p->data + r->esp_off, p->data + r->payload_off, ct_len, (uint8_t)icv, esn, sn,
             false);
    return 0;
}

int esp_frame_rx_job(struct pkt *p, uint8_t icv_len, bool esn, uint64_t sn, struct gcm_job *job)
{
    const struct parser_result *r = &p->pr;
    if (r->esp_len < ESP_HDR_IV_LEN + 2u + icv_len)
        return NIC_DROP_BAD_SYNTAX;
    uint32_t ct_len = r->esp_len - ESP_HDR_IV_LEN - icv_len;
    if (ct_len % 4)
        return NIC_DROP_BAD_SYNTAX;
    p->len = r->ip_len; /* link padding after the IP packet is not part of it */
    p->esp_off = r->esp_off;
    p->icv_len = icv_len;
    p->sn = sn;
    fill_job(job, p->data + r->esp_off, p->data + r->payload_off, ct_len, icv_len, esn, sn, true);
    return 0;
}

int esp_frame_rx_strip(struct pkt *p, uint8_t mode, uint8_t *next_header)
{
    const struct parser_result *r = &p->pr;
    uint32_t ct_len = r->esp_len - ESP_HDR_IV_LEN - p->icv_len;
    const uint8_t *ct = p->data + r->payload_off;
    uint8_t nh = ct[ct_len - 1];
    uint32_t pad = ct[ct_len - 2];
    if (pad + 2u > ct_len)
        return NIC_DROP_BAD_PAD;
    for (uint32_t i = 0; i < pad; i++)
        if (ct[ct_len - 2 - pad + i] != (uint8_t)(i + 1))
            return NIC_DROP_BAD_PAD;
    if (nh == 59)
        return NIC_DROP_DUMMY; /* RFC 4303 s2.6: dummy packet, verified, discarded */
    uint32_t payload_len = ct_len - 2u - pad;
    *next_header = nh;
    if (mode == SA_MODE_TUNNEL) {
        struct parser_result in;
        if ((nh != 4 && nh != 41) ||
            parser_at(p->data + r->payload_off, payload_len, 0, &in) == PARSER_NOT_IP ||
            in.status == PARSER_TRUNCATED || in.status == PARSER_BAD_HEADER ||
            in.ip_version != (nh == 4 ? 4 : 6))
            return NIC_DROP_BAD_SYNTAX;
        p->data += r->payload_off;
        p->len = payload_len;
        return 0;
    }
    /* Transport: close the gap; the IP header moves 16 bytes towards the payload. */
    uint32_t hdr = r->esp_off;
    uint8_t *h = p->data + ESP_HDR_IV_LEN;
    memmove(h, p->data, hdr);
    p->data = h;
    p->data[r->nh_off] = nh;
    set_ip_len(p->data, r->ip_version, r->l3_hdr_len, hdr + payload_len);
    p->len = hdr + payload_len;
    return 0;
}

/* engine_model_esp.c - ESP vector records through the whole C model: a fresh device per record
 * (tb/dut: a host with rings, one SA), driven as a driver would, in the context's data mode.
 *
 * How each operation maps onto the device (the choice that exercises the most of the device
 * while staying exact):
 *
 *  decap / esp_open: RX with a packet-offload SA. The device parses, looks the SA up in its CAM
 *    by (SPI, daddr), infers the ESN high half, checks anti-replay, decrypts, verifies the ICV,
 *    checks pad and next header, and strips ESP (transport: restores the IP header; tunnel:
 *    validates and delivers the inner packet). The SA's daddr is the packet's own destination;
 *    its window top is preset to SN - 1, where SN = seq_hi : SN-low on the wire, so the device
 *    infers exactly the caller's seq_hi and the packet is new. A full SN of 0 cannot be
 *    received (RFC 4303 s3.3.3: SN 0 is never sent; the device drops it as too old): such a
 *    record is VEC_UNSUPPORTED.
 *  encap / esp_seal: TX. With packet offload the device builds everything (ESP header, pad,
 *    trailer, tunnel outer header) but always chooses IV = SN (big-endian, esp_frame.h) and pads
 *    to 4 bytes, so it is used when the record's IV equals its SN and the alignment is 4; every
 *    other record goes through crypto offload, where the host stack builds headers, IV and the
 *    plaintext trailer (as Linux does, and as test_nic.c's crypto_frame()) and the device
 *    encrypts in place and writes the ICV; the SN high half of an ESN SA travels in the
 *    descriptor. The host stack for IP-level records is the golden library's encapsulation
 *    (headers only: the ciphertext is replaced by plaintext and the ICV by zeros before the
 *    device sees the frame; the output compared is the device's).
 *  level esp: the ESP packet travels in a synthetic IPv4 transport packet (192.0.2.1 ->
 *    192.0.2.2, no options) with protocol 50, or, for packet-offload TX, protocol = the next
 *    header around the plain payload; the result is unwrapped again (the 20-byte header
 *    dropped; on RX the protocol field the device restored is the next header).
 *
 * Device outcomes onto gold_status: delivered with CRYPTO_SUCCESS -> ok; delivered unprocessed
 * (no SA flag: the device did not see ESP) -> not-esp; dropped no_sa -> spi, bad_icv -> bad-icv,
 * bad_pad -> bad-pad, dummy -> dummy; bad_syntax after the engine (the tunnel inner packet) ->
 * bad-inner. The device counts every malformed packet before the engine as bad_syntax, one
 * class where the golden library names three: the adapter names it with the rules the device
 * applied (IP header short or beyond the buffer -> truncated; IHL / length below the header ->
 * bad-header; ESP shorter than SPI|SN|IV + 4 + ICV -> truncated; ciphertext not a multiple of 4
 * -> bad-length), and a bad_syntax drop that none of them explains is crypto, so that a good
 * packet wrongly dropped still fails. TX drops: too_big -> VEC_UNSUPPORTED (larger than the
 * device's MTU), no_sa / sn_overflow -> param, bad_syntax -> bad-header. An SA the device
 * refuses (nic_sa_add) is param; a device that does not go idle, or any other outcome, is crypto.
 *
 * Not expressible, VEC_UNSUPPORTED: SPI 0 (reserved, RFC 4303 s2.1; nic_sa_add refuses it),
 * frames over the MTU (params.def mtu), SN 0 on RX (above), and transport-mode packets that are
 * fragments (not atomic ones): RFC 4303 s3.3 / s3.4.1, see transport_fragment(). A failed
 * decap writes nothing to the caller's buffer: the device never delivers unverified plaintext,
 * and the adapter copies out only an ok result.
 *
 * Cost: a device per record is the simplest way to keep records independent (no window, SA or
 * counter state carries over) and is cheap with the smallest parameters (dev_params): the whole
 * shipped ESP set takes well under a second in either data mode.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "dut.h"
#include "engine_model.h"
#include "esp_host.h"

#define RUN_LIMIT 100000000u /* cycles; a record takes a few thousand */

static bool iv_is_sn(const uint8_t iv[8], uint64_t sn)
{
    for (int i = 0; i < 8; i++)
        if (iv[i] != (uint8_t)(sn >> (56 - 8 * i)))
            return false;
    return true;
}

/* A fragment that is not atomic (IPv4 MF or offset; an IPv6 fragment header with M or offset in
 * the chain in front of ESP or of the payload). RFC 4303 s3.3 applies transport-mode ESP only
 * to whole datagrams and s3.4.1 reassembles before ESP: the device refuses such a packet on TX
 * and passes it up unprocessed on RX (parser.h), so a transport-mode record with one is beyond
 * what it can express. Tunnel mode carries any inner packet, fragments included. */
static bool transport_fragment(const uint8_t *p, size_t len)
{
    if (len >= V4_HDR && p[0] >> 4 == 4)
        return (ld16(p + 6) & 0x3fffu) != 0;
    if (len < V6_HDR || p[0] >> 4 != 6)
        return false;
    uint8_t nh = p[6];
    size_t off = V6_HDR;
    while (v6_ext(nh) && off + 8u <= len) {
        if (nh == 44 && (ld16(p + off + 2) & 0xfff9u) != 0)
            return true;
        size_t hl = v6_ext_len(p, off, nh);
        nh = p[off];
        off += hl;
    }
    return false;
}

/* ---- one record through one device ------------------------------------------------------- */

struct dev_out {
    bool delivered;        /* a frame came out: on the wire (TX) or to the host (RX)     */
    uint8_t *data;         /* that frame (malloc'd; the caller frees)                    */
    size_t len;
    struct nic_rx_cpl rx;  /* RX: its completion                                         */
    unsigned drop;         /* enum nic_drop when not delivered                           */
    bool offloaded;        /* the packet went through a GCM engine                       */
};

static void dev_params(const struct model_ctx *m, uint8_t offload, struct nicsim_params *p)
{
    nicsim_params_default(p);
    p->data_mode = m->data_mode;
    p->offload_mode = offload; /* RX: what a CAM miss means (packet offload: a no_sa drop) */
    /* one packet at a time: the smallest device is the cheapest to create */
    p->engines = 1;
    p->tx_ring_size = p->rx_ring_size = 8;
    p->tx_sa_entries = p->rx_sa_entries = 1;
    p->pkt_buffers = 4;
}

/* Run one frame through a new device holding one SA: TX when sa->dir is NIC_SA_OUT, else RX.
 * 0 with *o filled, or VEC_UNSUPPORTED / GOLD_E_PARAM / GOLD_E_CRYPTO (see the file header). */
static int dev_run(const struct model_ctx *m, const struct nic_sa *sa, const uint8_t *frame,
                   size_t len, uint32_t seq_hi, struct dev_out *o)
{
    struct nicsim_params p;
    char err[200];
    bool tx = sa->dir == NIC_SA_OUT;
    memset(o, 0, sizeof(*o));
    dev_params(m, sa->offload, &p);
    if (len > p.mtu)
        return VEC_UNSUPPORTED;
    struct dut *d = dut_create(&p, err, sizeof(err));
    if (d == NULL)
        return GOLD_E_CRYPTO;
    int rc = 0;
    int h = nic_sa_add(d->nic, sa);
    if (h < 0) {
        rc = GOLD_E_PARAM;
        goto out;
    }
    if (tx && dut_tx(d, frame, len, h, seq_hi, 1) != 0) {
        rc = VEC_UNSUPPORTED; /* larger than a host buffer */
        goto out;
    }
    if (!tx)
        (void)dut_wire_rx(d, frame, len); /* a refused frame is counted as a drop */
    if (!dut_run(d, RUN_LIMIT)) {
        rc = GOLD_E_CRYPTO;
        goto out;
    }
    const struct nic_stats *st = nic_get_stats(d->nic);
    const struct nic_dir_stats *ds = tx ? &st->tx : &st->rx;
    const struct dut_list *l = tx ? &d->wire : &d->rx;
    o->offloaded = ds->offloaded != 0;
    if (l->n == 1 && (!tx || (d->txc.n == 1 && d->txc.v[0].tx.status == NIC_TXS_OK))) {
        o->delivered = true;
        o->len = l->v[0].len;
        o->rx = l->v[0].rx;
        o->data = malloc(o->len ? o->len : 1);
        if (o->data == NULL)
            rc = GOLD_E_CRYPTO;
        else if (o->len)
            memcpy(o->data, l->v[0].data, o->len);
    } else if (l->n == 0) {
        for (unsigned i = 1; i < NIC_DROP_COUNT && o->drop == 0; i++)
            if (ds->dropped[i])
                o->drop = i;
        if (o->drop == 0)
            rc = GOLD_E_CRYPTO; /* neither delivered nor counted: a leak in the model */
    } else {
        rc = GOLD_E_CRYPTO;
    }
out:
    dut_destroy(d);
    return rc;
}

/* The SA fields common to both directions. */
static void base_sa(struct nic_sa *n, const struct gold_sa *sa, uint8_t dir, uint8_t mode,
                    uint8_t offload)
{
    memset(n, 0, sizeof(*n));
    n->dir = dir;
    n->mode = mode;
    n->offload = offload;
    n->esn = sa->esn;
    n->icv_len = (uint8_t)sa->icv_len;
    n->spi = sa->spi;
    if (sa->key_len <= 32) {
        n->keymat_len = (uint8_t)(sa->key_len + 4u);
        memcpy(n->keymat, sa->key, sa->key_len);
        memcpy(n->keymat + sa->key_len, sa->salt, 4);
    }
}

/* ---- TX ---------------------------------------------------------------------------------- */

/* A TX outcome as a status; on ok the frame is in o->data. */
static int tx_status(const struct dev_out *o)
{
    if (o->delivered)
        return GOLD_OK;
    switch (o->drop) {
    case NIC_DROP_TOO_BIG:
        return VEC_UNSUPPORTED;
    case NIC_DROP_NO_SA:
    case NIC_DROP_SN_OVERFLOW:
        return GOLD_E_PARAM;
    case NIC_DROP_BAD_SYNTAX:
        return GOLD_E_BAD_HEADER;
    default:
        return GOLD_E_CRYPTO;
    }
}

/* Checks shared by both TX operations; GOLD_OK when the record can go to the device. */
static int tx_check(const struct gold_sa *sa, uint64_t sn)
{
    if (sa->spi == 0)
        return VEC_UNSUPPORTED;
    if (!sa->esn && sn >> 32)
        return GOLD_E_PARAM; /* the SA cannot carry it: nic_sa_add refuses such a counter */
    if (sa_align(sa) % 4u || sa_align(sa) > 256u)
        return GOLD_E_PARAM;
    return GOLD_OK;
}

static bool tx_packet_path(const struct gold_sa *sa, uint64_t sn, const uint8_t iv[8])
{
    return sn != 0 && sa_align(sa) == 4u && iv_is_sn(iv, sn);
}

int model_esp_seal(void *ctx, const struct gold_sa *sa, uint64_t sn, const uint8_t iv[8],
                   const uint8_t *payload, size_t payload_len, uint8_t next_header, uint8_t *esp,
                   size_t esp_cap, size_t *esp_len)
{
    int rc = tx_check(sa, sn);
    *esp_len = 0;
    if (rc != GOLD_OK)
        return rc;
    bool packet = tx_packet_path(sa, sn, iv);
    struct nic_sa n;
    base_sa(&n, sa, NIC_SA_OUT, NIC_SA_TRANSPORT, packet ? NIC_OFFLOAD_PACKET : NIC_OFFLOAD_CRYPTO);
    n.seq = packet ? sn - 1 : 0;
    if (payload_len > 65535u)
        return VEC_UNSUPPORTED; /* no IPv4 packet carries it; the MTU is far smaller anyway */

    size_t flen = 0;
    uint8_t *frame;
    if (packet) {
        frame = wrap_v4(next_header, payload, payload_len, &flen);
    } else {
        frame = malloc(V4_HDR + ESP_HDR_IV + payload_len + GOLD_MAX_PAD + 2u + GOLD_MAX_ICV);
        if (frame != NULL) {
            flen = V4_HDR + put_esp_plain(frame + V4_HDR, sa, sn, iv, payload, payload_len,
                                          next_header);
            put_v4(frame, PROTO_ESP, flen);
        }
    }
    if (frame == NULL)
        return GOLD_E_CRYPTO;
    struct dev_out o;
    rc = dev_run(ctx, &n, frame, flen, sa->esn ? (uint32_t)(sn >> 32) : 0, &o);
    free(frame);
    if (rc == 0)
        rc = tx_status(&o);
    if (rc == GOLD_OK && (o.len < V4_HDR || o.data[0] != 0x45 || o.data[9] != PROTO_ESP))
        rc = GOLD_E_CRYPTO; /* the device changed the wrapper's shape */
    if (rc == GOLD_OK && o.len - V4_HDR > esp_cap)
        rc = GOLD_E_NOSPACE;
    if (rc == GOLD_OK) {
        memcpy(esp, o.data + V4_HDR, o.len - V4_HDR);
        *esp_len = o.len - V4_HDR;
    }
    free(o.data);
    return rc;
}

int model_encap(void *ctx, const struct gold_sa *sa, uint64_t sn, const uint8_t iv[8],
                const uint8_t *pkt, size_t pkt_len, uint8_t *out, size_t out_cap,
                size_t *out_len)
{
    int rc = tx_check(sa, sn);
    *out_len = 0;
    if (rc != GOLD_OK)
        return rc;
    if (pkt_len == 0)
        return GOLD_E_TRUNCATED;
    bool packet = tx_packet_path(sa, sn, iv);
    bool tunnel = sa->mode == GOLD_TUNNEL;
    if (!tunnel && transport_fragment(pkt, pkt_len))
        return VEC_UNSUPPORTED;
    struct nic_sa n;
    base_sa(&n, sa, NIC_SA_OUT, tunnel ? NIC_SA_TUNNEL : NIC_SA_TRANSPORT,
            packet ? NIC_OFFLOAD_PACKET : NIC_OFFLOAD_CRYPTO);
    n.v6 = tunnel ? sa->outer_v6 : pkt[0] >> 4 == 6;
    memcpy(n.tun_src, sa->outer_src, 16);
    memcpy(n.tun_dst, sa->outer_dst, 16);
    n.seq = packet ? sn - 1 : 0;

    uint8_t *frame = NULL;
    size_t flen = 0;
    if (packet) {
        frame = malloc(pkt_len);
        if (frame == NULL)
            return GOLD_E_CRYPTO;
        memcpy(frame, pkt, pkt_len);
        flen = pkt_len;
    } else if ((rc = crypto_frame(sa, sn, iv, pkt, pkt_len, &frame, &flen)) != GOLD_OK) {
        return rc;
    }
    struct dev_out o;
    rc = dev_run(ctx, &n, frame, flen, sa->esn ? (uint32_t)(sn >> 32) : 0, &o);
    free(frame);
    if (rc == 0)
        rc = tx_status(&o);
    if (rc == GOLD_OK && o.len > out_cap)
        rc = GOLD_E_NOSPACE;
    if (rc == GOLD_OK) {
        memcpy(out, o.data, o.len);
        *out_len = o.len;
    }
    free(o.data);
    return rc;
}

/* ---- RX ---------------------------------------------------------------------------------- */

/* An RX outcome as a status; `frame` is what went in (to name a bad_syntax drop). */
static int rx_status(const struct dev_out *o, const uint8_t *frame, size_t len, unsigned icv)
{
    if (o->delivered) {
        if (!(o->rx.flags & NIC_RXF_IPSEC))
            return GOLD_E_NOT_ESP; /* passed up unprocessed: the device saw no ESP of an SA */
        if ((o->rx.flags & NIC_RXF_DECAPPED) && o->rx.status == NIC_RXS_SUCCESS)
            return GOLD_OK;
        return GOLD_E_CRYPTO;
    }
    switch (o->drop) {
    case NIC_DROP_NO_SA:
        return GOLD_E_SPI;
    case NIC_DROP_BAD_ICV:
        return GOLD_E_BAD_ICV;
    case NIC_DROP_BAD_PAD:
        return GOLD_E_BAD_PAD;
    case NIC_DROP_DUMMY:
        return GOLD_E_DUMMY;
    case NIC_DROP_BAD_SYNTAX:
        break;
    default:
        return GOLD_E_CRYPTO;
    }
    if (o->offloaded)
        return GOLD_E_BAD_INNER; /* after the ICV verified: only the tunnel inner check drops */
    struct esp_loc l;
    int st = locate_esp(frame, len, &l);
    if (st != GOLD_OK)
        return st;
    size_t esp_len = l.ip_len - l.esp_off;
    if (esp_len < ESP_HDR_IV + MIN_CT + icv)
        return GOLD_E_TRUNCATED;
    if ((esp_len - ESP_HDR_IV - icv) % 4u)
        return GOLD_E_BAD_LENGTH;
    return GOLD_E_CRYPTO; /* dropped as malformed for no reason the adapter knows */
}

/* The packet-offload RX SA for `frame`: matched on the frame's own destination, window top
 * preset to SN - 1. VEC_UNSUPPORTED for SN 0, else GOLD_OK. */
static int rx_sa(struct nic_sa *n, const struct gold_sa *sa, uint8_t mode, uint32_t seq_hi,
                 const uint8_t *frame, size_t len)
{
    struct esp_loc l;
    base_sa(n, sa, NIC_SA_IN, mode, NIC_OFFLOAD_PACKET);
    n->v6 = len > 0 && frame[0] >> 4 == 6;
    if (n->v6 && len >= V6_HDR)
        memcpy(n->daddr, frame + 24, 16);
    else if (!n->v6 && len >= V4_HDR)
        memcpy(n->daddr, frame + 16, 4);
    /* A packet whose SN cannot be read is dropped before the window; any top does then. */
    uint32_t sn_low = 1;
    int st = locate_esp(frame, len, &l);
    if ((st == GOLD_OK || st == GOLD_E_TRUNCATED) && l.esp_off + 8u <= len && l.esp_off >= V4_HDR)
        sn_low = ld32(frame + l.esp_off + 4);
    uint64_t sn = (uint64_t)(sa->esn ? seq_hi : 0) << 32 | sn_low;
    if (sn == 0)
        return VEC_UNSUPPORTED;
    n->seq = sn - 1;
    return GOLD_OK;
}

int model_esp_open(void *ctx, const struct gold_sa *sa, uint32_t seq_hi, const uint8_t *esp,
                   size_t esp_len, uint8_t *payload, size_t payload_cap, size_t *payload_len,
                   uint8_t *next_header, uint32_t *sn_low)
{
    *payload_len = 0;
    if (sa->spi == 0)
        return VEC_UNSUPPORTED;
    if (sn_low != NULL && esp_len >= 8)
        *sn_low = ld32(esp + 4);
    if (esp_len > 65535u - V4_HDR)
        return VEC_UNSUPPORTED;
    size_t flen;
    uint8_t *frame = wrap_v4(PROTO_ESP, esp, esp_len, &flen);
    if (frame == NULL)
        return GOLD_E_CRYPTO;
    struct nic_sa n;
    int rc = rx_sa(&n, sa, NIC_SA_TRANSPORT, seq_hi, frame, flen);
    struct dev_out o = {0};
    if (rc == GOLD_OK)
        rc = dev_run(ctx, &n, frame, flen, 0, &o);
    if (rc == 0)
        rc = rx_status(&o, frame, flen, sa->icv_len);
    free(frame);
    if (rc == GOLD_OK && o.len < V4_HDR)
        rc = GOLD_E_CRYPTO;
    if (rc == GOLD_OK && o.len - V4_HDR > payload_cap)
        rc = GOLD_E_NOSPACE;
    if (rc == GOLD_OK) {
        memcpy(payload, o.data + V4_HDR, o.len - V4_HDR);
        *payload_len = o.len - V4_HDR;
        *next_header = o.data[9]; /* the device restored the protocol from the trailer */
    }
    free(o.data);
    return rc;
}

int model_decap(void *ctx, const struct gold_sa *sa, uint32_t seq_hi, const uint8_t *pkt,
                size_t pkt_len, uint8_t *out, size_t out_cap, size_t *out_len)
{
    *out_len = 0;
    if (sa->spi == 0)
        return VEC_UNSUPPORTED;
    if (sa->mode != GOLD_TUNNEL && transport_fragment(pkt, pkt_len))
        return VEC_UNSUPPORTED;
    struct nic_sa n;
    int rc = rx_sa(&n, sa, sa->mode == GOLD_TUNNEL ? NIC_SA_TUNNEL : NIC_SA_TRANSPORT, seq_hi,
                   pkt, pkt_len);
    struct dev_out o = {0};
    if (rc == GOLD_OK)
        rc = dev_run(ctx, &n, pkt, pkt_len, 0, &o);
    if (rc == 0)
        rc = rx_status(&o, pkt, pkt_len, sa->icv_len);
    if (rc == GOLD_OK && o.len > out_cap)
        rc = GOLD_E_NOSPACE;
    if (rc == GOLD_OK) {
        memcpy(out, o.data, o.len);
        *out_len = o.len;
    }
    free(o.data);
    return rc;
}

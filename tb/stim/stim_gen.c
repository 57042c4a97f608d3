/* stim_gen.c - the seeded random stimulus generator (contract in stim_gen.h). Expected
 * results come from the golden library only. */
#include "stim_gen.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "esp_golden.h"
#include "pktgen.h"
#include "stim.h"

#define MAX_SAS 64u

struct gsa {
    bool live;
    char name[STIM_NAME_MAX];
    struct nic_sa sa;
    struct gold_sa g;
    uint64_t sn;        /* TX: last SN used; RX crypto ESN: window bottom B; RX packet: top */
    unsigned gen;
};

struct gen {
    FILE *out;
    const struct stim_gen_opts *o;
    struct pktgen pg;
    struct gsa tx[MAX_SAS], rx[MAX_SAS];
    unsigned nsa, serial;
    uint8_t last_rx[STIM_FRAME_MAX]; /* the last good RX frame of a packet-offload SA   */
    size_t last_rx_len;
    int last_rx_sa;
    /* the last good crypto-offload RX packet: replayed now and then (crypto offload leaves the
     * replay check to the stack, so a replay is decrypted and delivered again) */
    uint8_t cr_wire[STIM_FRAME_MAX], cr_plain[STIM_FRAME_MAX];
    size_t cr_len;
    char cr_sa[STIM_NAME_MAX];
    uint32_t cr_hi;
};

static uint32_t below(struct gen *g, uint32_t n) { return pktgen_below(&g->pg, n); }

static void emit(struct gen *g, struct stim_rec *r) { stim_write(g->out, r); }

/* A new SA in slot i of its direction: every parameter random. */
static void new_sa(struct gen *g, bool out, unsigned i)
{
    struct gsa *s = out ? &g->tx[i] : &g->rx[i];
    memset(s, 0, sizeof *s);
    struct nic_sa *sa = &s->sa;
    sa->dir = out ? NIC_SA_OUT : NIC_SA_IN;
    sa->mode = below(g, 2) ? NIC_SA_TUNNEL : NIC_SA_TRANSPORT;
    sa->offload = !out && g->o->packet_rx && below(g, 3) == 0 ? NIC_OFFLOAD_PACKET
                                                              : NIC_OFFLOAD_CRYPTO;
    sa->v6 = below(g, 2);
    sa->esn = below(g, 2);
    sa->icv_len = (uint8_t)(8 + 4 * below(g, 3));
    sa->keymat_len = (uint8_t)(20 + 8 * below(g, 3));
    pktgen_bytes(&g->pg, sa->keymat, sa->keymat_len);
    /* SPI: unique per direction by construction (serial in the low bits), never 0 */
    sa->spi = (uint32_t)(pktgen_u64(&g->pg) & 0xfff00000u) | (++g->serial & 0xfffffu);
    pktgen_bytes(&g->pg, sa->daddr, 16);
    pktgen_bytes(&g->pg, sa->tun_src, 16);
    pktgen_bytes(&g->pg, sa->tun_dst, 16);
    if (!sa->v6)
        memset(sa->daddr + 4, 0, 12);
    if (sa->offload == NIC_OFFLOAD_PACKET)
        sa->replay_window = 32u * (1 + below(g, 4));
    /* sequence state: from the start, or near the 2^32 boundary to cross it */
    uint64_t start = below(g, 3) == 0 ? 0xffffff00ull + below(g, 0x80) : below(g, 1000);
    if (!sa->esn && start > 0xfffff000ull)
        start = below(g, 1000);
    s->sn = start;
    if (out || sa->offload == NIC_OFFLOAD_PACKET)
        sa->seq = start; /* TX: last SN used; RX packet offload: window top */
    s->live = true;
    snprintf(s->name, sizeof s->name, "%s%u_%u", out ? "t" : "r", i, ++s->gen + g->serial);
    gold_sa_init(&s->g, sa->keymat, sa->keymat_len, sa->spi, sa->icv_len);
    s->g.esn = sa->esn;
    s->g.mode = sa->mode == NIC_SA_TUNNEL ? GOLD_TUNNEL : GOLD_TRANSPORT;
    s->g.outer_v6 = sa->v6;
    memcpy(s->g.outer_src, sa->tun_src, 16);
    memcpy(s->g.outer_dst, out ? sa->tun_dst : sa->daddr, 16);
    struct stim_rec r = {.kind = STIM_SA, .sa = *sa};
    snprintf(r.name, sizeof r.name, "%s", s->name);
    emit(g, &r);
    if (!out && sa->esn && sa->offload == NIC_OFFLOAD_CRYPTO) { /* the driver sets B */
        struct stim_rec e = {.kind = STIM_ESN, .hi = (uint32_t)(start >> 32), .bottom = (uint32_t)start};
        snprintf(e.name, sizeof e.name, "%s", s->name);
        emit(g, &e);
    }
}

static void del_sa(struct gen *g, struct gsa *s)
{
    struct stim_rec r = {.kind = STIM_DEL};
    snprintf(r.name, sizeof r.name, "%s", s->name);
    emit(g, &r);
    s->live = false;
}

static uint16_t csum(const uint8_t *p, size_t n)
{
    uint32_t s = 0;
    for (size_t i = 0; i + 1 < n; i += 2)
        s += (uint32_t)p[i] << 8 | p[i + 1];
    while (s >> 16)
        s = (s & 0xffff) + (s >> 16);
    return (uint16_t)~s;
}

/* An inner packet; in transport mode it is addressed to the SA's destination (RX). */
static size_t inner(struct gen *g, const struct gsa *s, uint8_t *pkt)
{
    unsigned max = g->o->max_len ? g->o->max_len : 1400;
    bool v6 = s->sa.mode == NIC_SA_TUNNEL ? below(g, 2) : s->sa.v6;
    size_t len = 48 + below(g, max - 47);
    len = pktgen_ip(&g->pg, pkt, len, v6, v6 ? 0 : below(g, 3), below(g, 1000));
    if (s->sa.mode == NIC_SA_TRANSPORT && s->sa.dir == NIC_SA_IN) {
        if (v6) {
            memcpy(pkt + 24, s->sa.daddr, 16);
        } else {
            size_t ihl = 4u * (pkt[0] & 15u);
            memcpy(pkt + 16, s->sa.daddr, 4);
            pkt[10] = pkt[11] = 0;
            uint16_t c = csum(pkt, ihl);
            pkt[10] = (uint8_t)(c >> 8);
            pkt[11] = (uint8_t)c;
        }
    }
    return len;
}

/* Offset of the ESP header in a frame the golden library sealed (no IPv6 extension headers
 * or IPv4 options in front of ESP except what the inner packet had in transport mode). */
static size_t esp_off(const uint8_t *f)
{
    return (f[0] >> 4) == 6 ? 40u : 4u * (f[0] & 15u);
}

/* Seal with the golden library; also the crypto-offload view: the same frame with the
 * ciphertext replaced by the plaintext (payload, pad, trailer) and, for TX, the ICV zeroed. */
static int seal(struct gen *g, const struct gsa *s, uint64_t sn, uint8_t *wire, size_t *wlen,
                uint8_t *plain)
{
    uint8_t pkt[STIM_FRAME_MAX], iv[8];
    size_t plen = inner(g, s, pkt);
    pktgen_bytes(&g->pg, iv, 8);
    if (gold_encap(&s->g, sn, iv, pkt, plen, wire, STIM_FRAME_MAX, wlen) != GOLD_OK)
        return -EIO;
    size_t off = esp_off(wire), icv = s->sa.icv_len;
    size_t ct = *wlen - off - GOLD_ESP_HDR_LEN - icv;
    uint8_t nonce[12], aad[12];
    memcpy(nonce, s->g.salt, 4);
    memcpy(nonce + 4, wire + off + 8, 8);
    memcpy(aad, wire + off, 4);
    size_t aad_len = 8;
    if (s->sa.esn) {
        uint32_t hi = (uint32_t)(sn >> 32);
        uint8_t h[4] = {(uint8_t)(hi >> 24), (uint8_t)(hi >> 16), (uint8_t)(hi >> 8), (uint8_t)hi};
        memcpy(aad + 4, h, 4);
        memcpy(aad + 8, wire + off + 4, 4);
        aad_len = 12;
    } else {
        memcpy(aad + 4, wire + off + 4, 4);
    }
    memcpy(plain, wire, *wlen);
    if (gold_gcm_decrypt(s->g.key, s->g.key_len, nonce, 12, aad, aad_len,
                         wire + off + GOLD_ESP_HDR_LEN, ct, wire + *wlen - icv, icv,
                         plain + off + GOLD_ESP_HDR_LEN) != GOLD_OK)
        return -EIO;
    return 0;
}

static void expect_tx(struct gen *g, const struct gsa *s, const uint8_t *wire, size_t wlen)
{
    struct stim_rec e = {.kind = STIM_EXPECT};
    e.exp.has_drop = true;
    e.exp.drop = NIC_DROP_NONE;
    e.exp.has_status = true;
    e.exp.status = NIC_TXS_OK;
    e.exp.has_handle = true;
    snprintf(e.exp.handle, sizeof e.exp.handle, "%s", s->name);
    e.exp.has_frame = true;
    e.exp.frame = (uint8_t *)wire;
    e.exp.frame_len = wlen;
    emit(g, &e);
}

static int gen_tx(struct gen *g, struct gsa *s)
{
    uint8_t wire[STIM_FRAME_MAX], host[STIM_FRAME_MAX];
    size_t wlen;
    if (s->sn == (s->sa.esn ? UINT64_MAX : 0xffffffffull)) { /* exhausted: rekey */
        del_sa(g, s);
        new_sa(g, true, (unsigned)(s - g->tx));
    }
    uint64_t sn = ++s->sn;
    if (seal(g, s, sn, wire, &wlen, host))
        return -EIO;
    memset(host + wlen - s->sa.icv_len, 0, s->sa.icv_len); /* the device writes the ICV */
    struct stim_rec r = {.kind = STIM_TX, .seq_hi = s->sa.esn ? (uint32_t)(sn >> 32) : 0,
                         .frame = host, .frame_len = wlen};
    snprintf(r.name, sizeof r.name, "%s", s->name);
    emit(g, &r);
    expect_tx(g, s, wire, wlen);
    return 0;
}

static void expect_rx(struct gen *g, const struct gsa *s, int drop, uint16_t status,
                      uint8_t flags, uint32_t seq_hi, const uint8_t *frame, size_t len)
{
    struct stim_rec e = {.kind = STIM_EXPECT};
    e.exp.has_drop = true;
    e.exp.drop = drop;
    if (!drop) {
        e.exp.has_status = e.exp.has_flags = e.exp.has_handle = e.exp.has_frame = true;
        e.exp.status = status;
        e.exp.flags = flags;
        snprintf(e.exp.handle, sizeof e.exp.handle, "%s", s && flags ? s->name : "-");
        e.exp.has_seq_hi = s && flags;
        e.exp.seq_hi = seq_hi;
        e.exp.frame = (uint8_t *)frame;
        e.exp.frame_len = len;
    }
    emit(g, &e);
}

static void emit_rx(struct gen *g, const uint8_t *frame, size_t len)
{
    struct stim_rec r = {.kind = STIM_RX, .frame = (uint8_t *)frame, .frame_len = len};
    emit(g, &r);
}

/* A crypto-offload RX packet: good, corrupted, replayed, or for an SPI no SA has. */
static int gen_rx_crypto(struct gen *g, struct gsa *s)
{
    uint8_t wire[STIM_FRAME_MAX], plain[STIM_FRAME_MAX];
    size_t wlen;
    /* an SN the device's A2.2 inference from the bottom B maps back to the right high half */
    uint64_t sn = s->sa.esn ? s->sn + below(g, 1u << 30) : 1 + below(g, 0x7fffffff);
    if (sn == 0)
        sn = 1;
    if (seal(g, s, sn, wire, &wlen, plain))
        return -EIO;
    uint32_t hi = s->sa.esn ? (uint32_t)(sn >> 32) : 0;
    unsigned what = below(g, 10);
    uint8_t done = NIC_RXF_IPSEC | NIC_RXF_CRYPTO_DONE;
    if (what == 0) { /* corrupted ciphertext or ICV byte: delivered with auth failed */
        size_t off = esp_off(wire) + GOLD_ESP_HDR_LEN;
        wire[off + below(g, (uint32_t)(wlen - off))] ^= (uint8_t)(1u << below(g, 8));
        emit_rx(g, wire, wlen);
        expect_rx(g, s, NIC_DROP_NONE,
                  s->sa.mode == NIC_SA_TUNNEL ? NIC_RXS_TUNNEL_ESP_AUTH_FAILED
                                              : NIC_RXS_TRANSPORT_ESP_AUTH_FAILED,
                  done, hi, wire, wlen);
    } else if (what == 1) { /* an SPI no SA has: passed up untouched (crypto offload) */
        size_t off = esp_off(wire);
        wire[off] ^= 0x80; /* generated SPIs differ in their top bits, so this misses   */
        uint32_t spi = (uint32_t)wire[off] << 24 | (uint32_t)wire[off + 1] << 16 |
                       (uint32_t)wire[off + 2] << 8 | wire[off + 3];
        for (unsigned i = 0; i < g->nsa; i++)
            if (g->rx[i].live && g->rx[i].sa.spi == spi)
                wire[off] ^= 0x80; /* a collision after all: leave it as it was */
        bool hit = wire[off] == plain[off];
        emit_rx(g, wire, wlen);
        if (hit)
            expect_rx(g, s, NIC_DROP_NONE, NIC_RXS_SUCCESS, done, hi, plain, wlen);
        else
            expect_rx(g, NULL, NIC_DROP_NONE, NIC_RXS_NONE, 0, 0, wire, wlen);
    } else if (what == 2 && g->cr_len && !strcmp(g->cr_sa, s->name)) { /* a replay */
        emit_rx(g, g->cr_wire, g->cr_len);
        expect_rx(g, s, NIC_DROP_NONE, NIC_RXS_SUCCESS, done, g->cr_hi, g->cr_plain, g->cr_len);
    } else {
        emit_rx(g, wire, wlen);
        expect_rx(g, s, NIC_DROP_NONE, NIC_RXS_SUCCESS, done, hi, plain, wlen);
        memcpy(g->cr_wire, wire, wlen);
        memcpy(g->cr_plain, plain, wlen);
        g->cr_len = wlen;
        g->cr_hi = hi;
        snprintf(g->cr_sa, sizeof g->cr_sa, "%s", s->name);
    }
    return 0;
}

/* A packet-offload RX packet: in order (window top moves), a replay of the last one, or old. */
static int gen_rx_packet(struct gen *g, struct gsa *s, int idx)
{
    if (g->last_rx_sa == idx && g->last_rx_len && below(g, 6) == 0) {
        emit_rx(g, g->last_rx, g->last_rx_len);
        expect_rx(g, s, NIC_DROP_REPLAY, 0, 0, 0, NULL, 0);
        return 0;
    }
    uint8_t wire[STIM_FRAME_MAX], plain[STIM_FRAME_MAX], out[STIM_FRAME_MAX];
    size_t wlen, olen;
    uint64_t sn = s->sn + 1 + below(g, 4);
    if (!s->sa.esn && sn > 0xffffffffull)
        return 0; /* this SA's space is used up: nothing more to send on it */
    if (seal(g, s, sn, wire, &wlen, plain))
        return -EIO;
    if (gold_decap(&s->g, (uint32_t)(sn >> 32), wire, wlen, out, sizeof out, &olen) != GOLD_OK)
        return -EIO;
    s->sn = sn;
    emit_rx(g, wire, wlen);
    expect_rx(g, s, NIC_DROP_NONE, NIC_RXS_SUCCESS,
              NIC_RXF_IPSEC | NIC_RXF_CRYPTO_DONE | NIC_RXF_DECAPPED, (uint32_t)(sn >> 32), out,
              olen);
    memcpy(g->last_rx, wire, wlen);
    g->last_rx_len = wlen;
    g->last_rx_sa = idx;
    return 0;
}

static void gen_esn_advance(struct gen *g, struct gsa *s)
{
    if (!strcmp(g->cr_sa, s->name))
        g->cr_len = 0; /* a new bottom may map the stored SN to another high half */
    s->sn += below(g, 1u << 30);
    struct stim_rec r = {.kind = STIM_ESN, .hi = (uint32_t)(s->sn >> 32), .bottom = (uint32_t)s->sn};
    snprintf(r.name, sizeof r.name, "%s", s->name);
    emit(g, &r);
}

int stim_gen(FILE *out, const struct stim_gen_opts *o)
{
    if (!o->seed || (o->sas > MAX_SAS) || (o->max_len && (o->max_len < 64 || o->max_len > 8000)))
        return -EINVAL;
    struct gen *g = calloc(1, sizeof *g);
    if (!g)
        return -ENOMEM;
    g->out = out;
    g->o = o;
    g->nsa = o->sas ? o->sas : 6;
    g->last_rx_sa = -1;
    pktgen_seed(&g->pg, o->seed);
    fprintf(out, "# nicsim stimulus: stim_gen seed %llu, %llu packets\n",
            (unsigned long long)o->seed, (unsigned long long)o->packets);
    for (unsigned i = 0; i < g->nsa; i++) {
        new_sa(g, true, i);
        new_sa(g, false, i);
    }
    int rc = 0;
    for (uint64_t k = 0; k < o->packets && !rc; k++) {
        unsigned i = below(g, g->nsa);
        bool tx = below(g, 2);
        struct gsa *s = tx ? &g->tx[i] : &g->rx[i];
        unsigned act = below(g, 100);
        if (act < 3) { /* CAM churn during traffic: delete, re-add with new parameters */
            del_sa(g, s);
            new_sa(g, tx, i);
            if (!tx && g->last_rx_sa == (int)i)
                g->last_rx_sa = -1;
        } else if (act < 6 && !tx && s->sa.esn && s->sa.offload == NIC_OFFLOAD_CRYPTO) {
            gen_esn_advance(g, s);
        }
        if (tx)
            rc = gen_tx(g, s);
        else if (s->sa.offload == NIC_OFFLOAD_PACKET)
            rc = gen_rx_packet(g, s, (int)i);
        else
            rc = gen_rx_crypto(g, s);
    }
    free(g);
    return rc;
}

/* engine_rtl_esp.c - ESP vector records through the Verilated pipeline top (rtl/crypto_top.v),
 * in crypto offload, with the host stack's part done here as Linux does it around such a card.
 *
 * Every record becomes a few stimulus records (vectors/stim/README.md) sent to
 * build/cosim/bin/cosim_top --serve, which runs them on the RTL (SAs through the mailbox, the
 * firmware and the RTL's CSR bus; packets through the RTL datapath) and answers one line per SA
 * operation and per packet. One SA per record, deleted after it, so records stay independent.
 *
 *  encap / esp_seal: the stack builds the frame (esp_host.h crypto_frame(): the golden
 *    library's headers, the record's IV, the plaintext, pad, trailer and a zero ICV); the RTL
 *    encrypts in place and writes the ICV; the wire frame is the result.
 *  decap / esp_open: an RX SA whose address is the packet's destination; with ESN the window
 *    bottom is seq_hi : SN-low, so the RTL infers the caller's high half (RFC 4303 A2.2). The
 *    RTL decrypts and verifies; on CRYPTO_SUCCESS the stack checks and removes the trailer
 *    (host-driver nd_esp_strip(), what esp_input_done2 does).
 *  level esp: the ESP packet travels in a synthetic IPv4 packet (esp_host.h wrap_v4) and is
 *    unwrapped after, as in engine_model_esp.c.
 *
 * Outcomes onto gold_status. TX: sent -> ok; dropped no_sa -> param, bad_syntax -> bad-header,
 * too_big -> VEC_UNSUPPORTED. RX: CRYPTO_SUCCESS then the stack's trailer check -> ok, dummy
 * (next header 59), bad-pad (pad length or pad bytes), bad-inner (the tunnel's inner packet);
 * *_ESP_AUTH_FAILED -> bad-icv; passed up without an SA -> the stack's verdict on where ESP is
 * (locate_esp: truncated, bad-header, not-esp) or spi; INVALID_PACKET_SYNTAX or a bad_syntax
 * drop -> truncated (ESP shorter than SPI|SN|IV + 4 + ICV) or bad-length (ciphertext not a
 * multiple of 4). An SA the RTL refuses is param; a program that ends or answers something
 * else is crypto (and the program is restarted for the next record).
 * Not expressible, VEC_UNSUPPORTED: SPI 0 (reserved; the SA tables refuse it) and frames longer
 * than the RTL's packet buffer.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_rtl.h"
#include "esp_host.h"
#include "nd_esp.h"
#include "nicsim/desc.h"
#include "vec_engine.h"

#define RTL_TOP_PROG "cosim_top"
#define RTL_MAX_FRAME 9600u /* struct dut_txn frame */

struct answer {
    bool ok;          /* "ok" (sent / delivered), else dropped                     */
    char drop[32];    /* the drop reason (drops.def name) when !ok                 */
    unsigned status, flags;
    size_t len;
    uint8_t *frame;   /* malloc'd, len bytes                                       */
};

static int restart(struct rtl_ctx *c)
{
    rtl_child_stop(&c->esp);
    c->esp_dead = rtl_child_start(&c->esp, RTL_TOP_PROG, "--serve") != 0;
    return c->esp_dead ? -1 : 0;
}

static void put_hex(FILE *f, const char *key, const uint8_t *p, size_t n)
{
    fprintf(f, " %s=", key);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%02x", p[i]);
}

static int hexval(int ch)
{
    return ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
}

/* The next answer line; NULL when the program ended. */
static const char *answer_line(struct rtl_ctx *c)
{
    if (fflush(c->esp.to) != 0 || getline(&c->esp.line, &c->esp.cap, c->esp.from) < 0)
        return NULL;
    return c->esp.line;
}

/* "line N tx: ok status 0 flags 0x00 handle r1 seq_hi 0 len 64 latency 200 frame=..." */
static int parse_answer(const char *l, struct answer *a)
{
    memset(a, 0, sizeof *a);
    const char *s = strstr(l, ": ");
    if (s == NULL || sscanf(s + 2, "%31s status %u flags %x", a->drop, &a->status, &a->flags) != 3)
        return -1;
    a->ok = strcmp(a->drop, "ok") == 0;
    const char *n = strstr(l, " len ");
    const char *f = strstr(l, " frame=");
    if (n == NULL || f == NULL || sscanf(n + 5, "%zu", &a->len) != 1 || a->len > RTL_MAX_FRAME)
        return -1;
    a->frame = malloc(a->len ? a->len : 1);
    if (a->frame == NULL)
        return -1;
    f += 7;
    for (size_t i = 0; i < a->len; i++) {
        int h = hexval(f[2 * i]), lo = h < 0 ? -1 : hexval(f[2 * i + 1]);
        if (h < 0 || lo < 0) {
            free(a->frame);
            a->frame = NULL;
            return -1;
        }
        a->frame[i] = (uint8_t)(h << 4 | lo);
    }
    return 0;
}

/* Install the record's SA; 0, GOLD_E_PARAM (refused) or GOLD_E_CRYPTO (the program failed). */
static int sa_add(struct rtl_ctx *c, const char *name, const struct gold_sa *sa, bool out,
                  bool v6, const uint8_t daddr[16])
{
    if (c->esp_dead && restart(c) != 0)
        return GOLD_E_CRYPTO;
    FILE *t = c->esp.to;
    fprintf(t, "sa %s dir=%s spi=%u mode=%s offload=crypto icv=%u esn=%d v6=%d", name,
            out ? "out" : "in", (unsigned)sa->spi, sa->mode == GOLD_TUNNEL ? "tunnel" : "transport",
            sa->icv_len, sa->esn, v6);
    uint8_t km[36];
    memcpy(km, sa->key, sa->key_len);
    memcpy(km + sa->key_len, sa->salt, 4);
    put_hex(t, "key", km, sa->key_len + 4);
    if (!out)
        put_hex(t, "daddr", daddr, v6 ? 16 : 4);
    fputc('\n', t);
    const char *l = answer_line(c);
    if (l == NULL || strstr(l, " sa ") == NULL) {
        c->esp_dead = true;
        return GOLD_E_CRYPTO;
    }
    if (strstr(l, ": ok ") == NULL) {
        c->esp_dead = true; /* the runner stopped at the refusal */
        return GOLD_E_PARAM;
    }
    return 0;
}

/* One packet on the record's SA, then the SA deleted. 0 and *a, or GOLD_E_CRYPTO. */
static int packet(struct rtl_ctx *c, const char *name, bool tx, uint32_t seq_hi,
                  const uint8_t *frame, size_t len, struct answer *a)
{
    FILE *t = c->esp.to;
    if (tx)
        fprintf(t, "tx %s seq_hi=%u", name, (unsigned)seq_hi);
    else
        fprintf(t, "rx");
    put_hex(t, "frame", frame, len);
    fprintf(t, "\ndel %s\n", name);
    const char *l = answer_line(c);
    if (l == NULL || parse_answer(l, a) != 0) {
        c->esp_dead = true;
        return GOLD_E_CRYPTO;
    }
    return 0;
}

static void sa_name(struct rtl_ctx *c, char *buf, size_t n)
{
    snprintf(buf, n, "v%u", ++c->serial);
}

/* ---- TX --------------------------------------------------------------------------------- */

static int tx_status(const struct answer *a)
{
    if (a->ok)
        return GOLD_OK;
    if (!strcmp(a->drop, "no_sa"))
        return GOLD_E_PARAM;
    if (!strcmp(a->drop, "bad_syntax"))
        return GOLD_E_BAD_HEADER;
    if (!strcmp(a->drop, "too_big"))
        return VEC_UNSUPPORTED;
    return GOLD_E_CRYPTO;
}

/* The crypto-offload frame through the RTL; the wire frame into out. */
static int seal_frame(struct rtl_ctx *c, const struct gold_sa *sa, uint64_t sn,
                      const uint8_t *frame, size_t flen, uint8_t *out, size_t cap, size_t *olen)
{
    if (flen > RTL_MAX_FRAME)
        return VEC_UNSUPPORTED;
    char name[16];
    sa_name(c, name, sizeof name);
    uint8_t none[16] = {0};
    int st = sa_add(c, name, sa, true, false, none);
    struct answer a;
    if (st || (st = packet(c, name, true, (uint32_t)(sn >> 32), frame, flen, &a)))
        return st;
    st = tx_status(&a);
    if (st == GOLD_OK) {
        if (a.len > cap)
            st = GOLD_E_NOSPACE;
        else
            memcpy(out, a.frame, *olen = a.len);
    }
    free(a.frame);
    return st;
}

int rtl_encap(void *ctx, const struct gold_sa *sa, uint64_t sn, const uint8_t iv[8],
              const uint8_t *pkt, size_t pkt_len, uint8_t *out, size_t out_cap, size_t *out_len)
{
    if (sa->spi == 0)
        return VEC_UNSUPPORTED;
    uint8_t *frame;
    size_t flen;
    int st = crypto_frame(sa, sn, iv, pkt, pkt_len, &frame, &flen);
    if (st != GOLD_OK)
        return st;
    st = seal_frame(ctx, sa, sn, frame, flen, out, out_cap, out_len);
    free(frame);
    return st;
}

int rtl_esp_seal(void *ctx, const struct gold_sa *sa, uint64_t sn, const uint8_t iv[8],
                 const uint8_t *payload, size_t payload_len, uint8_t next_header, uint8_t *esp,
                 size_t esp_cap, size_t *esp_len)
{
    if (sa->spi == 0)
        return VEC_UNSUPPORTED;
    /* the plaintext ESP behind a synthetic IPv4 header, as a transport-mode stack frames it */
    struct gold_sa tsa = *sa;
    tsa.mode = GOLD_TRANSPORT;
    size_t elen = ESP_HDR_IV + payload_len + 2 + sa_align(sa) + sa->icv_len;
    uint8_t *frame = malloc(V4_HDR + elen), *out = malloc(V4_HDR + elen);
    if (frame == NULL || out == NULL) {
        free(frame);
        free(out);
        return GOLD_E_CRYPTO;
    }
    elen = put_esp_plain(frame + V4_HDR, &tsa, sn, iv, payload, payload_len, next_header);
    put_v4(frame, PROTO_ESP, V4_HDR + elen);
    size_t olen = 0;
    int st = seal_frame(ctx, &tsa, sn, frame, V4_HDR + elen, out, V4_HDR + elen, &olen);
    if (st == GOLD_OK) {
        if (olen - V4_HDR > esp_cap)
            st = GOLD_E_NOSPACE;
        else
            memcpy(esp, out + V4_HDR, *esp_len = olen - V4_HDR);
    }
    free(frame);
    free(out);
    return st;
}

/* ---- RX --------------------------------------------------------------------------------- */

/* Why a received frame could not be taken as ESP of the SA, by the length rules. */
static int rx_syntax(const uint8_t *frame, size_t len, unsigned icv)
{
    struct esp_loc l;
    int st = locate_esp(frame, len, &l);
    if (st != GOLD_OK)
        return st;
    size_t esp_len = l.ip_len - l.esp_off;
    if (esp_len < ESP_HDR_IV + MIN_CT + icv)
        return GOLD_E_TRUNCATED;
    if ((esp_len - ESP_HDR_IV - icv) % 4u)
        return GOLD_E_BAD_LENGTH;
    return GOLD_E_CRYPTO; /* refused for no reason the stack knows */
}

/* Pad length and pad bytes of the decrypted trailer (RFC 4303 s2.4): 0 or GOLD_E_BAD_PAD. */
static int trailer_check(const uint8_t *ct, size_t ct_len)
{
    size_t pad = ct[ct_len - 2];
    if (pad + 2 > ct_len)
        return GOLD_E_BAD_PAD;
    for (size_t i = 0; i < pad; i++)
        if (ct[ct_len - 2 - pad + i] != (uint8_t)(i + 1))
            return GOLD_E_BAD_PAD;
    return 0;
}

/* The received frame through the RTL; *a the transaction. seq_hi: the caller's SN high half. */
static int open_frame(struct rtl_ctx *c, const struct gold_sa *sa, uint32_t seq_hi,
                      const uint8_t *frame, size_t len, struct answer *a)
{
    if (len > RTL_MAX_FRAME)
        return VEC_UNSUPPORTED;
    bool v6 = len >= 1 && frame[0] >> 4 == 6;
    uint8_t daddr[16] = {0};
    if (v6 && len >= 40)
        memcpy(daddr, frame + 24, 16);
    else if (!v6 && len >= 20)
        memcpy(daddr, frame + 16, 4);
    char name[16];
    sa_name(c, name, sizeof name);
    struct gold_sa rsa = *sa;
    int st = sa_add(c, name, &rsa, false, v6, daddr);
    if (st)
        return st;
    struct esp_loc l;
    if (sa->esn && locate_esp(frame, len, &l) == GOLD_OK && l.esp_off + 8 <= len)
        fprintf(c->esp.to, "esn %s hi=%u bottom=%u\n", name, (unsigned)seq_hi,
                (unsigned)ld32(frame + l.esp_off + 4));
    return packet(c, name, false, 0, frame, len, a);
}

/* The RTL's verdict before the stack's trailer check: GOLD_OK when it decrypted and verified. */
static int rx_status(const struct gold_sa *sa, const struct answer *a, const uint8_t *frame,
                     size_t len)
{
    if (!a->ok)
        return !strcmp(a->drop, "too_big") ? VEC_UNSUPPORTED : rx_syntax(frame, len, sa->icv_len);
    switch (a->status) {
    case NIC_RXS_SUCCESS:
        return GOLD_OK;
    case NIC_RXS_TRANSPORT_ESP_AUTH_FAILED:
    case NIC_RXS_TUNNEL_ESP_AUTH_FAILED:
        return GOLD_E_BAD_ICV;
    case NIC_RXS_INVALID_PACKET_SYNTAX:
        return rx_syntax(frame, len, sa->icv_len);
    case NIC_RXS_NONE: {
        struct esp_loc l;
        int st = locate_esp(frame, len, &l);
        return st != GOLD_OK ? st : GOLD_E_SPI; /* ESP, but no SA matched */
    }
    default:
        return GOLD_E_CRYPTO;
    }
}

int rtl_decap(void *ctx, const struct gold_sa *sa, uint32_t seq_hi, const uint8_t *pkt,
              size_t pkt_len, uint8_t *out, size_t out_cap, size_t *out_len)
{
    if (sa->spi == 0)
        return VEC_UNSUPPORTED;
    struct answer a;
    int st = open_frame(ctx, sa, seq_hi, pkt, pkt_len, &a);
    if (st)
        return st;
    st = rx_status(sa, &a, pkt, pkt_len);
    if (st == GOLD_OK) {
        struct nd_esp_sa nsa = {.spi = sa->spi, .icv_len = (uint8_t)sa->icv_len,
                                .tunnel = sa->mode == GOLD_TUNNEL, .outer_v6 = sa->outer_v6};
        struct esp_loc l;
        size_t olen = 0;
        locate_esp(a.frame, a.len, &l);
        int rc = nd_esp_strip(&nsa, a.frame, a.len, &olen);
        if (rc == -ENODATA)
            st = GOLD_E_DUMMY;
        else if (rc != 0)
            st = trailer_check(a.frame + l.esp_off + ESP_HDR_IV,
                               l.ip_len - l.esp_off - ESP_HDR_IV - sa->icv_len)
                     ? GOLD_E_BAD_PAD
                     : GOLD_E_BAD_INNER;
        else if (olen > out_cap)
            st = GOLD_E_NOSPACE;
        else
            memcpy(out, a.frame, *out_len = olen);
    }
    free(a.frame);
    return st;
}

int rtl_esp_open(void *ctx, const struct gold_sa *sa, uint32_t seq_hi, const uint8_t *esp,
                 size_t esp_len, uint8_t *payload, size_t payload_cap, size_t *payload_len,
                 uint8_t *next_header, uint32_t *sn_low)
{
    if (sa->spi == 0)
        return VEC_UNSUPPORTED;
    size_t flen;
    uint8_t *frame = wrap_v4(PROTO_ESP, esp, esp_len, &flen);
    if (frame == NULL)
        return GOLD_E_CRYPTO;
    struct answer a;
    int st = open_frame(ctx, sa, seq_hi, frame, flen, &a);
    if (st) {
        free(frame);
        return st;
    }
    st = rx_status(sa, &a, frame, flen);
    if (st == GOLD_OK) {
        const uint8_t *ct = a.frame + V4_HDR + ESP_HDR_IV;
        size_t ct_len = esp_len - ESP_HDR_IV - sa->icv_len;
        st = trailer_check(ct, ct_len);
        uint8_t nh = ct[ct_len - 1];
        size_t plen = ct_len - 2 - ct[ct_len - 2];
        if (st == 0 && nh == 59)
            st = GOLD_E_DUMMY; /* RFC 4303 s2.6: verified, then dropped */
        else if (st == 0 && plen > payload_cap)
            st = GOLD_E_NOSPACE;
        else if (st == 0) {
            memcpy(payload, ct, plen);
            *payload_len = plen;
            *next_header = nh;
            *sn_low = ld32(esp + 4);
        }
    }
    free(a.frame);
    free(frame);
    return st;
}

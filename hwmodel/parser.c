/* parser.c - the packet parser (contract and timing in parser.h).
 *
 * One walk serves all entry points; `want_esp` selects whether it looks for an ESP header (RX,
 * TX crypto) or for the ESP insertion point of a plain packet (TX packet offload, inner packet).
 * Every byte is read through rd_u8(), which checks the bound itself: the walk checks lengths
 * before it reads, and if it ever forgot to, the read returns 0 and the sticky `oob` flag turns
 * the result into PARSER_TRUNCATED instead of a read past the buffer.
 */
#include "parser.h"

#include <stdbool.h>
#include <string.h>

#define PARSER_MAX_BUF ((size_t)1 << 30)

/* IPv6 next-header values the walk knows (IANA protocol numbers). */
enum {
    NH_HOPOPT = 0,
    NH_ROUTING = 43,
    NH_FRAGMENT = 44,
    NH_ESP = 50,
    NH_AH = 51,
    NH_DSTOPTS = 60,
    NH_MOBILITY = 135,
    NH_HIP = 139,
    NH_SHIM6 = 140,
    NH_EXP1 = 253,
    NH_EXP2 = 254
};

struct rd {
    const uint8_t *b;
    size_t lim;   /* reads must stay below this: buffer length, then the IP length     */
    size_t hi;    /* one past the highest byte examined (timing)                        */
    bool oob;     /* a read was refused                                                 */
};

static bool rd_have(const struct rd *d, size_t off, size_t n)
{
    return off <= d->lim && n <= d->lim - off;
}

static uint8_t rd_u8(struct rd *d, size_t off)
{
    if (off >= d->lim) {
        d->oob = true;
        return 0;
    }
    if (off + 1 > d->hi)
        d->hi = off + 1;
    return d->b[off];
}

/* Bytes [off, off + n) are all readable: one bound check and one `hi` update for the run,
 * exactly what n rd_u8() calls would leave behind. */
static inline bool rd_span(struct rd *d, size_t off, size_t n)
{
    if (!rd_have(d, off, n))
        return false;
    if (off + n > d->hi)
        d->hi = off + n;
    return true;
}

/* Runs that end past the limit fall back to byte reads, which flag it. Everything here
 * inlines into the walk, so that `struct rd` lives in registers. */
static inline uint16_t rd_be16(struct rd *d, size_t off)
{
    if (rd_span(d, off, 2))
        return (uint16_t)(d->b[off] << 8 | d->b[off + 1]);
    uint16_t h = rd_u8(d, off);
    return (uint16_t)(h << 8 | rd_u8(d, off + 1));
}

static uint32_t rd_be32(struct rd *d, size_t off)
{
    return (uint32_t)rd_be16(d, off) << 16 | rd_be16(d, off + 2);
}

static inline void rd_copy(struct rd *d, size_t off, uint8_t *dst, size_t n)
{
    if (rd_span(d, off, n)) {
        memcpy(dst, d->b + off, n);
        return;
    }
    for (size_t i = 0; i < n; i++)
        dst[i] = rd_u8(d, off + i);
}

static bool is_ext(uint8_t nh)
{
    return nh == NH_HOPOPT || nh == NH_ROUTING || nh == NH_FRAGMENT || nh == NH_DSTOPTS;
}

/* Headers that may stand between IP and ESP but that this device cannot walk past. */
static bool is_unsupported(uint8_t nh)
{
    return nh == NH_AH || nh == NH_MOBILITY || nh == NH_HIP || nh == NH_SHIM6 || nh == NH_EXP1 ||
           nh == NH_EXP2;
}

/* IPv4 base header at d->b[off]; on success, d->lim becomes the end of the IP packet. */
static enum parser_status walk_v4(struct rd *d, size_t off, struct parser_result *r)
{
    if (!rd_have(d, off, 20))
        return PARSER_TRUNCATED;
    uint32_t ihl = (uint32_t)(rd_u8(d, off) & 0x0f) * 4;
    uint32_t tot = rd_be16(d, off + 2);
    if (ihl < 20)
        return PARSER_BAD_HEADER;
    if (!rd_have(d, off, ihl))
        return PARSER_TRUNCATED;
    if (tot < ihl)
        return PARSER_BAD_HEADER;
    if (!rd_have(d, off, tot))
        return PARSER_TRUNCATED;
    d->lim = off + tot;
    r->l3_hdr_len = ihl;
    r->ip_len = tot;
    /* The 20 bytes of the base header lie inside the buffer and the packet (checked above), so
     * the rest of it is read directly; the reads examine up to byte off + 19, which is what
     * `hi` records (as rd_copy/rd_u8/rd_be16 would). */
    const uint8_t *h = d->b + off;
    memcpy(r->saddr, h + 12, 4);
    memcpy(r->daddr, h + 16, 4);
    if (off + 20 > d->hi)
        d->hi = off + 20;
    r->nh_off = (uint32_t)(off + 9);
    r->proto = h[9];
    r->l4_off = (uint32_t)(off + ihl);
    /* MF or a nonzero offset: a fragment; the reserved and DF bits do not matter here. */
    if ((h[6] << 8 | h[7]) & 0x3fff)
        return PARSER_FRAGMENT;
    return PARSER_OK;
}

/* IPv6 base header and extension headers. For an ESP walk it stops at the first header that is
 * not hop-by-hop, routing, fragment or destination options; for a plain walk it also stops at
 * a destination options header that does not precede a routing header (that one is for the
 * final destination and belongs behind ESP, RFC 4303 s3.1.1). */
static enum parser_status walk_v6(struct rd *d, size_t off, bool want_esp,
                                  struct parser_result *r)
{
    if (!rd_have(d, off, 40))
        return PARSER_TRUNCATED;
    uint32_t plen = rd_be16(d, off + 4);
    if (plen == 0)
        return PARSER_BAD_HEADER; /* jumbogram (RFC 2675): not supported */
    if (!rd_have(d, off, 40 + (size_t)plen))
        return PARSER_TRUNCATED;
    d->lim = off + 40 + plen;
    r->v6 = 1;
    r->l3_hdr_len = 40;
    r->ip_len = 40 + plen;
    rd_copy(d, off + 8, r->saddr, 16);
    rd_copy(d, off + 24, r->daddr, 16);
    size_t nh_off = off + 6;
    uint8_t nh = rd_u8(d, nh_off);
    size_t cur = off + 40;
    enum parser_status st = PARSER_OK;

    while (is_ext(nh)) {
        if (!rd_have(d, cur, 2)) {
            st = PARSER_TRUNCATED;
            break;
        }
        if (!want_esp && nh == NH_DSTOPTS && rd_u8(d, cur) != NH_ROUTING)
            break; /* insertion point: before this destination options header */
        if (r->n_ext == PARSER_MAX_EXT) {
            st = PARSER_UNSUPPORTED_EXT; /* bounded walk: a ninth header */
            break;
        }
        if (nh == NH_HOPOPT && r->n_ext != 0) {
            st = PARSER_BAD_HEADER; /* RFC 8200 s4.1: only directly after the IPv6 header */
            break;
        }
        size_t hl = nh == NH_FRAGMENT ? 8 : ((size_t)rd_u8(d, cur + 1) + 1) * 8;
        if (!rd_have(d, cur, hl)) {
            st = PARSER_TRUNCATED;
            break;
        }
        bool frag = false;
        if (nh == NH_FRAGMENT) {
            /* offset (13 bits) << 3 | res (2) | M: anything but an atomic fragment. */
            frag = (rd_be16(d, cur + 2) & 0xfff9) != 0;
        }
        nh_off = cur;
        nh = rd_u8(d, cur);
        cur += hl;
        r->n_ext++;
        if (frag) {
            st = PARSER_FRAGMENT;
            break;
        }
    }
    r->nh_off = (uint32_t)nh_off;
    r->proto = nh;
    r->l4_off = (uint32_t)cur;
    return st;
}

static enum parser_status walk(const uint8_t *buf, size_t len, size_t off, bool want_esp,
                               struct parser_result *r)
{
    /* Offsets are reported as uint32_t: cap the window so that every offset fits. */
    size_t lim = len > PARSER_MAX_BUF ? PARSER_MAX_BUF : len;
    struct rd d = { .b = buf, .lim = buf ? lim : 0, .hi = off, .oob = false };
    enum parser_status st;

    parser_result_clear(r);
    r->l3_off = off < lim ? (uint32_t)off : 0;
    if (!rd_have(&d, off, 1)) {
        st = PARSER_NOT_IP;
        goto out;
    }
    uint8_t ver = rd_u8(&d, off) >> 4;
    if (ver == 4)
        st = walk_v4(&d, off, r);
    else if (ver == 6)
        st = walk_v6(&d, off, want_esp, r);
    else
        st = PARSER_NOT_IP;
    if (st == PARSER_NOT_IP)
        goto out;
    r->ip_version = ver;
    if (!want_esp) {
        if (st == PARSER_OK || st == PARSER_FRAGMENT)
            r->esp_off = r->l4_off; /* where the device inserts the ESP header */
        goto out;
    }
    if (st != PARSER_OK)
        goto out;
    if (is_unsupported(r->proto)) {
        st = PARSER_UNSUPPORTED_EXT;
        goto out;
    }
    if (r->proto != NH_ESP) {
        st = PARSER_NOT_ESP;
        goto out;
    }
    if (!rd_have(&d, r->l4_off, PARSER_ESP_HDR_LEN + PARSER_ESP_IV_LEN)) {
        st = PARSER_TRUNCATED;
        goto out;
    }
    r->esp_off = r->l4_off;
    r->iv_off = r->esp_off + PARSER_ESP_HDR_LEN;
    r->payload_off = r->iv_off + PARSER_ESP_IV_LEN;
    r->esp_len = (uint32_t)(r->l3_off + r->ip_len - r->esp_off);
    r->spi = rd_be32(&d, r->esp_off);
    r->sn = rd_be32(&d, r->esp_off + 4);
    /* The parser streams the IV past as well: the GCM engine needs it first. */
    d.hi = r->payload_off > d.hi ? r->payload_off : d.hi;

out:
    if (d.oob)
        st = PARSER_TRUNCATED; /* never expected: a missing length check above */
    r->status = st;
    r->walked = d.hi > off ? (uint32_t)(d.hi - off) : 0;
    return st;
}

enum parser_status parser_rx(const uint8_t *buf, size_t len, struct parser_result *r)
{
    return walk(buf, len, 0, true, r);
}

/* The stack built the ESP header in front of the payload, so the TX walk is the RX walk; a
 * separate entry point keeps the pipeline readable and leaves room for TX-only checks. */
enum parser_status parser_tx_crypto(const uint8_t *buf, size_t len, struct parser_result *r)
{
    return walk(buf, len, 0, true, r);
}

enum parser_status parser_tx_plain(const uint8_t *buf, size_t len, struct parser_result *r)
{
    return walk(buf, len, 0, false, r);
}

enum parser_status parser_at(const uint8_t *buf, size_t len, size_t off, struct parser_result *r)
{
    return walk(buf, len, off, false, r);
}

const char *parser_status_name(enum parser_status s)
{
    static const char *const names[PARSER_NSTATUS] = {
        [PARSER_OK] = "PARSER_OK",
        [PARSER_NOT_IP] = "PARSER_NOT_IP",
        [PARSER_TRUNCATED] = "PARSER_TRUNCATED",
        [PARSER_BAD_HEADER] = "PARSER_BAD_HEADER",
        [PARSER_FRAGMENT] = "PARSER_FRAGMENT",
        [PARSER_NOT_ESP] = "PARSER_NOT_ESP",
        [PARSER_UNSUPPORTED_EXT] = "PARSER_UNSUPPORTED_EXT",
    };
    return (unsigned)s < PARSER_NSTATUS ? names[s] : "PARSER_?";
}

/* esp_vecgen.c - writes nicsim ESP packet vectors (vectors/README.md) to stdout.
 *
 *   build/bin/esp_vecgen --seed N > vectors/esp/generated.vec
 *
 * The expected bytes must not come from the code they will judge, so this program shares
 * nothing with tb/golden/: it builds IP headers byte by byte from RFC 791/8200, ESP from
 * RFC 4303/4106 and the outer-header rules written in esp_golden.h, and calls OpenSSL EVP for
 * AES-GCM itself. Output is a pure function of the seed (a splitmix64 stream).
 *
 * What it writes: every key size x ICV size x ESN on/off at level esp and at level ip (transport
 * IPv4 with and without options, transport IPv6 with and without extension headers, tunnel in
 * all four inner/outer families), a few larger alignments, two 9000-byte packets, and decap
 * cases that must fail: flipped ICV bit and flipped ciphertext bit (bad-icv), truncation
 * (truncated), wrong pad bytes and an impossible pad length under a correct tag (bad-pad),
 * ciphertext not a multiple of 4 (bad-length), next header 59 (dummy), and a wrong SPI (spi).
 */
#include <arpa/inet.h>
#include <openssl/evp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAXPKT 10000u  /* largest packet this program builds, headers and ESP included */
#define HEX_PER_LINE 32 /* bytes per line of hex output */

/* ---- deterministic randomness ------------------------------------------------------------ */

struct rng {
    uint64_t s;
};

/* splitmix64 (Steele, Lea, Flood 2014): tiny, and the same stream on every platform. */
static uint64_t rnd(struct rng *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* Uniform enough in [lo, hi] for test data. */
static size_t rnd_in(struct rng *r, size_t lo, size_t hi) { return lo + rnd(r) % (hi - lo + 1); }

static void rnd_bytes(struct rng *r, uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)rnd(r);
}

/* ---- byte helpers ------------------------------------------------------------------------- */

static void be16(uint8_t *p, size_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static void be32(uint8_t *p, uint32_t v)
{
    be16(p, v >> 16);
    be16(p + 2, v & 0xffffu);
}

/* RFC 1071 ones' complement sum over an IPv4 header. */
static unsigned ip_csum(const uint8_t *h, size_t n)
{
    uint32_t s = 0;
    for (size_t i = 0; i < n; i += 2)
        s += (uint32_t)h[i] << 8 | h[i + 1];
    while (s > 0xffff)
        s = (s & 0xffff) + (s >> 16);
    return ~s & 0xffffu;
}

static void v4_fix(uint8_t *p, size_t total)
{
    size_t ihl = (size_t)(p[0] & 15) * 4;
    be16(p + 2, total);
    be16(p + 10, 0);
    be16(p + 10, ip_csum(p, ihl));
}

static void die(const char *why)
{
    fprintf(stderr, "esp_vecgen: %s\n", why);
    exit(1);
}

/* ---- the SA and ESP --------------------------------------------------------------------- */

struct sa {
    uint8_t keymat[36]; /* AES key || 4-byte salt */
    size_t key_len;
    unsigned icv;
    uint32_t spi;
    bool esn;
    unsigned align; /* 0: the default 4, not written */
    bool tunnel;
    bool outer_v6;
    uint8_t src[16], dst[16];
};

/* Ways to damage the trailer while keeping a correct ICV. */
enum trailer { TR_OK, TR_PAD_BYTE, TR_PAD_LEN, TR_CT_ODD };

static void gcm(const struct sa *sa, const uint8_t nonce[12], const uint8_t *aad, size_t alen,
                uint8_t *buf, size_t len, uint8_t tag[16])
{
    const EVP_CIPHER *c = sa->key_len == 16   ? EVP_aes_128_gcm()
                          : sa->key_len == 24 ? EVP_aes_192_gcm()
                                              : EVP_aes_256_gcm();
    EVP_CIPHER_CTX *x = EVP_CIPHER_CTX_new();
    int n = 0;
    /* 12-byte nonce is EVP's default GCM IV length; encryption is in place. */
    if (x == NULL || EVP_EncryptInit_ex(x, c, NULL, sa->keymat, nonce) != 1 ||
        EVP_EncryptUpdate(x, NULL, &n, aad, (int)alen) != 1 ||
        (len > 0 && EVP_EncryptUpdate(x, buf, &n, buf, (int)len) != 1) ||
        EVP_EncryptFinal_ex(x, tag, &n) != 1 ||
        EVP_CIPHER_CTX_ctrl(x, EVP_CTRL_GCM_GET_TAG, 16, tag) != 1)
        die("OpenSSL AES-GCM failed");
    EVP_CIPHER_CTX_free(x);
}

/* ESP packet SPI..ICV at out; returns its length. RFC 4106: nonce = salt || IV, AAD = SPI ||
 * SN(32) or SPI || SN-high || SN-low; SN-high never on the wire. RFC 4303: pad 1,2,3.. to make
 * the ciphertext a multiple of the alignment. tr damages the trailer before encryption. */
static size_t esp_seal(const struct sa *sa, uint64_t sn, const uint8_t iv[8], const uint8_t *pl,
                       size_t plen, uint8_t nh, enum trailer tr, struct rng *r, uint8_t *out)
{
    unsigned align = sa->align ? sa->align : 4;
    size_t pad = (align - (plen + 2) % align) % align;
    if (tr == TR_PAD_BYTE)
        pad += 4; /* at least four pad bytes to damage; still aligned */
    if (tr == TR_CT_ODD) {
        pad = (pad + 2) % 4; /* ciphertext length 2 mod 4 ... */
        if (plen + pad + 2 < 4)
            pad += 4; /* ... and at least 4 bytes, or it would be merely truncated */
    }
    if (16 + plen + pad + 2 + sa->icv > MAXPKT)
        die("packet too large");
    uint8_t *ct = out + 16;
    memmove(ct, pl, plen);
    for (size_t i = 0; i < pad; i++)
        ct[plen + i] = (uint8_t)(i + 1);
    ct[plen + pad] = (uint8_t)pad;
    ct[plen + pad + 1] = nh;
    if (tr == TR_PAD_BYTE)
        ct[plen + rnd_in(r, 0, pad - 1)] ^= (uint8_t)rnd_in(r, 1, 255);
    if (tr == TR_PAD_LEN) /* more pad than the whole plaintext before the trailer */
        ct[plen + pad] = (uint8_t)rnd_in(r, plen + pad + 1, 255);
    size_t ctlen = plen + pad + 2;

    uint8_t aad[12], nonce[12], tag[16];
    size_t alen = sa->esn ? 12 : 8;
    be32(aad, sa->spi);
    if (sa->esn)
        be32(aad + 4, (uint32_t)(sn >> 32));
    be32(aad + alen - 4, (uint32_t)sn);
    memcpy(nonce, sa->keymat + sa->key_len, 4);
    memcpy(nonce + 4, iv, 8);
    be32(out, sa->spi);
    be32(out + 4, (uint32_t)sn);
    memcpy(out + 8, iv, 8);
    gcm(sa, nonce, aad, alen, ct, ctlen, tag);
    memcpy(ct + ctlen, tag, sa->icv);
    return 16 + ctlen + sa->icv;
}

/* ---- IP packets ------------------------------------------------------------------------- */

/* Where transport mode splits a packet: bytes kept in front of ESP, and the byte that names
 * what follows them. */
struct split {
    size_t keep;
    size_t nh_off;
};

/* IPv4 with opt bytes of options (0..40, multiple of 4) and plen payload bytes. */
static size_t mk_v4(struct rng *r, uint8_t *p, size_t opt, uint8_t proto, size_t plen,
                    struct split *sp)
{
    size_t ihl = 20 + opt;
    memset(p, 0, ihl);
    p[0] = (uint8_t)(0x40 | ihl / 4);
    p[1] = (uint8_t)rnd(r);                       /* TOS, copied by tunnels */
    be16(p + 4, rnd(r) & 0xffff);                 /* ID */
    be16(p + 6, rnd(r) & 1 ? 0x4000 : 0);         /* DF, copied by tunnels */
    p[8] = (uint8_t)rnd_in(r, 1, 255);            /* TTL */
    p[9] = proto;
    be32(p + 12, 0xc0000200u | (uint32_t)rnd_in(r, 1, 254)); /* 192.0.2.x */
    be32(p + 16, 0xc6336400u | (uint32_t)rnd_in(r, 1, 254)); /* 198.51.100.x */
    if (opt >= 4) {
        p[20] = 0x94, p[21] = 4; /* router alert (RFC 2113), then NOPs */
        for (size_t i = 24; i < ihl; i++)
            p[i] = 1;
    }
    rnd_bytes(r, p + ihl, plen);
    v4_fix(p, ihl + plen);
    sp->keep = ihl;
    sp->nh_off = 9;
    return ihl + plen;
}

/* One IPv6 extension header of len bytes (a PadN fills it); returns the offset after it. */
static size_t v6_ext(uint8_t *p, size_t off, uint8_t next, size_t len)
{
    memset(p + off, 0, len);
    p[off] = next;
    p[off + 1] = (uint8_t)(len / 8 - 1);
    p[off + 2] = 1;
    p[off + 3] = (uint8_t)(len - 4);
    return off + len;
}

/* IPv6; ext 0: none, 1: HBH DEST ROUTING FRAG | DEST(final), 2: HBH | DEST(final). RFC 4303
 * s3.1.1 (IPv6 transport figure) keeps hop-by-hop, the destination options meant for routing
 * hops, routing and fragment in front of ESP; final destination options are encrypted. */
static size_t mk_v6(struct rng *r, uint8_t *p, int ext, uint8_t proto, size_t plen,
                    struct split *sp)
{
    uint8_t tc = (uint8_t)rnd(r);
    memset(p, 0, 40);
    p[0] = (uint8_t)(0x60 | tc >> 4);
    p[1] = (uint8_t)((tc & 15) << 4 | (rnd(r) & 15)); /* flow label: not copied by tunnels */
    be16(p + 2, rnd(r) & 0xffff);
    p[7] = (uint8_t)rnd_in(r, 1, 255);
    p[8] = 0x20, p[9] = 0x01, p[10] = 0x0d, p[11] = 0xb8; /* 2001:db8::/32 */
    rnd_bytes(r, p + 12, 4);
    memcpy(p + 24, p + 8, 4);
    rnd_bytes(r, p + 28, 12);
    size_t off = 40;
    sp->nh_off = 6;
    if (ext == 0) {
        p[6] = proto;
    } else if (ext == 1) {
        p[6] = 0;
        off = v6_ext(p, off, 60, 8);
        off = v6_ext(p, off, 43, 16);
        off = v6_ext(p, off, 44, 24);
        sp->nh_off = off;
        off = v6_ext(p, off, 60, 8);
        /* an atomic fragment (RFC 6946: offset 0, M clear): transport mode protects whole
         * datagrams only (RFC 4303 s3.3), so a real fragment could not be sent this way */
        p[off - 6] = 0, p[off - 5] = 0;
        be32(p + off - 4, (uint32_t)rnd(r));
        sp->keep = off;
        off = v6_ext(p, off, proto, 8);
    } else {
        p[6] = 0;
        sp->nh_off = off;
        off = v6_ext(p, off, 60, 8);
        sp->keep = off;
        off = v6_ext(p, off, proto, 8);
    }
    if (ext == 0)
        sp->keep = 40;
    rnd_bytes(r, p + off, plen);
    be16(p + 4, off - 40 + plen);
    return off + plen;
}

static size_t mk_inner(struct rng *r, uint8_t *p, bool v6, size_t plen, struct split *sp)
{
    static const uint8_t protos[] = {6, 17, 1, 58, 132};
    uint8_t proto = protos[rnd(r) % sizeof protos];
    if (v6)
        return mk_v6(r, p, (int)(rnd(r) % 3), proto == 1 ? 58 : proto, plen, sp);
    return mk_v4(r, p, rnd(r) & 1 ? 4 * rnd_in(r, 1, 10) : 0, proto == 58 ? 1 : proto, plen, sp);
}

/* Transport or tunnel encapsulation of pkt into out (esp_golden.h's layout); returns length. */
static size_t encap(const struct sa *sa, uint64_t sn, const uint8_t iv[8], const uint8_t *pkt,
                    size_t len, const struct split *sp, uint8_t nh_override, enum trailer tr,
                    struct rng *r, uint8_t *out)
{
    bool inner_v4 = (pkt[0] >> 4) == 4;
    if (!sa->tunnel) {
        uint8_t nh = nh_override ? nh_override : pkt[sp->nh_off];
        size_t total = sp->keep + esp_seal(sa, sn, iv, pkt + sp->keep, len - sp->keep, nh, tr, r,
                                           out + sp->keep);
        memcpy(out, pkt, sp->keep);
        out[sp->nh_off] = 50;
        if (inner_v4)
            v4_fix(out, total);
        else
            be16(out + 4, total - 40);
        return total;
    }
    uint8_t tos = inner_v4 ? pkt[1] : (uint8_t)((pkt[0] & 15) << 4 | pkt[1] >> 4);
    uint8_t nh = nh_override ? nh_override : inner_v4 ? 4 : 41;
    size_t hdr = sa->outer_v6 ? 40 : 20;
    size_t total = hdr + esp_seal(sa, sn, iv, pkt, len, nh, tr, r, out + hdr);
    memset(out, 0, hdr);
    if (!sa->outer_v6) {
        out[0] = 0x45;
        out[1] = tos;
        be16(out + 6, inner_v4 && (pkt[6] & 0x40) ? 0x4000 : 0); /* ID 0, DF copied */
        out[8] = 64;
        out[9] = 50;
        memcpy(out + 12, sa->src, 4);
        memcpy(out + 16, sa->dst, 4);
        v4_fix(out, total);
    } else {
        out[0] = (uint8_t)(0x60 | tos >> 4);
        out[1] = (uint8_t)((tos & 15) << 4); /* flow label 0 */
        be16(out + 4, total - 40);
        out[6] = 50;
        out[7] = 64;
        memcpy(out + 8, sa->src, 16);
        memcpy(out + 24, sa->dst, 16);
    }
    return total;
}

/* ---- output ------------------------------------------------------------------------------ */

static void put_hex(const char *key, const uint8_t *p, size_t n)
{
    printf("%s =", key);
    for (size_t i = 0; i < n; i++) {
        if (i == 0)
            putchar(' ');
        else if (i % HEX_PER_LINE == 0)
            fputs("\n  ", stdout);
        printf("%02x", p[i]);
    }
    putchar('\n');
}

static void put_addr(const char *key, bool v6, const uint8_t *a)
{
    char s[INET6_ADDRSTRLEN];
    if (inet_ntop(v6 ? AF_INET6 : AF_INET, a, s, sizeof s) == NULL)
        die("inet_ntop failed");
    printf("%s = %s\n", key, s);
}

struct rec {
    const char *tag;   /* part of the record name */
    bool decap;
    bool ip;           /* level ip */
    uint64_t sn;
    const uint8_t *iv; /* encap only */
    int nh;            /* level esp next header, -1 for none */
    const uint8_t *plain;
    size_t plain_len;  /* written when plain != NULL */
    const uint8_t *esp;
    size_t esp_len;
    const char *result; /* decap only */
};

struct gen {
    struct rng r;
    unsigned long long seed;
    unsigned count;
};

static void put_rec(struct gen *g, const struct sa *sa, const struct rec *v)
{
    printf("\n[g%03u-%s-aes%zu-icv%u-%s-%s]\n", ++g->count, v->tag, sa->key_len * 8, sa->icv,
           sa->esn ? "esn" : "sn32", v->decap ? v->result : "encap");
    printf("source = esp_vecgen --seed %llu\n", g->seed);
    printf("op = %s\nlevel = %s\n", v->decap ? "decap" : "encap", v->ip ? "ip" : "esp");
    if (v->ip)
        printf("mode = %s\n", sa->tunnel ? "tunnel" : "transport");
    put_hex("keymat", sa->keymat, sa->key_len + 4);
    printf("icv = %u\nspi = 0x%08x\nsn = 0x%llx\nesn = %s\n", sa->icv, sa->spi,
           (unsigned long long)v->sn, sa->esn ? "yes" : "no");
    if (sa->align)
        printf("align = %u\n", sa->align);
    if (v->iv != NULL)
        put_hex("iv", v->iv, 8);
    if (v->nh >= 0)
        printf("next-header = %d\n", v->nh);
    if (v->ip && sa->tunnel && !v->decap) {
        put_addr("outer-src", sa->outer_v6, sa->src);
        put_addr("outer-dst", sa->outer_v6, sa->dst);
    }
    if (v->plain != NULL)
        put_hex("plain", v->plain, v->plain_len);
    put_hex("esp", v->esp, v->esp_len);
    if (v->decap)
        printf("result = %s\n", v->result);
}

/* ---- what gets generated ---------------------------------------------------------------- */

static void sa_new(struct gen *g, struct sa *sa, size_t key_len, unsigned icv, bool esn)
{
    memset(sa, 0, sizeof *sa);
    sa->key_len = key_len;
    sa->icv = icv;
    sa->esn = esn;
    rnd_bytes(&g->r, sa->keymat, key_len + 4);
    sa->spi = (uint32_t)rnd_in(&g->r, 256, 0xffffffffu); /* 1..255 are reserved (RFC 4303) */
}

static void set_tunnel(struct gen *g, struct sa *sa, bool tunnel, bool outer_v6)
{
    sa->tunnel = tunnel;
    sa->outer_v6 = outer_v6;
    memset(sa->src, 0, 16);
    memset(sa->dst, 0, 16);
    if (!outer_v6) {
        be32(sa->src, 0xcb007100u | (uint32_t)rnd_in(&g->r, 1, 254)); /* 203.0.113.x */
        be32(sa->dst, 0xcb007100u | (uint32_t)rnd_in(&g->r, 1, 254));
    } else {
        sa->src[0] = sa->dst[0] = 0x20, sa->src[1] = sa->dst[1] = 0x01;
        sa->src[2] = sa->dst[2] = 0x0d, sa->src[3] = sa->dst[3] = 0xb8;
        sa->src[15] = (uint8_t)rnd_in(&g->r, 1, 255);
        sa->dst[15] = (uint8_t)rnd_in(&g->r, 1, 255);
        sa->dst[7] = 1; /* a different /64 */
    }
}

static uint64_t next_sn(struct gen *g, const struct sa *sa)
{
    uint64_t lo = rnd_in(&g->r, 1, 0xffffffffu);
    return sa->esn ? (uint64_t)rnd_in(&g->r, 1, 0xffff) << 32 | lo : lo;
}

static void gen_esp(struct gen *g, struct sa *sa, size_t plen, const char *tag)
{
    static uint8_t pl[MAXPKT], esp[MAXPKT];
    static const uint8_t nhs[] = {4, 41, 6, 17, 1, 58};
    uint8_t iv[8];
    rnd_bytes(&g->r, iv, 8);
    rnd_bytes(&g->r, pl, plen);
    uint64_t sn = next_sn(g, sa);
    uint8_t nh = nhs[rnd(&g->r) % sizeof nhs];
    size_t el = esp_seal(sa, sn, iv, pl, plen, nh, TR_OK, &g->r, esp);
    struct rec v = {tag, false, false, sn, iv, nh, pl, plen, esp, el, NULL};
    put_rec(g, sa, &v);
}

/* An encap record at level ip for the packet pkt. */
static void gen_ip_pkt(struct gen *g, struct sa *sa, const uint8_t *pkt, size_t len,
                       const struct split *sp, const char *tag)
{
    static uint8_t out[MAXPKT];
    uint8_t iv[8];
    rnd_bytes(&g->r, iv, 8);
    uint64_t sn = next_sn(g, sa);
    /* Half the records use the SN as IV, as a packet-offload card numbers them (RFC 4106 s3.1
     * allows a counter), so that path is covered too; the others a random IV. */
    if (sn & 1)
        for (int i = 0; i < 8; i++)
            iv[i] = (uint8_t)(sn >> (56 - 8 * i));
    size_t ol = encap(sa, sn, iv, pkt, len, sp, 0, TR_OK, &g->r, out);
    struct rec v = {tag, false, true, sn, iv, -1, pkt, len, out, ol, NULL};
    put_rec(g, sa, &v);
}

static void gen_ip(struct gen *g, struct sa *sa, bool inner_v6, size_t plen, const char *tag)
{
    static uint8_t pkt[MAXPKT];
    struct split sp;
    size_t len = mk_inner(&g->r, pkt, inner_v6, plen, &sp);
    gen_ip_pkt(g, sa, pkt, len, &sp, tag);
}

enum neg {
    NEG_ICV_BIT, NEG_CT_BIT, NEG_TRUNC, NEG_PAD_BYTE, NEG_PAD_LEN, NEG_CT_ODD, NEG_DUMMY, NEG_SPI,
    NEG_COUNT
};
static const char *const neg_tag[NEG_COUNT] = {"icv-bit", "ct-bit",  "trunc", "pad-byte",
                                               "pad-len", "ct-odd",  "nh59",  "spi"};
static const char *const neg_result[NEG_COUNT] = {"bad-icv", "bad-icv",    "truncated",
                                                  "bad-pad", "bad-pad",    "bad-length",
                                                  "dummy",   "spi"};

/* A packet that must fail decap with neg_result[n]; at level ip when ip. */
static void gen_neg(struct gen *g, struct sa *sa, enum neg n, bool ip, bool inner_v6)
{
    static uint8_t pkt[MAXPKT], out[MAXPKT];
    struct rng *r = &g->r;
    enum trailer tr = n == NEG_PAD_BYTE ? TR_PAD_BYTE
                      : n == NEG_PAD_LEN ? TR_PAD_LEN
                      : n == NEG_CT_ODD  ? TR_CT_ODD
                                         : TR_OK;
    uint8_t nh = n == NEG_DUMMY ? 59 : 0;
    uint8_t iv[8];
    rnd_bytes(r, iv, 8);
    uint64_t sn = next_sn(g, sa);
    size_t off = 0, len; /* off: where ESP starts in out */
    int esp_nh = -1;
    if (ip) {
        struct split sp;
        size_t plen = n == NEG_PAD_LEN ? rnd_in(r, 0, 40) : rnd_in(r, 0, 120);
        len = mk_inner(r, pkt, inner_v6, plen, &sp);
        len = encap(sa, sn, iv, pkt, len, &sp, nh, tr, r, out);
        off = sa->tunnel ? (sa->outer_v6 ? 40 : 20) : sp.keep;
    } else {
        /* Keep the payload short for a pad length that points before its start. */
        size_t plen = n == NEG_PAD_LEN ? rnd_in(r, 0, 100) : rnd_in(r, 0, 120);
        esp_nh = nh ? nh : 17;
        rnd_bytes(r, pkt, plen);
        len = esp_seal(sa, sn, iv, pkt, plen, (uint8_t)esp_nh, tr, r, out);
    }
    size_t esp_len = len - off;
    switch (n) {
    case NEG_ICV_BIT: {
        size_t bit = rnd_in(r, 0, 8 * sa->icv - 1);
        out[len - sa->icv + bit / 8] ^= (uint8_t)(1u << bit % 8);
        break;
    }
    case NEG_CT_BIT: {
        size_t at = off + 16 + rnd_in(r, 0, esp_len - 16 - sa->icv - 1);
        out[at] ^= (uint8_t)(1u << rnd_in(r, 0, 7));
        break;
    }
    case NEG_TRUNC: {
        /* Shorter than SPI | SN | IV + the smallest (4-byte) ciphertext + ICV. */
        size_t keep = rnd_in(r, 1, 16 + 4 + sa->icv - 1);
        len = off + keep;
        if (ip && (out[0] >> 4) == 4)
            v4_fix(out, len); /* the IP header stays consistent: only ESP is short */
        else if (ip)
            be16(out + 4, len - 40);
        break;
    }
    case NEG_SPI:
        out[off + rnd_in(r, 0, 3)] ^= (uint8_t)(1u << rnd_in(r, 0, 7));
        break;
    default:
        break;
    }
    char tag[32];
    snprintf(tag, sizeof tag, "%s-%s", ip ? (sa->tunnel ? "tun" : "tra") : "esp", neg_tag[n]);
    struct rec v = {tag, true, ip, sn, NULL, esp_nh, NULL, 0, out, len, neg_result[n]};
    put_rec(g, sa, &v);
}

static void generate(struct gen *g)
{
    static const size_t keys[] = {16, 24, 32};
    static const unsigned icvs[] = {8, 12, 16};
    struct rng *r = &g->r;
    struct sa sa;
    unsigned i = 0;

    for (size_t k = 0; k < 3; k++)
        for (size_t t = 0; t < 3; t++)
            for (int esn = 0; esn < 2; esn++, i++) {
                sa_new(g, &sa, keys[k], icvs[t], esn);
                /* level esp: empty, tiny and small payloads over the SAs */
                gen_esp(g, &sa, i % 6 == 0 ? 0 : rnd_in(r, 1, 100), "esp");
                set_tunnel(g, &sa, false, false);
                gen_ip(g, &sa, false, rnd_in(r, 0, 100), "tra-v4");
                gen_ip(g, &sa, true, rnd_in(r, 0, 100), "tra-v6");
                for (int f = 0; f < 4; f++) {
                    static const char *const tags[] = {"tun-v4in4", "tun-v6in4", "tun-v4in6",
                                                       "tun-v6in6"};
                    set_tunnel(g, &sa, true, f >= 2);
                    gen_ip(g, &sa, f & 1, rnd_in(r, 0, 100), tags[f]);
                }
                /* negatives alternate between the levels and modes */
                for (int n = 0; n < NEG_COUNT; n++) {
                    int where = (int)((i + (unsigned)n) % 3); /* 0 esp, 1 transport, 2 tunnel */
                    set_tunnel(g, &sa, where == 2, (i + (unsigned)n) & 1);
                    gen_neg(g, &sa, (enum neg)n, where != 0, (i >> 1) & 1);
                }
            }

    /* larger alignments (RFC 4303 s2.4 lets a sender pad further) */
    static const unsigned aligns[] = {8, 16, 64};
    for (size_t a = 0; a < 3; a++) {
        sa_new(g, &sa, keys[a], 16, a == 1);
        sa.align = aligns[a];
        gen_esp(g, &sa, rnd_in(r, 0, 80), "esp-align");
        set_tunnel(g, &sa, a != 0, a == 2);
        gen_ip(g, &sa, a == 2, rnd_in(r, 0, 80), a ? "tun-align" : "tra-align");
    }

    /* two jumbo-frame sized packets: 9000 bytes of payload, and a 9000-byte IPv6 packet */
    sa_new(g, &sa, 32, 16, true);
    gen_esp(g, &sa, 9000, "esp-9000");
    sa_new(g, &sa, 16, 12, false);
    set_tunnel(g, &sa, true, false);
    static uint8_t big[MAXPKT];
    struct split sp;
    size_t len = mk_v6(r, big, 0, 17, 9000 - 40, &sp);
    gen_ip_pkt(g, &sa, big, len, &sp, "tun-v6in4-9000");
}

int main(int argc, char **argv)
{
    struct gen g = {{0}, 1, 0};
    for (int a = 1; a < argc; a++) {
        if (strcmp(argv[a], "--seed") == 0 && a + 1 < argc) {
            char *end;
            g.seed = strtoull(argv[++a], &end, 0);
            if (*argv[a] == '\0' || *end != '\0')
                die("--seed wants a number");
        } else if (strcmp(argv[a], "--help") == 0 || strcmp(argv[a], "-h") == 0) {
            puts("usage: esp_vecgen [--seed N]   (writes nicsim-esp-1 vectors to stdout)");
            return 0;
        } else {
            die("unknown argument (try --help)");
        }
    }
    g.r.s = g.seed;
    printf("format = nicsim-esp-1\n\n");
    printf("# Generated by tb/tools/esp_vecgen.c:\n");
    printf("#   build/bin/esp_vecgen --seed %llu > vectors/esp/generated.vec\n", g.seed);
    printf("# Expected values come from OpenSSL EVP AES-GCM called by the generator itself, with\n"
           "# headers built independently of tb/golden (see the comment at the top of the\n"
           "# generator). Do not edit by hand; regenerate.\n");
    generate(&g);
    if (fflush(stdout) != 0 || ferror(stdout))
        die("write error");
    return 0;
}

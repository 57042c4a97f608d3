/* test_parser.c - the packet parser: IPv4 with and without options, IPv6 extension chains,
 * fragments, non-ESP, every truncation, TX insertion points, and a fuzz loop over exact-size
 * heap buffers so that AddressSanitizer sees any read past the end.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "parser.h"

#define SPI 0x11223344u
#define SN 0xa0b0c0d0u

static void put16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
    put16(p, v >> 16);
    put16(p + 2, v & 0xffff);
}

/* ESP header + IV + `body` bytes at p; returns bytes written. */
static size_t put_esp(uint8_t *p, size_t body)
{
    put32(p, SPI);
    put32(p + 4, SN);
    for (int i = 0; i < 8; i++)
        p[8 + i] = (uint8_t)(0xe0 + i);
    memset(p + 16, 0x5a, body);
    return 16 + body;
}

/* IPv4 header with `opt` bytes of options (NOPs, multiple of 4) and a payload of `pl` bytes
 * (ESP if proto is 50, else filler). Returns the packet length. */
static size_t build_v4(uint8_t *b, size_t opt, uint8_t proto, size_t pl, uint16_t frag)
{
    size_t ihl = 20 + opt;
    memset(b, 0, ihl);
    b[0] = (uint8_t)(0x40 | ihl / 4);
    put16(b + 2, (uint32_t)(ihl + pl));
    put16(b + 6, frag);
    b[8] = 64;
    b[9] = proto;
    put32(b + 12, 0x0a000001);
    put32(b + 16, 0x0a000002);
    memset(b + 20, 1, opt);
    if (proto == 50)
        put_esp(b + ihl, pl - 16);
    else
        memset(b + ihl, 0x77, pl);
    return ihl + pl;
}

struct ext {
    uint8_t type;  /* 0, 43, 44, 60, 51, ... */
    uint8_t len8;  /* Hdr Ext Len (units of 8 bytes beyond the first 8); ignored for 44 */
    uint16_t frag; /* fragment header offset/flags word */
};

/* IPv6 header, the extension chain, then `final` with a payload of pl bytes. */
static size_t build_v6(uint8_t *b, const struct ext *ex, int n, uint8_t final, size_t pl)
{
    memset(b, 0, 40);
    b[0] = 0x60;
    for (int i = 0; i < 16; i++) {
        b[8 + i] = (uint8_t)(0x20 + i);
        b[24 + i] = (uint8_t)(0x40 + i);
    }
    size_t off = 40;
    uint8_t *nh = &b[6];
    for (int i = 0; i < n; i++) {
        size_t hl = ex[i].type == 44 ? 8 : ((size_t)ex[i].len8 + 1) * 8;
        if (ex[i].type == 51)
            hl = ((size_t)ex[i].len8 + 2) * 4;
        *nh = ex[i].type;
        memset(b + off, 0, hl);
        if (ex[i].type == 44)
            put16(b + off + 2, ex[i].frag);
        else
            b[off + 1] = ex[i].len8;
        nh = &b[off];
        off += hl;
    }
    *nh = final;
    if (final == 50)
        put_esp(b + off, pl - 16);
    else
        memset(b + off, 0x77, pl);
    off += pl;
    put16(b + 4, (uint32_t)(off - 40));
    return off;
}

/* Parse from an exact-size heap copy so that ASan catches any overread. */
static enum parser_status parse_exact(enum parser_status (*fn)(const uint8_t *, size_t,
                                                               struct parser_result *),
                                      const uint8_t *b, size_t len, struct parser_result *r)
{
    uint8_t *copy = malloc(len ? len : 1);
    cr_assert_not_null(copy);
    memcpy(copy, b, len);
    enum parser_status st = fn(copy, len, r);
    free(copy);
    return st;
}

Test(parser, ipv4_esp_no_options)
{
    uint8_t b[256];
    size_t n = build_v4(b, 0, 50, 16 + 40, 0);
    struct parser_result r;
    cr_assert_eq(parse_exact(parser_rx, b, n, &r), PARSER_OK);
    cr_assert_eq(r.status, PARSER_OK);
    cr_assert_eq(r.ip_version, 4);
    cr_assert_eq(r.v6, 0);
    cr_assert_eq(r.l3_off, 0);
    cr_assert_eq(r.l3_hdr_len, 20);
    cr_assert_eq(r.proto, 50);
    cr_assert_eq(r.nh_off, 9);
    cr_assert_eq(r.ip_len, n);
    cr_assert_eq(r.esp_off, 20);
    cr_assert_eq(r.iv_off, 28);
    cr_assert_eq(r.payload_off, 36);
    cr_assert_eq(r.esp_len, n - 20);
    cr_assert_eq(r.spi, SPI);
    cr_assert_eq(r.sn, SN);
    const uint8_t sa[16] = { 10, 0, 0, 1 }, da[16] = { 10, 0, 0, 2 };
    cr_assert_arr_eq(r.saddr, sa, 16);
    cr_assert_arr_eq(r.daddr, da, 16);
    cr_assert_eq(r.walked, 36);
    cr_assert_eq(parser_cycles(&r), 3);
}

Test(parser, ipv4_esp_with_options)
{
    for (size_t opt = 4; opt <= 40; opt += 4) {
        uint8_t b[256];
        size_t n = build_v4(b, opt, 50, 16 + 8, 0);
        struct parser_result r;
        cr_assert_eq(parse_exact(parser_rx, b, n, &r), PARSER_OK, "opt %zu", opt);
        cr_assert_eq(r.l3_hdr_len, 20 + opt);
        cr_assert_eq(r.esp_off, 20 + opt);
        cr_assert_eq(r.payload_off, 20 + opt + 16);
        cr_assert_eq(r.spi, SPI);
        cr_assert_eq(parser_cycles(&r), (20 + opt + 16 + 15) / 16);
    }
}

Test(parser, ipv4_bad_headers)
{
    uint8_t b[256];
    struct parser_result r;
    size_t n = build_v4(b, 0, 50, 32, 0);
    for (uint8_t ihl = 0; ihl < 5; ihl++) {
        b[0] = (uint8_t)(0x40 | ihl);
        cr_assert_eq(parse_exact(parser_rx, b, n, &r), PARSER_BAD_HEADER, "ihl %u", ihl);
    }
    n = build_v4(b, 8, 50, 32, 0);
    put16(b + 2, 24); /* total length inside the 28-byte header */
    cr_assert_eq(parse_exact(parser_rx, b, n, &r), PARSER_BAD_HEADER);
    n = build_v4(b, 0, 50, 32, 0);
    put16(b + 2, (uint32_t)n + 1); /* total length beyond the buffer */
    cr_assert_eq(parse_exact(parser_rx, b, n, &r), PARSER_TRUNCATED);
    /* Buffer longer than the IP packet: link padding is ignored. */
    n = build_v4(b, 0, 50, 32, 0);
    memset(b + n, 0xee, 20);
    cr_assert_eq(parse_exact(parser_rx, b, n + 20, &r), PARSER_OK);
    cr_assert_eq(r.ip_len, n);
    cr_assert_eq(r.esp_len, n - 20);
    /* IP length ends inside the ESP header + IV. */
    n = build_v4(b, 0, 50, 32, 0);
    put16(b + 2, 20 + 15);
    cr_assert_eq(parse_exact(parser_rx, b, n, &r), PARSER_TRUNCATED);
    put16(b + 2, 20 + 16);
    cr_assert_eq(parse_exact(parser_rx, b, n, &r), PARSER_OK);
}

Test(parser, ipv4_fragments)
{
    uint8_t b[256];
    struct parser_result r;
    const uint16_t frags[] = { 0x2000 /* MF */, 0x0001, 0x1fff, 0x2010, 0x6000 /* DF|MF */ };
    for (size_t i = 0; i < sizeof(frags) / sizeof(frags[0]); i++) {
        size_t n = build_v4(b, 0, 50, 32, frags[i]);
        cr_assert_eq(parse_exact(parser_rx, b, n, &r), PARSER_FRAGMENT, "frag %04x", frags[i]);
        cr_assert_eq(parse_exact(parser_tx_crypto, b, n, &r), PARSER_FRAGMENT);
        /* A plain walk reports the fragment with the insertion point filled. */
        cr_assert_eq(parse_exact(parser_tx_plain, b, n, &r), PARSER_FRAGMENT);
        cr_assert_eq(r.esp_off, 20);
    }
    size_t n = build_v4(b, 0, 50, 32, 0x4000); /* DF only: a whole packet */
    cr_assert_eq(parse_exact(parser_rx, b, n, &r), PARSER_OK);
    n = build_v4(b, 0, 17, 32, 0x2000); /* fragment of a non-ESP packet: still a fragment */
    cr_assert_eq(parse_exact(parser_rx, b, n, &r), PARSER_FRAGMENT);
}

Test(parser, ipv4_not_esp_and_ah)
{
    uint8_t b[256];
    struct parser_result r;
    size_t n = build_v4(b, 4, 17, 30, 0);
    cr_assert_eq(parse_exact(parser_rx, b, n, &r), PARSER_NOT_ESP);
    cr_assert_eq(r.proto, 17);
    cr_assert_eq(r.l4_off, 24);
    cr_assert_eq(r.esp_off, 0);
    n = build_v4(b, 0, 51, 30, 0);
    cr_assert_eq(parse_exact(parser_rx, b, n, &r), PARSER_UNSUPPORTED_EXT);
    n = build_v4(b, 0, 6, 30, 0);
    cr_assert_eq(parse_exact(parser_tx_crypto, b, n, &r), PARSER_NOT_ESP);
}

Test(parser, not_ip)
{
    uint8_t b[64] = { 0 };
    struct parser_result r;
    cr_assert_eq(parser_rx(NULL, 0, &r), PARSER_NOT_IP);
    cr_assert_eq(parse_exact(parser_rx, b, 0, &r), PARSER_NOT_IP);
    for (unsigned v = 0; v < 16; v++) {
        if (v == 4 || v == 6)
            continue;
        b[0] = (uint8_t)(v << 4 | 5);
        cr_assert_eq(parse_exact(parser_rx, b, sizeof(b), &r), PARSER_NOT_IP, "v %u", v);
        cr_assert_eq(r.ip_version, 0);
        cr_assert_eq(parser_cycles(&r), 1);
    }
}

Test(parser, ipv6_esp_plain)
{
    uint8_t b[512];
    struct parser_result r;
    size_t n = build_v6(b, NULL, 0, 50, 16 + 64);
    cr_assert_eq(parse_exact(parser_rx, b, n, &r), PARSER_OK);
    cr_assert_eq(r.ip_version, 6);
    cr_assert_eq(r.v6, 1);
    cr_assert_eq(r.l3_hdr_len, 40);
    cr_assert_eq(r.n_ext, 0);
    cr_assert_eq(r.nh_off, 6);
    cr_assert_eq(r.esp_off, 40);
    cr_assert_eq(r.iv_off, 48);
    cr_assert_eq(r.payload_off, 56);
    cr_assert_eq(r.ip_len, n);
    cr_assert_eq(r.esp_len, n - 40);
    cr_assert_eq(r.spi, SPI);
    cr_assert_eq(r.sn, SN);
    for (int i = 0; i < 16; i++) {
        cr_assert_eq(r.saddr[i], 0x20 + i);
        cr_assert_eq(r.daddr[i], 0x40 + i);
    }
    cr_assert_eq(parser_cycles(&r), 4);
}

Test(parser, ipv6_extension_chain)
{
    uint8_t b[1024];
    struct parser_result r;
    /* HBH, dest opts before routing, routing (24 bytes), atomic fragment, dest opts, ESP. */
    const struct ext ex[] = { { 0, 0, 0 }, { 60, 1, 0 }, { 43, 2, 0 }, { 44, 0, 0 }, { 60, 0, 0 } };
    size_t n = build_v6(b, ex, 5, 50, 16 + 32);
    size_t esp = 40 + 8 + 16 + 24 + 8 + 8;
    cr_assert_eq(parse_exact(parser_rx, b, n, &r), PARSER_OK);
    cr_assert_eq(r.n_ext, 5);
    cr_assert_eq(r.esp_off, esp);
    cr_assert_eq(r.nh_off, esp - 8); /* the last destination options header names ESP */
    cr_assert_eq(r.payload_off, esp + 16);
    cr_assert_eq(r.spi, SPI);
    cr_assert_eq(parser_cycles(&r), (esp + 16 + 15) / 16);
    /* TX crypto: the stack's ESP packet, same walk. */
    struct parser_result r2;
    cr_assert_eq(parse_exact(parser_tx_crypto, b, n, &r2), PARSER_OK);
    cr_assert_eq(memcmp(&r, &r2, sizeof(r)), 0);
}

Test(parser, ipv6_hop_by_hop_not_first)
{
    uint8_t b[512];
    struct parser_result r;
    const struct ext ex[] = { { 60, 0, 0 }, { 0, 0, 0 } };
    size_t n = build_v6(b, ex, 2, 50, 32);
    cr_assert_eq(parse_exact(parser_rx, b, n, &r), PARSER_BAD_HEADER);
}

Test(parser, ipv6_fragments)
{
    uint8_t b[512];
    struct parser_result r;
    const uint16_t frags[] = { 0x0001 /* M */, 0x0008 /* offset 1 */, 0xfff8, 0x0009 };
    for (size_t i = 0; i < 4; i++) {
        const struct ext ex[] = { { 0, 0, 0 }, { 44, 0, frags[i] } };
        size_t n = build_v6(b, ex, 2, 50, 32);
        cr_assert_eq(parse_exact(parser_rx, b, n, &r), PARSER_FRAGMENT, "frag %04x", frags[i]);
        cr_assert_eq(parse_exact(parser_tx_plain, b, n, &r), PARSER_FRAGMENT);
        cr_assert_eq(r.esp_off, 40 + 8 + 8);
    }
    /* Atomic fragment (RFC 6946), also with the reserved bits set: walked. */
    const struct ext ex[] = { { 44, 0, 0x0006 } };
    size_t n = build_v6(b, ex, 1, 50, 32);
    cr_assert_eq(parse_exact(parser_rx, b, n, &r), PARSER_OK);
    cr_assert_eq(r.esp_off, 48);
}

Test(parser, ipv6_unsupported_and_bounded_walk)
{
    uint8_t b[1024];
    struct parser_result r;
    const struct ext ah[] = { { 0, 0, 0 }, { 51, 4, 0 } };
    size_t n = build_v6(b, ah, 2, 50, 32);
    cr_assert_eq(parse_exact(parser_rx, b, n, &r), PARSER_UNSUPPORTED_EXT);
    cr_assert_eq(r.proto, 51);
    n = build_v6(b, NULL, 0, 135, 32); /* Mobility header */
    cr_assert_eq(parse_exact(parser_rx, b, n, &r), PARSER_UNSUPPORTED_EXT);

    struct ext many[9];
    for (int i = 0; i < 9; i++)
        many[i] = (struct ext){ 60, 0, 0 };
    n = build_v6(b, many, 8, 50, 32);
    cr_assert_eq(parse_exact(parser_rx, b, n, &r), PARSER_OK);
    cr_assert_eq(r.n_ext, 8);
    cr_assert_eq(r.esp_off, 40 + 8 * 8);
    n = build_v6(b, many, 9, 50, 32);
    cr_assert_eq(parse_exact(parser_rx, b, n, &r), PARSER_UNSUPPORTED_EXT);
    cr_assert_eq(r.n_ext, 8);
}

Test(parser, ipv6_not_esp_and_bad)
{
    uint8_t b[512];
    struct parser_result r;
    const struct ext ex[] = { { 0, 0, 0 } };
    size_t n = build_v6(b, ex, 1, 59, 8); /* No Next Header */
    cr_assert_eq(parse_exact(parser_rx, b, n, &r), PARSER_NOT_ESP);
    cr_assert_eq(r.proto, 59);
    n = build_v6(b, NULL, 0, 17, 8); /* UDP, e.g. NAT-T: not offloaded */
    cr_assert_eq(parse_exact(parser_rx, b, n, &r), PARSER_NOT_ESP);
    n = build_v6(b, NULL, 0, 50, 32);
    put16(b + 4, 0); /* jumbogram */
    cr_assert_eq(parse_exact(parser_rx, b, n, &r), PARSER_BAD_HEADER);
    n = build_v6(b, NULL, 0, 50, 32);
    put16(b + 4, 33); /* payload length past the buffer */
    cr_assert_eq(parse_exact(parser_rx, b, n, &r), PARSER_TRUNCATED);
    /* An extension header longer than the IP payload. */
    const struct ext big[] = { { 60, 0, 0 } };
    n = build_v6(b, big, 1, 50, 32);
    b[41] = 10;
    cr_assert_eq(parse_exact(parser_rx, b, n, &r), PARSER_TRUNCATED);
}

Test(parser, tx_plain_insertion_points)
{
    uint8_t b[1024];
    struct parser_result r;
    /* IPv4 with options: ESP goes after the options; TCP moves to the trailer. */
    size_t n = build_v4(b, 12, 6, 40, 0);
    cr_assert_eq(parse_exact(parser_tx_plain, b, n, &r), PARSER_OK);
    cr_assert_eq(r.esp_off, 32);
    cr_assert_eq(r.l4_off, 32);
    cr_assert_eq(r.proto, 6);
    cr_assert_eq(r.nh_off, 9);
    cr_assert_eq(r.iv_off, 0);
    cr_assert_eq(r.payload_off, 0);

    /* IPv6: HBH, DO (before routing), RH, atomic FH | final DO, TCP. */
    const struct ext ex[] = { { 0, 0, 0 }, { 60, 0, 0 }, { 43, 0, 0 }, { 44, 0, 0 }, { 60, 1, 0 } };
    n = build_v6(b, ex, 5, 6, 40);
    cr_assert_eq(parse_exact(parser_tx_plain, b, n, &r), PARSER_OK);
    cr_assert_eq(r.esp_off, 40 + 8 + 8 + 8 + 8);
    cr_assert_eq(r.proto, 60);
    cr_assert_eq(r.nh_off, 40 + 8 + 8 + 8); /* the fragment header's next header byte */
    cr_assert_eq(r.n_ext, 4);

    /* Destination options alone (not before routing): ESP right after the base header. */
    const struct ext d[] = { { 60, 0, 0 } };
    n = build_v6(b, d, 1, 17, 20);
    cr_assert_eq(parse_exact(parser_tx_plain, b, n, &r), PARSER_OK);
    cr_assert_eq(r.esp_off, 40);
    cr_assert_eq(r.proto, 60);
    cr_assert_eq(r.nh_off, 6);

    /* A plain walk never says NOT_ESP; AH simply follows the insertion point. */
    n = build_v6(b, NULL, 0, 51, 24);
    cr_assert_eq(parse_exact(parser_tx_plain, b, n, &r), PARSER_OK);
    cr_assert_eq(r.proto, 51);
    cr_assert_eq(r.esp_off, 40);
}

Test(parser, inner_packet_at_offset)
{
    uint8_t b[1024];
    struct parser_result r;
    /* Outer IPv4 ESP whose (decrypted) payload is an IPv6 packet: tunnel mode after decrypt. */
    uint8_t inner[256];
    size_t in = build_v6(inner, NULL, 0, 17, 20);
    size_t n = build_v4(b, 0, 50, 16 + in, 0);
    memcpy(b + 36, inner, in);
    cr_assert_eq(parse_exact(parser_rx, b, n, &r), PARSER_OK);
    cr_assert_eq(r.payload_off, 36);
    cr_assert_eq(parser_at(b, n, r.payload_off, &r), PARSER_OK);
    cr_assert_eq(r.l3_off, 36);
    cr_assert_eq(r.ip_version, 6);
    cr_assert_eq(r.l4_off, 36 + 40);
    cr_assert_eq(r.proto, 17);
    cr_assert_eq(r.ip_len, in);
    cr_assert_eq(r.daddr[0], 0x40);
    cr_assert_eq(r.walked, 40);
    /* Offsets at or past the end. */
    cr_assert_eq(parser_at(b, n, n, &r), PARSER_NOT_IP);
    cr_assert_eq(parser_at(b, n, SIZE_MAX, &r), PARSER_NOT_IP);
}

/* Every prefix of a valid packet: an exact-size buffer, never OK, never a read past the end. */
static void truncate_all(const uint8_t *b, size_t n)
{
    for (size_t len = 0; len < n; len++) {
        struct parser_result r;
        enum parser_status st = parse_exact(parser_rx, b, len, &r);
        cr_assert_eq(st, len ? PARSER_TRUNCATED : PARSER_NOT_IP, "len %zu of %zu: %s", len, n,
                     parser_status_name(st));
        cr_assert_leq(r.walked, len);
        st = parse_exact(parser_tx_plain, b, len, &r);
        cr_assert_eq(st, len ? PARSER_TRUNCATED : PARSER_NOT_IP);
        cr_assert_leq(r.walked, len);
    }
    struct parser_result r;
    cr_assert_eq(parse_exact(parser_rx, b, n, &r), PARSER_OK);
}

Test(parser, truncated_at_every_length)
{
    uint8_t b[1024];
    truncate_all(b, build_v4(b, 0, 50, 16 + 20, 0));
    truncate_all(b, build_v4(b, 40, 50, 16 + 4, 0));
    truncate_all(b, build_v6(b, NULL, 0, 50, 16 + 3));
    const struct ext ex[] = { { 0, 1, 0 }, { 60, 0, 0 }, { 43, 3, 0 }, { 44, 0, 0 }, { 60, 2, 0 } };
    truncate_all(b, build_v6(b, ex, 5, 50, 16 + 8));
}

/* Check the invariants a result must satisfy whatever the input. */
static void check_invariants(const struct parser_result *r, size_t len, bool esp_walk)
{
    cr_assert_lt((unsigned)r->status, PARSER_NSTATUS);
    cr_assert_leq(r->walked, len);
    cr_assert_geq(parser_cycles(r), 1);
    if (r->status == PARSER_OK || r->status == PARSER_NOT_ESP) {
        cr_assert(r->ip_version == 4 || r->ip_version == 6);
        cr_assert_leq(r->ip_len, len);
        cr_assert_leq(r->l4_off, r->ip_len);
        cr_assert_lt(r->nh_off, r->l4_off);
    }
    if (esp_walk && r->status == PARSER_OK) {
        cr_assert_eq(r->proto, 50);
        cr_assert_leq((size_t)r->payload_off, r->ip_len);
        cr_assert_eq(r->esp_len, r->ip_len - r->esp_off);
    }
}

static uint32_t xorshift(uint32_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

Test(parser, fuzz_random_and_mutated)
{
    uint32_t seed = 0x2545f491u;
    uint8_t base[4][1024];
    size_t blen[4];
    const struct ext ex[] = { { 0, 0, 0 }, { 43, 1, 0 }, { 44, 0, 0 }, { 60, 0, 0 } };
    blen[0] = build_v4(base[0], 0, 50, 64, 0);
    blen[1] = build_v4(base[1], 16, 50, 40, 0);
    blen[2] = build_v6(base[2], ex, 4, 50, 48);
    blen[3] = build_v6(base[3], NULL, 0, 50, 100);
    unsigned counts[PARSER_NSTATUS] = { 0 };
    for (int it = 0; it < 100000; it++) {
        uint8_t tmp[1024];
        size_t len;
        if (it % 2) {
            /* Random bytes with a plausible version nibble and length fields. */
            len = xorshift(&seed) % 160;
            for (size_t i = 0; i < len; i++)
                tmp[i] = (uint8_t)xorshift(&seed);
            if (len)
                tmp[0] = (uint8_t)((xorshift(&seed) & 1 ? 0x40 : 0x60) | (tmp[0] & 0x0f));
            if (len > 5 && (tmp[0] >> 4) == 6)
                put16(tmp + 4, xorshift(&seed) % 160);
            if (len > 3 && (tmp[0] >> 4) == 4)
                put16(tmp + 2, xorshift(&seed) % 160);
        } else {
            /* A valid packet with a few flipped bytes, cut at a random length. */
            int k = (int)(xorshift(&seed) % 4);
            memcpy(tmp, base[k], blen[k]);
            for (int f = (int)(xorshift(&seed) % 4); f >= 0; f--)
                tmp[xorshift(&seed) % blen[k]] ^= (uint8_t)(1u << (xorshift(&seed) % 8));
            len = blen[k] - xorshift(&seed) % (blen[k] / 2 + 1);
        }
        struct parser_result r;
        parse_exact(parser_rx, tmp, len, &r);
        check_invariants(&r, len, true);
        counts[r.status]++;
        parse_exact(parser_tx_plain, tmp, len, &r);
        check_invariants(&r, len, false);
        cr_assert_neq(r.status, PARSER_NOT_ESP);
        size_t off = len ? xorshift(&seed) % len : 0;
        uint8_t *copy = malloc(len ? len : 1);
        memcpy(copy, tmp, len);
        parser_at(copy, len, off, &r);
        free(copy);
        cr_assert_leq(r.walked, len - off);
    }
    /* The fuzz reached every outcome at least once. */
    for (int s = 0; s < PARSER_NSTATUS; s++)
        cr_assert_gt(counts[s], 0, "%s never seen", parser_status_name((enum parser_status)s));
}

Test(parser, status_names)
{
    cr_assert_str_eq(parser_status_name(PARSER_OK), "PARSER_OK");
    cr_assert_str_eq(parser_status_name(PARSER_NOT_ESP), "PARSER_NOT_ESP");
    cr_assert_str_eq(parser_status_name(PARSER_UNSUPPORTED_EXT), "PARSER_UNSUPPORTED_EXT");
    cr_assert_str_eq(parser_status_name(PARSER_NSTATUS), "PARSER_?");
    for (int s = 0; s < PARSER_NSTATUS; s++)
        cr_assert_not_null(strstr(parser_status_name((enum parser_status)s), "PARSER_"));
}

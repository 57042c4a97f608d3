/* test_xfrm_script.c - the iproute2 SA script parser (host-driver/xfrm_script.h): every keyword,
 * both address families, iproute2's abbreviations, every error class with its line number, the
 * lexer (quotes, comments, continuation lines, CRLF), scripts mixing add/update/delete/
 * deleteall/flush, a real-world style script, and a fuzz run of random and mutated lines (run it
 * under ASan/UBSan too). Data: tb/unit/data/xfrm/. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* The unit-test build gives -Ihost-driver only to test_drv_*.c: include by relative path. */
#include "../../host-driver/xfrm_script.h"

#define DATA "tb/unit/data/xfrm/"
#define KEY20 "0x0102030405060708090a0b0c0d0e0f1011121314"
#define AEAD "aead 'rfc4106(gcm(aes))' " KEY20 " 128"
#define SA4 "proto esp src 192.0.2.1 dst 192.0.2.2 spi 0x07 "
#define ADD4 "ip xfrm state add " SA4

struct run {
    struct xfrm_script s;
    int rc;
    char *text; /* what went to the err stream */
    size_t len;
};

static void run_str(struct run *r, const char *script)
{
    memset(r, 0, sizeof *r);
    FILE *f = open_memstream(&r->text, &r->len);
    cr_assert_not_null(f);
    r->rc = xfrm_script_parse_string(script, "t", &r->s, f);
    fclose(f);
    cr_assert_eq(r->rc, (int)r->s.n_errors, "rc %d vs %zu errors", r->rc, r->s.n_errors);
}

static void run_file(struct run *r, const char *path)
{
    memset(r, 0, sizeof *r);
    FILE *f = open_memstream(&r->text, &r->len);
    cr_assert_not_null(f);
    r->rc = xfrm_script_parse_file(path, &r->s, f);
    fclose(f);
}

static void done(struct run *r)
{
    xfrm_script_free(&r->s);
    free(r->text);
}

#define HAS(r, str)                                                                            \
    cr_assert_not_null(strstr((r)->text, (str)), "missing: %s\noutput:\n%s", (str), (r)->text)

/* One good command: returns its SA. */
static struct xfrm_script_sa one_op(const char *script, enum xfrm_script_opcode op)
{
    struct run r;
    run_str(&r, script);
    cr_assert_eq(r.rc, 0, "%s\n-> %s", script, r.text);
    cr_assert_eq(r.s.n_ops, 1, "%s", script);
    cr_assert_eq(r.s.ops[0].op, op, "%s: op %d", script, r.s.ops[0].op);
    struct xfrm_script_sa sa = r.s.ops[0].sa;
    done(&r);
    return sa;
}

/* One bad command: exactly n errors, the first being "t:LINE: msg". */
static void one_err_n(const char *script, const char *expect, size_t n)
{
    struct run r;
    run_str(&r, script);
    cr_assert_eq(r.s.n_ops, 0, "%s\nparsed although bad", script);
    cr_assert_eq(r.s.n_errors, n, "%s\nwant %zu errors, got:\n%s", script, n, r.text);
    cr_assert_not_null(strstr(r.text, expect), "%s\nwant: %s\ngot:\n%s", script, expect, r.text);
    done(&r);
}

static void one_err(const char *script, const char *expect)
{
    one_err_n(script, expect, 1);
}

static void v4(uint8_t out[16], uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
    memset(out, 0, 16);
    out[0] = a;
    out[1] = b;
    out[2] = c;
    out[3] = d;
}

/* ---------------------------------------------------------------------------------------- */

Test(xfrm_script, design_example_every_field)
{
    struct xfrm_script_sa sa = one_op(
        "ip xfrm state add proto esp src 192.0.2.1 dst 192.0.2.2 spi 0x07 mode transport reqid 7 "
        "replay-window 32 aead 'rfc4106(gcm(aes))' " KEY20 " 128 sel src 192.0.2.1 dst "
        "192.0.2.2 offload dev nic0 dir in",
        XFRM_SCRIPT_ADD);
    uint8_t a[16];
    cr_assert_eq(sa.family, AF_INET);
    v4(a, 192, 0, 2, 1);
    cr_assert_arr_eq(sa.src, a, 16);
    v4(a, 192, 0, 2, 2);
    cr_assert_arr_eq(sa.dst, a, 16);
    cr_assert_eq(sa.src_plen, 32);
    cr_assert_eq(sa.proto, 50);
    cr_assert_eq(sa.spi, 7);
    cr_assert_eq(sa.mode, XFRM_SCRIPT_TRANSPORT);
    cr_assert_eq(sa.reqid, 7);
    cr_assert_eq(sa.replay_window, 32);
    cr_assert_not(sa.esn);
    cr_assert_eq(sa.seq, 0);
    cr_assert_eq(sa.oseq, 0);
    cr_assert_eq(sa.keymat_len, 20);
    for (unsigned i = 0; i < 20; i++)
        cr_assert_eq(sa.keymat[i], i + 1);
    cr_assert_eq(sa.icv_bits, 128);
    cr_assert_eq(sa.sel.family, AF_INET);
    v4(a, 192, 0, 2, 1);
    cr_assert_arr_eq(sa.sel.saddr, a, 16);
    cr_assert_eq(sa.sel.prefixlen_s, 32);
    cr_assert_eq(sa.sel.prefixlen_d, 32);
    cr_assert_eq(sa.sel.proto, 0);
    cr_assert(sa.offload.present);
    cr_assert_eq(sa.offload.type, XFRM_SCRIPT_OFFLOAD_CRYPTO);
    cr_assert_str_eq(sa.offload.dev, "nic0");
    cr_assert_eq(sa.offload.dir, XFRM_SCRIPT_DIR_IN);
    cr_assert_eq(sa.dir, XFRM_SCRIPT_DIR_IN);
    cr_assert_eq(sa.lft.soft_byte_limit, XFRM_SCRIPT_INF);
    cr_assert_eq(sa.lft.hard_packet_limit, XFRM_SCRIPT_INF);
    cr_assert_eq(sa.lft.hard_add_expires_seconds, 0);
    uint32_t want = XFRM_SCRIPT_HAVE_SRC | XFRM_SCRIPT_HAVE_DST | XFRM_SCRIPT_HAVE_PROTO |
                    XFRM_SCRIPT_HAVE_SPI | XFRM_SCRIPT_HAVE_MODE | XFRM_SCRIPT_HAVE_REQID |
                    XFRM_SCRIPT_HAVE_REPLAY_WINDOW | XFRM_SCRIPT_HAVE_AEAD |
                    XFRM_SCRIPT_HAVE_SEL | XFRM_SCRIPT_HAVE_OFFLOAD | XFRM_SCRIPT_HAVE_DIR;
    cr_assert_eq(sa.have, want, "have %#x want %#x", sa.have, want);
}

Test(xfrm_script, every_add_keyword)
{
    struct xfrm_script_sa sa = one_op(
        "ip xfrm state update src 2001:db8::1 dst 2001:db8::2 proto esp spi 4294967295 "
        "mode tunnel reqid 0x10 seq 99 replay-window 4096 replay-seq 0x10 replay-seq-hi 2 "
        "replay-oseq 017 replay-oseq-hi 0xffffffff flag esn icmp align4 af-unspec "
        "aead rfc4106(gcm(aes)) "
        "0x000102030405060708090a0b0c0d0e0f101112131415161718191A1B1C1D1E1F20212223 64 "
        "sel src 10.0.0.0/8 dst 10.1.2.0/24 dev eth0 proto tcp sport 1024 dport 443 "
        "limit time-soft 1 limit time-hard 2 limit time-use-soft 3 limit time-use-hard 4 "
        "limit byte-soft 5 limit byte-hard 18446744073709551615 limit packet-soft 0x7 "
        "limit packet-hard 8 dir out offload packet dev nic1 dir out",
        XFRM_SCRIPT_UPDATE);
    cr_assert_eq(sa.family, AF_INET6);
    cr_assert_eq(sa.dst[15], 2);
    cr_assert_eq(sa.dst[0], 0x20);
    cr_assert_eq(sa.src_plen, 128);
    cr_assert_eq(sa.spi, 0xffffffffu);
    cr_assert_eq(sa.mode, XFRM_SCRIPT_TUNNEL);
    cr_assert_eq(sa.reqid, 16);
    cr_assert_eq(sa.km_seq, 99);
    cr_assert_eq(sa.replay_window, 4096);
    cr_assert_eq(sa.seq, (2ull << 32) | 0x10);
    cr_assert_eq(sa.oseq, (0xffffffffull << 32) | 15); /* 017 is octal, as strtoul reads it */
    cr_assert(sa.esn);
    cr_assert_eq(sa.flags, XFRM_SCRIPT_FLAG_ESN | XFRM_SCRIPT_FLAG_ICMP |
                               XFRM_SCRIPT_FLAG_ALIGN4 | XFRM_SCRIPT_FLAG_AF_UNSPEC);
    cr_assert_eq(sa.keymat_len, 36);
    for (unsigned i = 0; i < 36; i++)
        cr_assert_eq(sa.keymat[i], i);
    cr_assert_eq(sa.icv_bits, 64);
    cr_assert_eq(sa.sel.family, AF_INET); /* a v4 selector in a v6 tunnel */
    cr_assert_eq(sa.sel.prefixlen_s, 8);
    cr_assert_eq(sa.sel.prefixlen_d, 24);
    cr_assert_eq(sa.sel.daddr[2], 2);
    cr_assert_str_eq(sa.sel.dev, "eth0");
    cr_assert_eq(sa.sel.proto, 6);
    cr_assert_eq(sa.sel.sport, 1024);
    cr_assert_eq(sa.sel.sport_mask, 0xffff);
    cr_assert_eq(sa.sel.dport, 443);
    cr_assert_eq(sa.lft.soft_add_expires_seconds, 1);
    cr_assert_eq(sa.lft.hard_add_expires_seconds, 2);
    cr_assert_eq(sa.lft.soft_use_expires_seconds, 3);
    cr_assert_eq(sa.lft.hard_use_expires_seconds, 4);
    cr_assert_eq(sa.lft.soft_byte_limit, 5);
    cr_assert_eq(sa.lft.hard_byte_limit, UINT64_MAX);
    cr_assert_eq(sa.lft.soft_packet_limit, 7);
    cr_assert_eq(sa.lft.hard_packet_limit, 8);
    cr_assert_eq(sa.offload.type, XFRM_SCRIPT_OFFLOAD_PACKET);
    cr_assert_str_eq(sa.offload.dev, "nic1");
    cr_assert_eq(sa.offload.dir, XFRM_SCRIPT_DIR_OUT);
    cr_assert_eq(sa.dir, XFRM_SCRIPT_DIR_OUT);
    cr_assert(sa.have & XFRM_SCRIPT_HAVE_LIFETIME);
    cr_assert(sa.have & XFRM_SCRIPT_HAVE_KM_SEQ);
    cr_assert(sa.have & XFRM_SCRIPT_HAVE_SEQ);
    cr_assert(sa.have & XFRM_SCRIPT_HAVE_OSEQ);
    cr_assert(sa.have & XFRM_SCRIPT_HAVE_FLAGS);
}

Test(xfrm_script, key_sizes_icv_and_algorithm)
{
    struct xfrm_script_sa sa;
    sa = one_op(ADD4 "aead 'rfc4106(gcm(aes))' 0x" "00112233445566778899AABBCCDDEEFF00112233445566778899AABB"
                     " 96",
                XFRM_SCRIPT_ADD);
    cr_assert_eq(sa.keymat_len, 28);
    cr_assert_eq(sa.keymat[10], 0xaa);
    cr_assert_eq(sa.icv_bits, 96);
    /* iproute2 takes a key without 0x as its own bytes */
    sa = one_op(ADD4 "aead 'rfc4106(gcm(aes))' abcdefghijklmnopqrst 0x80", XFRM_SCRIPT_ADD);
    cr_assert_eq(sa.keymat_len, 20);
    cr_assert_eq(sa.keymat[0], 'a');
    cr_assert_eq(sa.icv_bits, 128);
    /* quotes are optional, and may be of either kind or mixed */
    sa = one_op(ADD4 "aead rfc4106'(gcm(aes))' " KEY20 " 128", XFRM_SCRIPT_ADD);
    cr_assert_eq(sa.icv_bits, 128);
    sa = one_op(ADD4 "aead \"rfc4106(gcm(aes))\" " KEY20 " 128", XFRM_SCRIPT_ADD);
    cr_assert_eq(sa.keymat[19], 0x14);

    one_err(ADD4 "aead 'rfc4106(gcm(aes))' 0x0102030405060708090a0b0c0d0e0f10111213 128",
            "t:1: aead key is 19 bytes, want 20, 28 or 36");
    one_err(ADD4 "aead 'rfc4106(gcm(aes))' 0x0102 128", "t:1: aead key is 2 bytes");
    one_err(ADD4 "aead 'rfc4106(gcm(aes))' 0x 128", "t:1: aead key is 2 bytes");
    one_err(ADD4 "aead 'rfc4106(gcm(aes))' 0x102030405060708090a0b0c0d0e0f1011121314 128",
            "t:1: aead key has an odd number of hex digits (39)");
    one_err(ADD4 "aead 'rfc4106(gcm(aes))' 0x0102030405060708090a0b0c0d0e0f10111213zz 128",
            "t:1: bad aead key: 'z' is not a hex digit");
    one_err(ADD4 "aead 'rfc4106(gcm(aes))' " KEY20 " 100",
            "t:1: aead ICV length 100 bits is not supported, want 64, 96 or 128");
    one_err(ADD4 "aead 'rfc4106(gcm(aes))' " KEY20 " 16bytes",
            "t:1: bad aead ICV length '16bytes'");
    one_err(ADD4 "aead 'rfc4543(gcm(aes))' " KEY20 " 128",
            "t:1: aead algorithm 'rfc4543(gcm(aes))' is not supported, only rfc4106(gcm(aes))");
    one_err(ADD4 "aead 'rfc4106(gcm(aes))' " KEY20, "t:1: 'aead' needs an algorithm, key");
    /* independent errors in one command are all reported */
    one_err_n(ADD4 "aead 'gcm(aes)' 0x01 7", "t:1: aead algorithm 'gcm(aes)'", 3);
    one_err(ADD4 AEAD " " AEAD, "t:1: duplicate 'aead'");
}

Test(xfrm_script, both_families_and_address_forms)
{
    struct xfrm_script_sa sa;
    static const struct {
        const char *text;
        uint8_t last, first;
    } forms[] = {
        {"2001:db8::1", 1, 0x20},
        {"2001:0db8:0000:0000:0000:0000:0000:0001", 1, 0x20},
        {"2001:DB8:0:0:0:0:0:1", 1, 0x20},
        {"::1", 1, 0},
        {"::ffff:192.0.2.7", 7, 0},
        {"fe80::a:b:c:d", 0xd, 0xfe},
        {"2001:db8:1:2:3:4:5:6", 6, 0x20},
    };
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        char buf[512];
        snprintf(buf, sizeof buf,
                 "ip xfrm state add proto esp src %s dst %s spi 1 " AEAD, forms[i].text,
                 forms[i].text);
        sa = one_op(buf, XFRM_SCRIPT_ADD);
        cr_assert_eq(sa.family, AF_INET6, "%s", forms[i].text);
        cr_assert_eq(sa.dst[15], forms[i].last, "%s", forms[i].text);
        cr_assert_eq(sa.src[0], forms[i].first, "%s", forms[i].text);
        cr_assert_eq(sa.src_plen, 128);
    }
    sa = one_op("ip -6 xfrm state add proto esp src 2001:db8::1 dst 2001:db8::2 spi 1 " AEAD,
                XFRM_SCRIPT_ADD);
    cr_assert(sa.have & XFRM_SCRIPT_HAVE_FAMILY);
    sa = one_op("ip -family inet6 xfrm state add proto esp src ::2 dst ::3 spi 1 " AEAD,
                XFRM_SCRIPT_ADD);
    cr_assert_eq(sa.dst[15], 3);
    sa = one_op("ip -f inet xfrm state add " SA4 AEAD, XFRM_SCRIPT_ADD);
    cr_assert_eq(sa.family, AF_INET);
    sa = one_op("ip -4 xfrm state add " SA4 AEAD, XFRM_SCRIPT_ADD);
    cr_assert_eq(sa.dst[3], 2);
    cr_assert_eq(sa.dst[4], 0);

    one_err_n("ip -6 xfrm state add " SA4 AEAD, "t:1: src '192.0.2.1' is IPv4 but -6 was given",
              2); /* and dst */
    one_err_n("ip -4 xfrm state add proto esp src ::1 dst ::2 spi 1 " AEAD,
              "t:1: src '::1' is IPv6 but -4 was given", 2);
    one_err("ip xfrm state add proto esp src 192.0.2.1 dst 2001:db8::2 spi 1 " AEAD,
            "t:1: dst '2001:db8::2' is IPv6 but src is IPv4");
    one_err("ip xfrm state add proto esp src 1.2.3 dst 192.0.2.2 spi 1 " AEAD,
            "t:1: bad src address '1.2.3'");
    one_err("ip xfrm state add proto esp src 192.0.2.1 dst 2001:db8:::2 spi 1 " AEAD,
            "t:1: bad dst address '2001:db8:::2'");
    one_err("ip xfrm state add proto esp src fe80::1%eth0 dst fe80::2 spi 1 " AEAD,
            "t:1: bad src address 'fe80::1%eth0'");
    one_err("ip xfrm state add proto esp src 192.0.2.0/24 dst 192.0.2.2 spi 1 " AEAD,
            "t:1: src '192.0.2.0/24': an SA address takes no prefix length");
    one_err("ip -f ipx xfrm state add " SA4 AEAD, "t:1: family 'ipx' is not supported");
    one_err("ip -f inet7 xfrm state add " SA4 AEAD, "t:1: invalid protocol family 'inet7'");
}

Test(xfrm_script, abbreviations_and_options_as_ip_resolves_them)
{
    static const char *const good[] = {
        "ip x s a " SA4 AEAD,
        "ip xf sa add " SA4 AEAD,
        "ip xfrm st ad " SA4 AEAD,
        "/sbin/ip xfrm state add " SA4 AEAD,
        "xfrm state add " SA4 AEAD, /* an `ip -batch` line */
        "ip -s -d -o -j -p -t -ts -r -N -h -iec -br -force -c -color=never xfrm state add " SA4
            AEAD,
        "ip --stats --details -- xfrm state add " SA4 AEAD,
        "ip -l 3 -rc 65536 xfrm state add " SA4 AEAD,
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        one_op(good[i], XFRM_SCRIPT_ADD);
    cr_assert_eq(one_op("ip x s u " SA4 AEAD, XFRM_SCRIPT_UPDATE).spi, 7);
    cr_assert_eq(one_op("ip x s d " SA4, XFRM_SCRIPT_DELETE).spi, 7);
    cr_assert_eq(one_op("ip x s dele " SA4, XFRM_SCRIPT_DELETE).spi, 7);
    one_op("ip x s deletea", XFRM_SCRIPT_DELETEALL);
    one_op("ip x s delall", XFRM_SCRIPT_DELETEALL);
    one_op("ip x s f", XFRM_SCRIPT_FLUSH);
    cr_assert_eq(one_op(ADD4 AEAD " mode tu", XFRM_SCRIPT_ADD).mode, XFRM_SCRIPT_TUNNEL);
    cr_assert_eq(one_op(ADD4 AEAD " mode t", XFRM_SCRIPT_ADD).mode, XFRM_SCRIPT_TRANSPORT);

    one_err("ip x s al " SA4, "t:1: 'ip xfrm state allocspi' is not supported");
    one_err("ip xfrm state", "t:1: 'ip xfrm state' without a command lists SAs");
    one_err("ip xfrm state list", "t:1: 'ip xfrm state list' is not supported");
    one_err("ip xfrm state get " SA4, "t:1: 'ip xfrm state get' is not supported");
    one_err("ip xfrm state frob", "t:1: unknown ip xfrm state command 'frob'");
    one_err("ip xfrm policy flush", "t:1: 'ip xfrm policy' is not supported");
    one_err("ip xfrm monitor", "t:1: 'ip xfrm monitor' is not supported");
    one_err("ip xfrm bogus add", "t:1: unknown xfrm object 'bogus'");
    one_err("ip xfrm", "t:1: missing 'state' after 'xfrm'");
    one_err("ip link set nic0 up", "t:1: 'ip link' is not supported");
    one_err("ip a", "t:1: 'ip address' is not supported");
    one_err("ip zz", "t:1: unknown ip object 'zz'");
    one_err("ip -6", "t:1: missing object after '-6'");
    one_err("set -e", "t:1: 'set' is not an ip xfrm command");
    one_err("ip -n blue xfrm state flush", "t:1: ip option '-n' (-netns) is not supported");
    one_err("ip -b f.txt", "t:1: ip option '-b' (-batch) is not supported");
    one_err("ip -0 xfrm state flush", "t:1: ip option '-0' (-0) is not supported");
    one_err("ip -a xfrm state flush", "t:1: ip option '-a' (-all) is not supported");
    one_err("ip -x xfrm state flush", "t:1: unknown ip option '-x'");
    one_err("ip -color=rainbow xfrm state flush", "t:1: bad color value in '-color=rainbow'");
    one_err(ADD4 AEAD " mode beet", "t:1: mode 'beet' is not supported");
    one_err(ADD4 AEAD " mode r", "t:1: mode 'r' is not supported");
    one_err(ADD4 AEAD " mode trans-port", "t:1: unknown mode 'trans-port'");
}

Test(xfrm_script, numbers_as_strtoul_base0)
{
    cr_assert_eq(one_op(ADD4 AEAD " reqid 010", XFRM_SCRIPT_ADD).reqid, 8);
    cr_assert_eq(one_op(ADD4 AEAD " reqid 0XfF", XFRM_SCRIPT_ADD).reqid, 255);
    cr_assert_eq(one_op(ADD4 AEAD " reqid 0", XFRM_SCRIPT_ADD).reqid, 0);
    cr_assert_eq(one_op("ip xfrm state add proto esp src 192.0.2.1 dst 192.0.2.2 spi 256 " AEAD,
                        XFRM_SCRIPT_ADD)
                     .spi,
                 256);
    one_err("ip xfrm state add proto esp src 192.0.2.1 dst 192.0.2.2 spi zz " AEAD,
            "t:1: bad SPI 'zz'");
    one_err("ip xfrm state add proto esp src 192.0.2.1 dst 192.0.2.2 spi 0x100000000 " AEAD,
            "t:1: bad SPI '0x100000000'");
    one_err("ip xfrm state add proto esp src 192.0.2.1 dst 192.0.2.2 spi -1 " AEAD,
            "t:1: bad SPI '-1'");
    one_err("ip xfrm state add proto esp src 192.0.2.1 dst 192.0.2.2 spi 08 " AEAD,
            "t:1: bad SPI '08'");
    one_err("ip xfrm state add proto esp src 192.0.2.1 dst 192.0.2.2 spi 0 " AEAD,
            "t:1: SPI '0': SPI 0 is reserved");
    one_err(ADD4 AEAD " reqid 4294967296", "t:1: bad reqid '4294967296'");
    one_err(ADD4 AEAD " reqid ''", "t:1: bad reqid ''");
    one_err(ADD4 AEAD " replay-window 4097", "t:1: replay-window 4097 is larger than 4096");
    one_err(ADD4 AEAD " replay-seq x", "t:1: bad replay-seq 'x'");
    one_err(ADD4 AEAD " replay-oseq-hi 1", "t:1: replay-oseq-hi needs flag esn");
    one_err(ADD4 AEAD " replay-seq-hi 1", "t:1: replay-seq-hi needs flag esn");
    one_err(ADD4 AEAD " seq 0x", "t:1: bad seq '0x'");
    one_err(ADD4 AEAD " limit byte-hard 18446744073709551616",
            "t:1: bad byte-hard value '18446744073709551616'");
}

Test(xfrm_script, flags_esn_and_directions)
{
    struct xfrm_script_sa sa;
    sa = one_op(ADD4 AEAD " replay-window 64 flag 0x80", XFRM_SCRIPT_ADD);
    cr_assert(sa.esn);
    /* an outbound ESN SA needs no window (iproute2 and the kernel agree) */
    sa = one_op(ADD4 AEAD " flag esn dir out", XFRM_SCRIPT_ADD);
    cr_assert(sa.esn);
    cr_assert_eq(sa.dir, XFRM_SCRIPT_DIR_OUT);
    cr_assert_not(sa.offload.present);
    sa = one_op(ADD4 AEAD " flag esn offload dev nic0 dir out", XFRM_SCRIPT_ADD);
    cr_assert(sa.offload.present);
    sa = one_op(ADD4 AEAD " dir in offload crypto dev nic0 dir in replay-window 32",
                XFRM_SCRIPT_ADD);
    cr_assert_eq(sa.offload.dir, XFRM_SCRIPT_DIR_IN);

    one_err(ADD4 AEAD " flag esn", "t:1: flag esn needs a replay-window");
    one_err(ADD4 AEAD " flag esn dir in", "t:1: flag esn needs a replay-window");
    one_err(ADD4 AEAD " flag noecn", "t:1: flag 'noecn' is not supported");
    one_err(ADD4 AEAD " flag decap-dscp", "t:1: flag 'decap-dscp' is not supported");
    one_err(ADD4 AEAD " flag nopmtudisc", "t:1: flag 'nopmtudisc' is not supported");
    one_err(ADD4 AEAD " flag wildrecv", "t:1: flag 'wildrecv' is not supported");
    one_err(ADD4 AEAD " flag 0x81",
            "t:1: flag value '0x81' sets noecn, which is not supported");
    one_err(ADD4 AEAD " flag 0x100", "t:1: bad flag value '0x100'");
    one_err(ADD4 AEAD " flag shiny", "t:1: unknown flag 'shiny'");
    one_err_n(ADD4 AEAD " flag esn noecn wildrecv replay-window 32",
              "t:1: flag 'noecn' is not supported", 2);
    one_err(ADD4 AEAD " dir up", "t:1: bad dir 'up', want in or out");
    one_err(ADD4 AEAD " dir in offload dev nic0 dir out",
            "t:1: dir 'out' conflicts with the direction given before");
    one_err(ADD4 AEAD " offload dev nic0", "t:1: offload needs 'dir in|out' after the device");
    one_err(ADD4 AEAD " offload nic0 dir in", "t:1: offload needs 'dev NAME', got 'nic0'");
    one_err(ADD4 AEAD " offload", "t:1: offload needs 'dev NAME'");
    one_err(ADD4 AEAD " offload dev nic0 in", "t:1: offload needs 'dir in|out', got 'in'");
    one_err(ADD4 AEAD " offload dev a/b dir in", "t:1: bad offload device name 'a/b'");
    one_err(ADD4 AEAD " offload dev 0123456789abcdef dir in",
            "t:1: bad offload device name '0123456789abcdef'");
    one_err(ADD4 AEAD " offload dev nic0 dir in offload dev nic0 dir in",
            "t:1: duplicate 'offload'");
}

Test(xfrm_script, unsupported_keywords_are_named_and_skipped)
{
    static const struct {
        const char *tail, *msg;
    } cases[] = {
        {" mark 7", "t:1: 'mark' is not supported"},
        {" mark 7 mask 0xff", "t:1: 'mark' is not supported"},
        {" output-mark 7 mask 1", "t:1: 'output-mark' is not supported"},
        {" if_id 5", "t:1: 'if_id' is not supported"},
        {" encap espinudp 4500 4500 0.0.0.0", "t:1: 'encap' (UDP/TCP encapsulation)"},
        {" coa 10.0.0.1", "t:1: 'coa' is not supported"},
        {" ctx foo", "t:1: 'ctx' is not supported"},
        {" tfcpad 64", "t:1: 'tfcpad' is not supported"},
        {" cpu 1", "t:1: 'cpu' is not supported"},
        {" extra-flag dont-encap-dscp oseq-may-wrap", "t:1: 'extra-flag' is not supported"},
        {" enc 'cbc(aes)' 0x00", "t:1: 'enc' is not supported"},
        {" auth 'hmac(sha1)' 0x00", "t:1: 'auth' is not supported"},
        {" auth-trunc 'hmac(sha256)' 0x00 128", "t:1: 'auth-trunc' is not supported"},
        {" comp deflate", "t:1: 'comp' is not supported"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char buf[512];
        /* a keyword after the skipped arguments is still checked */
        snprintf(buf, sizeof buf, ADD4 AEAD "%s reqid 3", cases[i].tail);
        one_err(buf, cases[i].msg);
        snprintf(buf, sizeof buf, ADD4 AEAD "%s reqid x", cases[i].tail);
        one_err_n(buf, "t:1: bad reqid 'x'", 2);
    }
    one_err("ip xfrm state add proto ah src 192.0.2.1 dst 192.0.2.2 spi 1 " AEAD,
            "t:1: proto 'ah' is not supported, only esp");
    one_err("ip xfrm state add proto comp src 192.0.2.1 dst 192.0.2.2 spi 1 " AEAD,
            "t:1: proto 'comp' is not supported, only esp");
    one_err("ip xfrm state add proto tcp src 192.0.2.1 dst 192.0.2.2 spi 1 " AEAD,
            "t:1: unknown proto 'tcp'");
    one_err(ADD4 AEAD " frobnicate 3 reqid x", "t:1: unknown keyword 'frobnicate'");
    one_err(ADD4 AEAD " limit time-soft 1 time-hard 2",
            "t:1: 'time-hard' needs its own 'limit' keyword");
    one_err(ADD4 AEAD " limit lifetime 2", "t:1: unknown limit 'lifetime'");
    one_err(ADD4 AEAD " limit time-soft 1 limit time-soft 2", "t:1: duplicate 'time-soft'");
    one_err(ADD4 AEAD " limit", "t:1: missing limit after 'limit'");
    one_err(ADD4 AEAD " reqid", "t:1: missing a number after 'reqid'");
    one_err_n(ADD4 AEAD " mark", "t:1: missing value after 'mark'", 2);
}

Test(xfrm_script, missing_duplicate_and_misplaced_fields)
{
    one_err("ip xfrm state add src 192.0.2.1 dst 192.0.2.2 spi 1 " AEAD,
            "t:1: missing 'proto esp'");
    one_err("ip xfrm state add proto esp dst 192.0.2.2 spi 1 " AEAD, "t:1: missing 'src ADDRESS'");
    one_err("ip xfrm state add proto esp src 192.0.2.2 spi 1 " AEAD, "t:1: missing 'dst ADDRESS'");
    one_err("ip xfrm state add proto esp src 192.0.2.1 dst 192.0.2.2 " AEAD,
            "t:1: missing 'spi SPI'");
    one_err(ADD4 "mode transport", "t:1: missing 'aead rfc4106(gcm(aes)) KEY ICV-BITS'");
    one_err_n("ip xfrm state add", "t:1: missing 'proto esp'", 5);
    one_err(ADD4 AEAD " spi 8", "t:1: 'spi' must be next to the other ID fields");
    one_err("ip xfrm state add proto esp src 192.0.2.1 src 192.0.2.3 dst 192.0.2.2 spi 1 " AEAD,
            "t:1: duplicate 'src'");
    one_err(ADD4 AEAD " reqid 1 reqid 2", "t:1: duplicate 'reqid'");
    one_err(ADD4 AEAD " mode tunnel mode transport", "t:1: duplicate 'mode'");
    one_err(ADD4 AEAD " sel src 10.0.0.1 sel dst 10.0.0.2", "t:1: duplicate 'sel'");
}

Test(xfrm_script, selectors)
{
    struct xfrm_script_sa sa;
    sa = one_op(ADD4 AEAD " sel src ::/0 dst 2001:db8::/32 proto ipv6-icmp type 128 code 0",
                XFRM_SCRIPT_ADD);
    cr_assert_eq(sa.sel.family, AF_INET6);
    cr_assert_eq(sa.sel.prefixlen_s, 0);
    cr_assert_eq(sa.sel.prefixlen_d, 32);
    cr_assert_eq(sa.sel.proto, 58);
    cr_assert_eq(sa.sel.sport, 128);
    cr_assert_eq(sa.sel.dport_mask, 0xffff);
    sa = one_op(ADD4 AEAD " sel proto gre key 1.2.3.4", XFRM_SCRIPT_ADD);
    cr_assert_eq(sa.sel.family, 0);
    cr_assert_eq(sa.sel.sport, 0x0102);
    cr_assert_eq(sa.sel.dport, 0x0304);
    sa = one_op(ADD4 AEAD " sel proto 17 dport 4500 dev none", XFRM_SCRIPT_ADD);
    cr_assert_eq(sa.sel.proto, 17);
    cr_assert_eq(sa.sel.sport_mask, 0);
    cr_assert_str_eq(sa.sel.dev, "");
    sa = one_op(ADD4 AEAD " sel proto any sport 0", XFRM_SCRIPT_ADD);
    cr_assert_eq(sa.sel.sport_mask, 0);
    /* ip's selector takes proto for itself: `sel ... proto esp` is the upper layer */
    sa = one_op("ip xfrm state add src 192.0.2.1 dst 192.0.2.2 spi 9 proto esp " AEAD
                " sel src 192.0.2.1 proto esp",
                XFRM_SCRIPT_ADD);
    cr_assert_eq(sa.sel.proto, 50);

    one_err(ADD4 AEAD " sel", "t:1: 'sel' needs src, dst, dev or proto");
    one_err(ADD4 AEAD " sel reqid 3", "t:1: 'sel' needs src, dst, dev or proto");
    one_err(ADD4 AEAD " sel src 10.0.0.1 dst ::1", "t:1: sel dst '::1' is IPv6 but sel src is IPv4");
    one_err(ADD4 AEAD " sel src 10.0.0.0/33", "t:1: bad prefix length in sel src '10.0.0.0/33'");
    one_err(ADD4 AEAD " sel src 10.0.0.0/", "t:1: bad prefix length in sel src '10.0.0.0/'");
    one_err(ADD4 AEAD " sel src any", "t:1: bad sel src address 'any'");
    one_err(ADD4 AEAD " sel proto icmp sport 5", "t:1: sel 'sport' needs proto tcp, udp");
    one_err(ADD4 AEAD " sel proto tcp type 5", "t:1: sel 'type' needs proto icmp");
    one_err(ADD4 AEAD " sel proto tcp key 5", "t:1: sel 'key' needs proto gre");
    one_err(ADD4 AEAD " sel proto tcp sport 65536", "t:1: bad sel sport '65536'");
    one_err(ADD4 AEAD " sel proto icmp type 256", "t:1: bad sel type '256'");
    one_err(ADD4 AEAD " sel proto nope", "t:1: unknown sel proto 'nope'");
    one_err(ADD4 AEAD " sel dev a:b", "t:1: bad sel device name 'a:b'");
}

Test(xfrm_script, delete_deleteall_flush)
{
    struct xfrm_script_sa sa;
    sa = one_op("ip xfrm state delete dst 192.0.2.2 proto esp spi 0x07", XFRM_SCRIPT_DELETE);
    cr_assert_eq(sa.spi, 7);
    cr_assert_eq(sa.proto, 50);
    cr_assert_not(sa.have & XFRM_SCRIPT_HAVE_SRC);
    cr_assert_eq(sa.family, AF_INET);
    sa = one_op("ip -6 xfrm state delete src 2001:db8::1 dst 2001:db8::2 proto esp spi 9",
                XFRM_SCRIPT_DELETE);
    cr_assert_eq(sa.family, AF_INET6);
    cr_assert(sa.have & XFRM_SCRIPT_HAVE_SRC);
    one_err("ip xfrm state delete dst 192.0.2.2 proto esp", "t:1: missing 'spi SPI'");
    one_err("ip xfrm state delete src 192.0.2.1 proto esp spi 1", "t:1: missing 'dst ADDRESS'");
    one_err("ip xfrm state delete dst 192.0.2.2 spi 1", "t:1: missing 'proto esp'");
    one_err("ip xfrm state delete dst 192.0.2.2 proto esp spi 1 mark 3",
            "t:1: 'mark' is not supported");
    one_err("ip xfrm state delete dst 192.0.2.2 proto esp spi 1 mode tunnel",
            "t:1: unknown keyword 'mode' for delete");

    sa = one_op("ip xfrm state deleteall", XFRM_SCRIPT_DELETEALL);
    cr_assert_eq(sa.have, 0);
    cr_assert_eq(sa.family, 0);
    sa = one_op("ip -6 xfrm state deleteall", XFRM_SCRIPT_DELETEALL);
    cr_assert_eq(sa.family, AF_INET6);
    sa = one_op("ip xfrm state deleteall src 10.0.0.0/8 dst 10.1.0.0/16 proto ah spi 0 mode "
                "tunnel reqid 4 flag noecn nokeys",
                XFRM_SCRIPT_DELETEALL);
    cr_assert_eq(sa.src_plen, 8);
    cr_assert_eq(sa.dst_plen, 16);
    cr_assert_eq(sa.proto, 51);
    cr_assert_eq(sa.mode, XFRM_SCRIPT_TUNNEL);
    cr_assert_eq(sa.reqid, 4);
    cr_assert_eq(sa.flags, 1);
    one_err("ip xfrm state deleteall aead x y z", "t:1: unknown keyword 'aead' for deleteall");

    cr_assert_eq(one_op("ip xfrm state flush", XFRM_SCRIPT_FLUSH).proto, 0);
    cr_assert_eq(one_op("ip xfrm state flush proto esp", XFRM_SCRIPT_FLUSH).proto, 50);
    cr_assert_eq(one_op("ip xfrm state flush proto ipsec-any", XFRM_SCRIPT_FLUSH).proto, 255);
    one_err("ip xfrm state flush proto udp", "t:1: unknown proto 'udp'");
    one_err("ip xfrm state flush all", "t:1: unknown keyword 'all' for flush");
}

Test(xfrm_script, lexer_quotes_comments_continuations)
{
    struct run r;
    run_str(&r, "# header\n"
                "\n"
                "   \t\n"
                "ip xfrm state add \\\n"
                "  proto esp src 192.0.2.1 \\\n"
                "  dst 192.0.2.2 spi 1 " AEAD " # done\n"
                "ip xfrm state flush # second\r\n"
                "ip xfrm state fl\\\r\nush\r\n"
                "ip xfrm state add proto esp src 192.0.2.1 dst 192.0.2.2 spi 2 aead "
                "\"rfc4106(gcm(aes))\" \\\n"
                "# a comment line inside a continued command ends it\n"
                "x#y\n");
    cr_assert_eq(r.s.n_ops, 3, "%s", r.text);
    cr_assert_eq(r.s.ops[0].line, 4);
    cr_assert_eq(r.s.ops[0].op, XFRM_SCRIPT_ADD);
    cr_assert_eq(r.s.ops[1].line, 7);
    cr_assert_eq(r.s.ops[2].line, 8); /* "fl\<CR><LF>ush" continues onto line 9 */
    cr_assert_eq(r.s.ops[2].op, XFRM_SCRIPT_FLUSH);
    cr_assert_eq(r.s.n_errors, 2, "%s", r.text);
    HAS(&r, "t:10: 'aead' needs an algorithm, key and ICV length");
    HAS(&r, "t:12: 'x#y' is not an ip xfrm command");
    done(&r);

    /* the line of an error is the line of its token */
    run_str(&r, "ip xfrm state add proto esp \\\n src 192.0.2.1 dst 192.0.2.2 \\\n spi qq \\\n " AEAD
                "\n");
    cr_assert_eq(r.s.n_errors, 1);
    cr_assert_eq(r.s.errors[0].line, 3);
    cr_assert_str_eq(r.s.errors[0].msg, "bad SPI 'qq'");
    HAS(&r, "t:3: bad SPI 'qq'\n");
    done(&r);

    one_err("ip xfrm state add 'proto esp", "t:1: unterminated single quote");
    one_err("ip xfrm state add \"proto esp", "t:1: unterminated double quote");
    one_err("ip xfrm state add " SA4 "aead 'rfc4106(gcm(aes))' $KEY 128",
            "t:1: shell syntax '$' is not supported");
    one_err("ip xfrm state add " SA4 "aead 'rfc4106(gcm(aes))' \"$KEY\" 128",
            "t:1: shell expansion '$' is not supported");
    one_err("ip xfrm state flush; ip xfrm policy flush", "t:1: shell syntax ';' is not supported");
    one_err("ip xfrm state flush > /dev/null", "t:1: shell syntax '>' is not supported");
    one_err("ip xfrm state flush \x01", "t:1: control character 0x01");
    one_err("ip xfrm state flush \\ \n", "t:1: blank after the continuation backslash");
    /* a backslash escapes; single quotes keep everything literal */
    one_err("ip xfrm state fl\\ush x\\ y", "t:1: unknown keyword 'x y' for flush");
    one_err("ip xfrm state flush 'a\\b'", "t:1: unknown keyword 'a\\x5cb' for flush");
    one_err("ip xfrm state flush \"a\\\"b\"", "t:1: unknown keyword 'a\"b' for flush");
    one_op("ip xfrm state flush\\", XFRM_SCRIPT_FLUSH);
    one_op("ip xfrm state flush ''proto\"\" esp", XFRM_SCRIPT_FLUSH);
}

Test(xfrm_script, error_file_reports_every_line)
{
    struct run r;
    run_file(&r, DATA "errors.txt");
    static const char *const want[] = {
        DATA "errors.txt:2: bad SPI 'zz'\n",
        DATA "errors.txt:3: aead key is 19 bytes, want 20, 28 or 36\n",
        DATA "errors.txt:4: proto 'ah' is not supported, only esp\n",
        DATA "errors.txt:4: 'auth' is not supported",
        DATA "errors.txt:5: 'enc' is not supported",
        DATA "errors.txt:6: aead ICV length 100 bits is not supported, want 64, 96 or 128\n",
        DATA "errors.txt:7: bad src address '192.0.2.999'\n",
        DATA "errors.txt:8: mode 'beet' is not supported, want transport or tunnel\n",
        DATA "errors.txt:9: 'if_id' is not supported\n",
        DATA "errors.txt:10: 'mark' is not supported\n",
        DATA "errors.txt:11: 'encap' (UDP/TCP encapsulation) is not supported\n",
        DATA "errors.txt:12: flag 'noecn' is not supported\n",
        DATA "errors.txt:13: unknown keyword 'frobnicate'\n",
        DATA "errors.txt:14: bad dir 'sideways', want in or out\n",
        DATA "errors.txt:15: missing 'spi SPI'\n",
        DATA "errors.txt:16: 'ip xfrm policy' is not supported",
        DATA "errors.txt:19: replay-window 9999 is larger than 4096\n",
        DATA "errors.txt:20: bad byte-soft value 'lots'\n",
        DATA "errors.txt:21: missing 'spi SPI'\n",
        DATA "errors.txt:22: unterminated single quote\n",
        DATA "errors.txt:23: shell syntax '$' is not supported\n",
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        HAS(&r, want[i]);
    /* lines 4 and 5 also lack an aead: 2 extra errors */
    cr_assert_eq(r.s.n_errors, sizeof want / sizeof want[0] + 2, "%s", r.text);
    cr_assert_eq(r.rc, (int)r.s.n_errors);
    /* the good last line still parses */
    cr_assert_eq(r.s.n_ops, 1, "%s", r.text);
    cr_assert_eq(r.s.ops[0].line, 24);
    cr_assert_eq(r.s.ops[0].sa.spi, 7);
    /* errors are in script order, with their lines */
    for (size_t i = 1; i < r.s.n_errors; i++)
        cr_assert_geq(r.s.errors[i].line, r.s.errors[i - 1].line);
    done(&r);
}

Test(xfrm_script, mixed_script)
{
    struct run r;
    run_file(&r, DATA "mixed.txt");
    cr_assert_eq(r.rc, 0, "%s", r.text);
    cr_assert_eq(r.s.n_ops, 7);
    static const enum xfrm_script_opcode ops[] = {
        XFRM_SCRIPT_FLUSH,  XFRM_SCRIPT_ADD,       XFRM_SCRIPT_ADD,   XFRM_SCRIPT_UPDATE,
        XFRM_SCRIPT_DELETE, XFRM_SCRIPT_DELETEALL, XFRM_SCRIPT_FLUSH,
    };
    for (unsigned i = 0; i < 7; i++) {
        cr_assert_eq(r.s.ops[i].op, ops[i], "op %u", i);
        cr_assert_eq(r.s.ops[i].line, i + 1);
    }
    cr_assert_eq(r.s.ops[1].sa.offload.dir, XFRM_SCRIPT_DIR_IN);
    cr_assert_eq(r.s.ops[2].sa.offload.dir, XFRM_SCRIPT_DIR_OUT);
    cr_assert_eq(r.s.ops[3].sa.reqid, 9);
    cr_assert_eq(r.s.ops[3].sa.icv_bits, 64);
    cr_assert_eq(r.s.ops[4].sa.spi, 7);
    cr_assert_eq(r.s.ops[5].sa.src_plen, 24);
    cr_assert_eq(r.s.ops[6].sa.proto, 50);
    cr_assert_str_eq(xfrm_script_op_name(r.s.ops[5].op), "deleteall");
    done(&r);
}

Test(xfrm_script, real_world_script)
{
    struct run r;
    run_file(&r, DATA "realworld.sh");
    cr_assert_eq(r.rc, 0, "%s", r.text);
    cr_assert_eq(r.len, 0);
    cr_assert_eq(r.s.n_ops, 6);
    const struct xfrm_script_op *o = r.s.ops;
    cr_assert_eq(o[0].op, XFRM_SCRIPT_FLUSH);
    cr_assert_eq(o[0].line, 5);
    cr_assert_eq(o[1].op, XFRM_SCRIPT_DELETEALL);
    cr_assert_eq(o[1].sa.proto, 50);

    cr_assert_eq(o[2].line, 9);
    cr_assert_eq(o[2].sa.spi, 0x1001);
    cr_assert_eq(o[2].sa.reqid, 1001);
    cr_assert_eq(o[2].sa.replay_window, 0);
    cr_assert_eq(o[2].sa.keymat_len, 20);
    cr_assert_eq(o[2].sa.keymat[16], 0x01);
    cr_assert_eq(o[2].sa.sel.prefixlen_d, 32);
    cr_assert_eq(o[2].sa.offload.dir, XFRM_SCRIPT_DIR_OUT);

    cr_assert_eq(o[3].line, 18);
    cr_assert(o[3].sa.esn);
    cr_assert_eq(o[3].sa.replay_window, 128);
    cr_assert_eq(o[3].sa.keymat_len, 36);
    cr_assert_eq(o[3].sa.keymat[32], 0xca);
    cr_assert_eq(o[3].sa.lft.soft_add_expires_seconds, 3000);
    cr_assert_eq(o[3].sa.lft.hard_add_expires_seconds, 3600);
    cr_assert_eq(o[3].sa.offload.type, XFRM_SCRIPT_OFFLOAD_CRYPTO);
    cr_assert_eq(o[3].sa.offload.dir, XFRM_SCRIPT_DIR_IN);

    cr_assert_eq(o[4].line, 26);
    cr_assert_eq(o[4].sa.family, AF_INET6);
    cr_assert_eq(o[4].sa.mode, XFRM_SCRIPT_TUNNEL);
    cr_assert_eq(o[4].sa.spi, 4097);
    cr_assert_eq(o[4].sa.keymat_len, 28);
    cr_assert_eq(o[4].sa.icv_bits, 96);
    cr_assert_eq(o[4].sa.sel.family, AF_INET);
    cr_assert_eq(o[4].sa.sel.prefixlen_s, 16);
    cr_assert_eq(o[4].sa.offload.type, XFRM_SCRIPT_OFFLOAD_PACKET);

    cr_assert_eq(o[5].op, XFRM_SCRIPT_DELETE);
    cr_assert_eq(o[5].line, 33);
    cr_assert_eq(o[5].sa.spi, 0x1001);
    done(&r);
}

Test(xfrm_script, files_and_api_edges)
{
    struct run r;
    run_file(&r, DATA "no-such-file.txt");
    cr_assert_eq(r.rc, -1);
    HAS(&r, DATA "no-such-file.txt: No such file or directory");
    done(&r);

    /* a NUL byte in a file is an error on its line, not the end of the file */
    char path[] = "/tmp/xfrm_script_nulXXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    static const char body[] = "ip xfrm state flush\nip xfrm state fl\0ush\nip xfrm state flush\n";
    FILE *f = fdopen(fd, "wb");
    cr_assert_not_null(f);
    cr_assert_eq(fwrite(body, 1, sizeof body - 1, f), sizeof body - 1);
    fclose(f);
    run_file(&r, path);
    remove(path);
    cr_assert_eq(r.rc, 1, "%s", r.text);
    cr_assert_eq(r.s.n_ops, 2);
    cr_assert_eq(r.s.ops[1].line, 3);
    cr_assert_not_null(strstr(r.text, ":2: control character 0x00"), "%s", r.text);
    done(&r);

    /* no err stream: errors are still collected */
    struct xfrm_script s;
    cr_assert_eq(xfrm_script_parse_string("ip xfrm state flush x\n\nip x", NULL, &s, NULL), 2);
    cr_assert_eq(s.n_errors, 2);
    cr_assert_eq(s.errors[1].line, 3);
    xfrm_script_free(&s);
    cr_assert_null(s.errors);
    cr_assert_eq(s.n_errors, 0);
    xfrm_script_free(&s);
    xfrm_script_free(NULL);
    cr_assert_eq(xfrm_script_parse_string("", "e", &s, NULL), 0);
    cr_assert_eq(s.n_ops, 0);
    xfrm_script_free(&s);
    cr_assert_eq(xfrm_script_parse_string(NULL, "e", &s, NULL), 0);
    xfrm_script_free(&s);
    cr_assert_str_eq(xfrm_script_op_name(XFRM_SCRIPT_ADD), "add");
    cr_assert_str_eq(xfrm_script_op_name(XFRM_SCRIPT_UPDATE), "update");
    cr_assert_str_eq(xfrm_script_op_name(XFRM_SCRIPT_DELETE), "delete");
    cr_assert_str_eq(xfrm_script_op_name(XFRM_SCRIPT_FLUSH), "flush");

    /* a long token is shown cut, never overflowing the message */
    char big[4096];
    memset(big, 'z', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    char *line = malloc(sizeof big + 64);
    cr_assert_not_null(line);
    snprintf(line, sizeof big + 64, "ip xfrm state flush %s", big);
    run_str(&r, line);
    free(line);
    cr_assert_eq(r.rc, 1);
    HAS(&r, "zzz...'");
    cr_assert_lt(r.len, 200);
    done(&r);
}

/* ---------------------------------------------------------------------------------------- */
/* Fuzz: random words from the grammar, random bytes, and mutations of good lines. Checks that
 * nothing crashes (run under ASan/UBSan), the error count is returned, and what comes out of
 * the parser is within its documented ranges. */

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint32_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 16);
}

static const char *const words[] = {
    "ip", "-6", "-4", "-f", "inet6", "--", "xfrm", "x", "state", "s", "sa", "add", "a",
    "update", "delete", "deleteall", "delall", "flush", "proto", "esp", "ah", "src", "dst",
    "spi", "0x07", "0", "4294967295", "192.0.2.1", "2001:db8::1", "10.0.0.0/8", "::/0",
    "mode", "transport", "tunnel", "beet", "reqid", "seq", "replay-window", "replay-seq",
    "replay-oseq", "replay-seq-hi", "replay-oseq-hi", "flag", "esn", "noecn", "icmp", "0x80",
    "aead", "'rfc4106(gcm(aes))'", KEY20, "128", "96", "64", "sel", "dev", "none", "tcp",
    "sport", "dport", "type", "code", "key", "limit", "time-soft", "byte-hard", "packet-soft",
    "offload", "crypto", "packet", "nic0", "dir", "in", "out", "mark", "mask", "if_id",
    "encap", "espinudp", "enc", "auth", "auth-trunc", "comp", "extra-flag", "output-mark",
    "coa", "ctx", "tfcpad", "cpu", "nokeys", "\\\n", "#", "'", "\"", "\\", "$X", ";", "\t",
    "''", "0x", "0X1", "-", "/", "sel src", "\r\n", "\n",
};

static void check_invariants(const struct xfrm_script *s, int rc, const char *text)
{
    cr_assert_eq(rc, (int)s->n_errors, "input: %s", text);
    for (size_t i = 0; i < s->n_ops; i++) {
        const struct xfrm_script_op *o = &s->ops[i];
        cr_assert_geq(o->line, 1);
        cr_assert_leq(o->op, XFRM_SCRIPT_FLUSH);
        if (o->op == XFRM_SCRIPT_ADD || o->op == XFRM_SCRIPT_UPDATE) {
            cr_assert(o->sa.keymat_len == 20 || o->sa.keymat_len == 28 ||
                          o->sa.keymat_len == 36,
                      "input: %s", text);
            cr_assert(o->sa.icv_bits == 64 || o->sa.icv_bits == 96 || o->sa.icv_bits == 128);
            cr_assert_eq(o->sa.proto, 50);
            cr_assert_neq(o->sa.spi, 0);
            cr_assert(o->sa.family == AF_INET || o->sa.family == AF_INET6);
            cr_assert_leq(o->sa.replay_window, XFRM_SCRIPT_REPLAY_MAX);
            cr_assert(!o->sa.esn || o->sa.replay_window || o->sa.dir == XFRM_SCRIPT_DIR_OUT);
        }
        cr_assert_lt(strlen(o->sa.offload.dev), XFRM_SCRIPT_DEV_MAX);
        cr_assert_lt(strlen(o->sa.sel.dev), XFRM_SCRIPT_DEV_MAX);
    }
    for (size_t i = 0; i < s->n_errors; i++) {
        cr_assert_not_null(s->errors[i].msg);
        cr_assert_geq(s->errors[i].line, 1);
        cr_assert_null(strchr(s->errors[i].msg, '\n'), "one-line reason");
    }
}

static void fuzz_one(const char *text)
{
    struct xfrm_script s;
    int rc = xfrm_script_parse_string(text, "fuzz", &s, NULL);
    check_invariants(&s, rc, text);
    xfrm_script_free(&s);
}

Test(xfrm_script, fuzz_random_and_mutated_lines, .timeout = 120)
{
    static const char *const seeds[] = {
        "ip xfrm state add proto esp src 192.0.2.1 dst 192.0.2.2 spi 0x07 mode transport reqid 7 "
        "replay-window 32 aead 'rfc4106(gcm(aes))' " KEY20 " 128 sel src 192.0.2.1 dst "
        "192.0.2.2 offload dev nic0 dir in\n",
        "ip -6 xfrm state add src 2001:db8::1 dst 2001:db8::2 proto esp spi 4097 mode tunnel "
        "replay-window 64 flag esn aead rfc4106(gcm(aes)) " KEY20 " 96 sel src 10.1.0.0/16 "
        "proto tcp sport 1 limit time-soft 3 offload packet dev nic0 dir out\n",
        "ip xfrm state delete src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x1001\n"
        "ip xfrm state deleteall src 10.0.0.0/8 reqid 3 flag esn\nip xfrm state flush proto esp\n",
    };
    char buf[2048];
    unsigned n_ok = 0;
    for (unsigned iter = 0; iter < 30000; iter++) {
        size_t len = 0;
        unsigned kind = rnd() % 3;
        if (kind == 0) { /* word soup */
            unsigned nw = rnd() % 40;
            for (unsigned w = 0; w < nw && len < sizeof buf - 64; w++) {
                const char *wd = words[rnd() % (sizeof words / sizeof words[0])];
                size_t wl = strlen(wd);
                memcpy(buf + len, wd, wl);
                len += wl;
                buf[len++] = rnd() % 8 ? ' ' : '\n';
            }
        } else if (kind == 1) { /* random bytes, biased to printable */
            unsigned nb = rnd() % 300;
            for (unsigned b = 0; b < nb; b++) {
                uint32_t x = rnd();
                buf[len++] = (char)(x % 4 ? 0x20 + (x >> 8) % 95 : (x >> 8) % 256);
            }
        } else { /* mutated good script */
            const char *sd = seeds[rnd() % 3];
            len = strlen(sd);
            memcpy(buf, sd, len);
            unsigned nm = 1 + rnd() % 6;
            for (unsigned k = 0; k < nm && len > 1; k++) {
                size_t at = rnd() % len;
                switch (rnd() % 5) {
                case 0: /* flip a byte */
                    buf[at] = (char)(rnd() % 256);
                    break;
                case 1: /* delete a run */
                {
                    size_t n = 1 + rnd() % 12;
                    if (at + n > len)
                        n = len - at;
                    memmove(buf + at, buf + at + n, len - at - n);
                    len -= n;
                    break;
                }
                case 2: /* insert a grammar word */
                {
                    const char *wd = words[rnd() % (sizeof words / sizeof words[0])];
                    size_t wl = strlen(wd);
                    if (len + wl + 1 < sizeof buf - 1) {
                        memmove(buf + at + wl + 1, buf + at, len - at);
                        memcpy(buf + at, wd, wl);
                        buf[at + wl] = ' ';
                        len += wl + 1;
                    }
                    break;
                }
                case 3: /* truncate */
                    len = at;
                    break;
                default: /* duplicate a slice */
                {
                    size_t n = 1 + rnd() % 40;
                    if (at + n > len)
                        n = len - at;
                    if (len + n < sizeof buf - 1) {
                        memmove(buf + at + n, buf + at, len - at);
                        len += n;
                    }
                    break;
                }
                }
            }
        }
        buf[len] = '\0';
        struct xfrm_script s;
        int rc = xfrm_script_parse_string(buf, "fuzz", &s, NULL);
        check_invariants(&s, rc, buf);
        n_ok += s.n_ops;
        xfrm_script_free(&s);
    }
    /* the mutations leave many commands intact: the good path is exercised too */
    cr_assert_gt(n_ok, 1000, "only %u ops parsed", n_ok);
    fuzz_one("\\");
    fuzz_one("'");
    fuzz_one("ip");
    fuzz_one("ip -");
    fuzz_one("ip --");
    fuzz_one("ip -f");
    fuzz_one("ip xfrm state add offload packet");
    fuzz_one("ip xfrm state add sel proto tcp sport");
    fuzz_one("ip xfrm state add flag");
    fuzz_one("ip xfrm state add limit time-soft");
}

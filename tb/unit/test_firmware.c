/* test_firmware.c - the firmware on the whole device: the host writes the mailbox registers
 * through nic_mmio_write, rings MBOX.DOORBELL and runs the card until MBOX.STATUS.DONE, as a
 * driver would. Every command, every refused field, the DELETE/FREE split, RESET, key
 * hygiene, the cycle cost, and traffic through SAs the firmware installed (against the golden
 * library).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "../../firmware/fw.h"
#include "dut.h"
#include "esp_golden.h"
#include "nicsim/regs.h"
#include "pktgen.h"

#define BUF 10000
#define C(x) NICSIM_MBOX_CODE_##x

static const uint8_t dst4[4] = {10, 1, 0, 1};

/* ---- the host side of the mailbox -------------------------------------------------------- */

static uint32_t rd(struct nic *n, uint32_t off)
{
    return nic_mmio_read(n, off);
}

static void wr(struct nic *n, uint32_t off, uint32_t v)
{
    nic_mmio_write(n, off, v);
}

static uint32_t arg_reg(unsigned i)
{
    return i < 16 ? NICSIM_REG(MBOX, ARG0) + 4u * i : NICSIM_REG(MBOX, ARG16) + 4u * (i - 16);
}

static uint32_t status_code(uint32_t st)
{
    return (st & NICSIM_MBOX_STATUS_CODE_MASK) >> NICSIM_MBOX_STATUS_CODE_LSB;
}

static void ring(struct nic *n, uint32_t cmd, const uint32_t *args, unsigned nargs)
{
    wr(n, NICSIM_REG(MBOX, CMD), cmd);
    for (unsigned i = 0; i < 18; i++)
        wr(n, arg_reg(i), i < nargs ? args[i] : 0);
    wr(n, NICSIM_REG(MBOX, DOORBELL), 1);
    cr_assert(rd(n, NICSIM_REG(MBOX, STATUS)) & NICSIM_MBOX_STATUS_BUSY_MASK);
}

static uint32_t wait_done(struct nic *n)
{
    for (int i = 0; i < 100; i++) {
        uint32_t st = rd(n, NICSIM_REG(MBOX, STATUS));
        if (st & NICSIM_MBOX_STATUS_DONE_MASK) {
            cr_assert_eq(st & NICSIM_MBOX_STATUS_BUSY_MASK, 0);
            return status_code(st);
        }
        nic_run(n, 100000);
    }
    cr_assert_fail("mailbox never completed");
    return 0;
}

static uint32_t cmd(struct nic *n, uint32_t c, const uint32_t *args, unsigned nargs)
{
    ring(n, c, args, nargs);
    return wait_done(n);
}

static uint32_t resp(struct nic *n, unsigned i)
{
    return rd(n, NICSIM_REG(MBOX, RESP0) + 4u * i);
}

static void be_words(uint32_t *w, const uint8_t *b, unsigned nbytes)
{
    for (unsigned i = 0; i < nbytes; i += 4)
        w[i / 4] = (uint32_t)b[i] << 24 | (uint32_t)b[i + 1] << 16 | (uint32_t)b[i + 2] << 8 | b[i + 3];
}

static uint32_t cfg_of(const struct nic_sa *s)
{
    return (uint32_t)s->mode << NICSIM_SAT_CFG_MODE_LSB |
           (uint32_t)s->offload << NICSIM_SAT_CFG_OFFLOAD_LSB |
           (uint32_t)s->esn << NICSIM_SAT_CFG_ESN_LSB | (uint32_t)s->v6 << NICSIM_SAT_CFG_V6_LSB |
           (uint32_t)s->icv_len << NICSIM_SAT_CFG_ICV_LEN_LSB |
           (uint32_t)s->keymat_len << NICSIM_SAT_CFG_KEYMAT_LEN_LSB;
}

/* The SA_ADD argument block for an SA (docs/mailbox.md). */
static void sa_args(const struct nic_sa *s, uint32_t a[18])
{
    memset(a, 0, 18 * sizeof(*a));
    a[0] = s->dir;
    a[1] = cfg_of(s);
    a[2] = s->spi;
    unsigned alen = s->v6 ? 16 : 4;
    be_words(&a[3], s->dir == NIC_SA_IN ? s->daddr : s->tun_src, alen);
    if (s->dir == NIC_SA_OUT)
        be_words(&a[7], s->tun_dst, alen);
    a[11] = s->replay_window;
    a[12] = (uint32_t)s->seq;
    a[13] = (uint32_t)(s->seq >> 32);
    a[14] = (uint32_t)s->soft_packets;
    a[15] = (uint32_t)s->hard_packets;
    a[16] = (uint32_t)(s->soft_bytes / 1024);
    a[17] = (uint32_t)(s->hard_bytes / 1024);
}

static void write_key(struct nic *n, const uint8_t *key, unsigned len)
{
    uint32_t w[9] = {0};
    be_words(w, key, len);
    for (unsigned i = 0; i < 9; i++)
        wr(n, NICSIM_REG(MBOX, KEY0) + 4u * i, w[i]);
}

/* SA_ADD through the mailbox: the completion code; *handle = RESP0 on success. */
static uint32_t add_raw(struct nic *n, const uint32_t a[18], const struct nic_sa *s, int *handle)
{
    write_key(n, s->keymat, s->keymat_len);
    uint32_t code = cmd(n, NICSIM_MBOX_CMD_SA_ADD, a, 18);
    if (handle)
        *handle = code ? -1 : (int)resp(n, 0);
    return code;
}

static uint32_t add(struct nic *n, const struct nic_sa *s, int *handle)
{
    uint32_t a[18];
    sa_args(s, a);
    return add_raw(n, a, s, handle);
}

static int add_ok(struct nic *n, const struct nic_sa *s)
{
    int h;
    uint32_t code = add(n, s, &h);
    cr_assert_eq(code, C(OK), "SA_ADD: code %u", code);
    return h;
}

static uint32_t sa_cmd(struct nic *n, uint32_t c, uint32_t dir, uint32_t handle)
{
    uint32_t a[2] = {dir, handle};
    return cmd(n, c, a, 2);
}

static struct nic_sa sa_of(uint8_t dir, uint8_t offload, uint32_t spi)
{
    struct nic_sa s = {.dir = dir, .offload = offload, .icv_len = 16, .keymat_len = 20, .spi = spi};
    for (int i = 0; i < 20; i++)
        s.keymat[i] = (uint8_t)(spi * 13 + (uint32_t)i);
    memcpy(s.daddr, dst4, 4);
    return s;
}

static struct nic *make_nic(struct nicsim_params *p)
{
    char err[200];
    struct nic *n = nic_create(p, err, sizeof(err));
    cr_assert(n, "%s", err);
    return n;
}

static struct nicsim_params defaults(void)
{
    struct nicsim_params p;
    nicsim_params_default(&p);
    p.tx_ring_size = p.rx_ring_size = 64;
    return p;
}

static struct dut *make_dut(struct nicsim_params *p)
{
    char err[200];
    struct dut *d = dut_create(p, err, sizeof(err));
    cr_assert(d, "%s", err);
    return d;
}

/* ---- simple commands --------------------------------------------------------------------- */

Test(firmware, nop_get_info_and_unknown_command)
{
    struct nicsim_params p = defaults();
    p.caps = 0x1b;
    struct nic *n = make_nic(&p);
    cr_assert_eq(cmd(n, NICSIM_MBOX_CMD_NOP, NULL, 0), C(OK));
    cr_assert_eq(cmd(n, 0x7f, NULL, 0), C(EBADCMD));
    struct nic_sa in = sa_of(NIC_SA_IN, NIC_OFFLOAD_PACKET, 5);
    struct nic_sa out = sa_of(NIC_SA_OUT, NIC_OFFLOAD_PACKET, 6);
    add_ok(n, &in);
    add_ok(n, &out);
    out.spi = 7;
    add_ok(n, &out);
    cr_assert_eq(cmd(n, NICSIM_MBOX_CMD_GET_INFO, NULL, 0), C(OK));
    cr_assert_eq(resp(n, 0), FW_VERSION);
    cr_assert_eq(resp(n, 1), 1, "RX SAs in use");
    cr_assert_eq(resp(n, 2), 2, "TX SAs in use");
    cr_assert_eq(resp(n, 3), 0x1b, "the capabilities the firmware enforces");
    cr_assert_eq(rd(n, NICSIM_REG(TOP, CAPS)), 0x1b);
    nic_destroy(n);
}

/* ---- SA_ADD validation ------------------------------------------------------------------- */

struct bad_case {
    const char *what;
    unsigned arg;      /* index of the argument to change */
    uint32_t value;
    uint32_t code;
};

Test(firmware, sa_add_refuses_every_bad_field)
{
    struct nicsim_params p = defaults();
    struct nic *n = make_nic(&p);
    struct nic_sa s = sa_of(NIC_SA_IN, NIC_OFFLOAD_PACKET, 0x42);
    uint32_t good[18];
    sa_args(&s, good);
    uint32_t cfg = good[1];
    uint32_t icv_mask = NICSIM_SAT_CFG_ICV_LEN_MASK, km_mask = NICSIM_SAT_CFG_KEYMAT_LEN_MASK;
    const struct bad_case cases[] = {
        {"direction 2", 0, 2, C(EINVAL)},
        {"reserved CFG bit", 1, cfg | 1u << 4, C(EINVAL)},
        {"reserved CFG high bit", 1, cfg | 1u << 30, C(EINVAL)},
        {"ICV 10", 1, (cfg & ~icv_mask) | 10u << NICSIM_SAT_CFG_ICV_LEN_LSB, C(EINVAL)},
        {"ICV 0", 1, cfg & ~icv_mask, C(EINVAL)},
        {"key without salt (32)", 1, (cfg & ~km_mask) | 32u << NICSIM_SAT_CFG_KEYMAT_LEN_LSB,
         C(EINVAL)},
        {"key material 16", 1, (cfg & ~km_mask) | 16u << NICSIM_SAT_CFG_KEYMAT_LEN_LSB, C(EINVAL)},
        {"SPI 0", 2, 0, C(EINVAL)},
        {"IPv4 address with a second word", 4, 1, C(EINVAL)},
        {"window not a multiple of 32", 11, 48, C(EINVAL)},
        {"window above WINDOW_MAX", 11, 512, C(EINVAL)},
        {"64-bit SN without ESN", 13, 1, C(EINVAL)},
        {"soft packets above hard", 14, 10, C(EINVAL)},
        {"soft KiB above hard", 16, 10, C(EINVAL)},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        uint32_t a[18];
        memcpy(a, good, sizeof(a));
        a[cases[i].arg] = cases[i].value;
        if (cases[i].arg == 14 || cases[i].arg == 16)
            a[cases[i].arg + 1] = 5; /* hard limit below the soft one */
        uint32_t code = add_raw(n, a, &s, NULL);
        cr_assert_eq(code, cases[i].code, "%s: code %u want %u", cases[i].what, code,
                     cases[i].code);
    }
    cr_assert_eq(cmd(n, NICSIM_MBOX_CMD_GET_INFO, NULL, 0), C(OK));
    cr_assert_eq(resp(n, 1) + resp(n, 2), 0, "no refused SA was installed");
    /* the good one, then the same (SPI, daddr) again */
    cr_assert_eq(add_raw(n, good, &s, NULL), C(OK));
    cr_assert_eq(add_raw(n, good, &s, NULL), C(EEXIST));
    /* a window of exactly WINDOW_MAX, and the device default (0), are fine */
    s.spi = 0x43;
    s.replay_window = rd(n, NICSIM_REG(TOP, WINDOW_MAX));
    add_ok(n, &s);
    nic_destroy(n);
}

Test(firmware, sa_add_table_full)
{
    struct nicsim_params p = defaults();
    p.tx_sa_entries = 3;
    struct nic *n = make_nic(&p);
    cr_assert_eq(rd(n, NICSIM_REG(TOP, TX_SA_MAX)), 3);
    for (uint32_t i = 0; i < 3; i++) {
        struct nic_sa s = sa_of(NIC_SA_OUT, NIC_OFFLOAD_PACKET, 100 + i);
        cr_assert_eq(add_ok(n, &s), (int)i);
    }
    struct nic_sa s = sa_of(NIC_SA_OUT, NIC_OFFLOAD_PACKET, 200);
    cr_assert_eq(add(n, &s, NULL), C(ENOSPC));
    nic_destroy(n);
}

/* Each capability bit, taken away, turns the SAs that need it into EOPNOTSUPP. */
Test(firmware, missing_capabilities_are_eopnotsupp)
{
    struct cap_case {
        unsigned bit;
        struct nic_sa sa;
    } cases[6];
    for (unsigned i = 0; i < 6; i++)
        cases[i].sa = sa_of(NIC_SA_IN, NIC_OFFLOAD_PACKET, 9);
    cases[0].bit = NICSIM_TOP_CAPS_CRYPTO_OFFLOAD_LSB;
    cases[0].sa.offload = NIC_OFFLOAD_CRYPTO;
    cases[1].bit = NICSIM_TOP_CAPS_PACKET_OFFLOAD_LSB;
    cases[2].bit = NICSIM_TOP_CAPS_ESN_LSB;
    cases[2].sa.esn = true;
    cases[3].bit = NICSIM_TOP_CAPS_IPV6_LSB;
    cases[3].sa.v6 = true;
    cases[4].bit = NICSIM_TOP_CAPS_TUNNEL_LSB;
    cases[4].sa.mode = NIC_SA_TUNNEL;
    cases[5].bit = NICSIM_TOP_CAPS_AES_192_256_LSB;
    cases[5].sa.keymat_len = 36;
    for (unsigned i = 0; i < 6; i++) {
        struct nicsim_params p = defaults();
        p.caps = 0x3fu & ~(1u << cases[i].bit);
        struct nic *n = make_nic(&p);
        cr_assert_eq(add(n, &cases[i].sa, NULL), C(EOPNOTSUPP), "cap bit %u", cases[i].bit);
        p.caps = 0x3f;
        nic_destroy(n);
        n = make_nic(&p);
        cr_assert_eq(add(n, &cases[i].sa, NULL), C(OK), "cap bit %u present", cases[i].bit);
        nic_destroy(n);
    }
}

/* ---- traffic through firmware-installed SAs ---------------------------------------------- */

static void be64(uint8_t *b, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        b[i] = (uint8_t)(v >> (56 - 8 * i));
}

/* A TX SA installed by the firmware encrypts exactly as the golden library does. */
static void tx_through_mailbox(struct nic_sa *s, bool v6_inner)
{
    struct nicsim_params p = defaults();
    struct dut *d = make_dut(&p);
    int h = add_ok(d->nic, s);
    struct gold_sa g;
    cr_assert_eq(gold_sa_init(&g, s->keymat, s->keymat_len, s->spi, s->icv_len), GOLD_OK);
    g.esn = s->esn;
    g.mode = s->mode == NIC_SA_TUNNEL ? GOLD_TUNNEL : GOLD_TRANSPORT;
    g.outer_v6 = s->v6;
    memcpy(g.outer_src, s->tun_src, 16);
    memcpy(g.outer_dst, s->tun_dst, 16);
    struct pktgen gen;
    pktgen_seed(&gen, s->spi);
    static uint8_t pkt[8][1600];
    size_t len[8];
    for (unsigned k = 0; k < 8; k++) {
        len[k] = pktgen_ip(&gen, pkt[k], 100 + 150 * k, v6_inner, 0, k);
        cr_assert_eq(dut_tx(d, pkt[k], len[k], h, 0, k), 0);
    }
    cr_assert(dut_run(d, 10000000));
    cr_assert_eq(d->wire.n, 8);
    static uint8_t exp[BUF];
    for (unsigned k = 0; k < 8; k++) {
        uint64_t sn = s->seq + 1 + k;
        uint8_t iv[8];
        be64(iv, sn);
        size_t elen;
        cr_assert_eq(gold_encap(&g, sn, iv, pkt[k], len[k], exp, BUF, &elen), GOLD_OK);
        cr_assert_eq(d->wire.v[k].len, elen, "pkt %u: len %u want %zu", k, d->wire.v[k].len, elen);
        cr_assert(memcmp(d->wire.v[k].data, exp, elen) == 0, "pkt %u differs from golden", k);
    }
    dut_destroy(d);
}

Test(firmware, tx_transport_sa_matches_golden)
{
    struct nic_sa s = sa_of(NIC_SA_OUT, NIC_OFFLOAD_PACKET, 0x1001);
    tx_through_mailbox(&s, false);
}

Test(firmware, tx_tunnel_v6_esn_aes256_icv8_matches_golden)
{
    struct nic_sa s = sa_of(NIC_SA_OUT, NIC_OFFLOAD_PACKET, 0x1002);
    s.mode = NIC_SA_TUNNEL;
    s.v6 = true;
    s.esn = true;
    s.icv_len = 8;
    s.keymat_len = 36;
    for (int i = 0; i < 36; i++)
        s.keymat[i] = (uint8_t)(0xa0 ^ i);
    for (int i = 0; i < 16; i++) {
        s.tun_src[i] = (uint8_t)(0x20 + i);
        s.tun_dst[i] = (uint8_t)(0x40 + i);
    }
    s.seq = 0xfffffffcull; /* crosses 2^32 */
    tx_through_mailbox(&s, true);
}

/* A plain IPv4 packet to dst4, ESP-encapsulated with SA spi at SN sn. */
static size_t esp_to_dst4(const struct nic_sa *s, uint64_t sn, uint8_t *plain, size_t *plen,
                          uint8_t *out)
{
    struct pktgen g;
    pktgen_seed(&g, sn);
    size_t n = pktgen_ip(&g, plain, 300, false, 0, 3);
    memcpy(plain + 16, dst4, 4);
    plain[10] = plain[11] = 0;
    uint32_t sum = 0;
    for (int i = 0; i < 20; i += 2)
        sum += (uint32_t)plain[i] << 8 | plain[i + 1];
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    plain[10] = (uint8_t)(~sum >> 8);
    plain[11] = (uint8_t)~sum;
    *plen = n;
    struct gold_sa gs;
    cr_assert_eq(gold_sa_init(&gs, s->keymat, s->keymat_len, s->spi, s->icv_len), GOLD_OK);
    gs.esn = s->esn;
    uint8_t iv[8] = {9, 8, 7, 6, 5, 4, 3, (uint8_t)sn};
    size_t elen;
    cr_assert_eq(gold_encap(&gs, sn, iv, plain, n, out, BUF, &elen), GOLD_OK);
    return elen;
}

Test(firmware, rx_packet_offload_sa_decapsulates)
{
    struct nicsim_params p = defaults();
    struct dut *d = make_dut(&p);
    struct nic_sa s = sa_of(NIC_SA_IN, NIC_OFFLOAD_PACKET, 0x2001);
    add_ok(d->nic, &s);
    static uint8_t plain[BUF], esp[BUF];
    size_t plen;
    size_t elen = esp_to_dst4(&s, 1, plain, &plen, esp);
    cr_assert_eq(dut_wire_rx(d, esp, elen), 0);
    cr_assert(dut_run(d, 10000000));
    cr_assert_eq(d->rx.n, 1);
    cr_assert_eq(d->rx.v[0].rx.status, NIC_RXS_SUCCESS);
    cr_assert_eq(d->rx.v[0].len, plen);
    cr_assert(memcmp(d->rx.v[0].data, plain, plen) == 0);
    dut_destroy(d);
}

/* ---- DELETE / FREE ----------------------------------------------------------------------- */

Test(firmware, delete_then_free_and_their_errors)
{
    struct nicsim_params p = defaults();
    struct dut *d = make_dut(&p);
    struct nic *n = d->nic;
    struct nic_sa s = sa_of(NIC_SA_OUT, NIC_OFFLOAD_PACKET, 0x3001);
    int h = add_ok(n, &s);
    cr_assert_eq(h, 0);
    cr_assert_eq(sa_cmd(n, NICSIM_MBOX_CMD_SA_FREE, 1, h), C(EBUSY), "FREE before DELETE");
    cr_assert_eq(sa_cmd(n, NICSIM_MBOX_CMD_SA_DELETE, 1, 5), C(ENOENT), "never added");
    cr_assert_eq(sa_cmd(n, NICSIM_MBOX_CMD_SA_DELETE, 1, 100000), C(ENOENT), "beyond the table");
    cr_assert_eq(sa_cmd(n, NICSIM_MBOX_CMD_SA_DELETE, 2, h), C(EINVAL), "direction");
    cr_assert_eq(sa_cmd(n, NICSIM_MBOX_CMD_SA_DELETE, 0, h), C(ENOENT), "other direction");
    cr_assert_eq(sa_cmd(n, NICSIM_MBOX_CMD_SA_DELETE, 1, h), C(OK));
    cr_assert_eq(sa_cmd(n, NICSIM_MBOX_CMD_SA_DELETE, 1, h), C(ENOENT), "deleted twice");
    /* deleted, not freed: no longer used, handle not handed out, counters still readable */
    uint8_t pkt[200];
    struct pktgen g;
    pktgen_seed(&g, 1);
    size_t len = pktgen_ip(&g, pkt, 200, false, 0, 1);
    cr_assert_eq(dut_tx(d, pkt, len, h, 0, 1), 0);
    cr_assert(dut_run(d, 1000000));
    cr_assert_eq(d->txc.v[0].tx.status, NIC_TXS_NO_SA);
    cr_assert_eq(sa_cmd(n, NICSIM_MBOX_CMD_STATS_QUERY, 1, h), C(OK));
    s.spi = 0x3002;
    cr_assert_eq(add_ok(n, &s), 1, "a held handle is not reused");
    cr_assert_eq(cmd(n, NICSIM_MBOX_CMD_GET_INFO, NULL, 0), C(OK));
    cr_assert_eq(resp(n, 2), 2, "the held slot still counts");
    cr_assert_eq(sa_cmd(n, NICSIM_MBOX_CMD_SA_FREE, 1, h), C(OK));
    cr_assert_eq(sa_cmd(n, NICSIM_MBOX_CMD_SA_FREE, 1, h), C(ENOENT), "freed twice");
    cr_assert_eq(sa_cmd(n, NICSIM_MBOX_CMD_STATS_QUERY, 1, h), C(ENOENT));
    s.spi = 0x3003;
    cr_assert_eq(add_ok(n, &s), h, "a freed handle is reused (lowest first)");
    dut_destroy(d);
}

/* DELETE with packets in flight: those past the lookup are sent with the key they captured
 * (it is zeroed only by FREE), the rest complete no_sa; nothing is lost. */
Test(firmware, delete_keeps_the_key_for_packets_in_flight)
{
    struct nicsim_params p = defaults();
    struct dut *d = make_dut(&p);
    struct nic *n = d->nic;
    struct nic_sa s = sa_of(NIC_SA_OUT, NIC_OFFLOAD_PACKET, 0x3101);
    int h = add_ok(n, &s);
    uint8_t pkt[1500];
    struct pktgen g;
    pktgen_seed(&g, 2);
    size_t len = pktgen_ip(&g, pkt, 1400, false, 0, 1);
    for (unsigned i = 0; i < 40; i++)
        cr_assert_eq(dut_tx(d, pkt, len, h, 0, i), 0);
    nic_run(n, 2000);
    ring(n, NICSIM_MBOX_CMD_SA_DELETE, (uint32_t[]){1, (uint32_t)h}, 2);
    cr_assert(dut_run(d, 10000000));
    cr_assert_eq(wait_done(n), C(OK));
    const struct nic_stats *st = nic_get_stats(n);
    cr_assert_eq(st->tx.out + st->tx.dropped[NIC_DROP_NO_SA], 40);
    cr_assert_gt(st->tx.out, 0);
    cr_assert_gt(st->tx.dropped[NIC_DROP_NO_SA], 0);
    struct gold_sa gs;
    cr_assert_eq(gold_sa_init(&gs, s.keymat, 20, s.spi, 16), GOLD_OK);
    static uint8_t out[BUF];
    for (size_t i = 0; i < d->wire.n; i++) {
        size_t olen;
        cr_assert_eq(gold_decap(&gs, 0, d->wire.v[i].data, d->wire.v[i].len, out, BUF, &olen),
                     GOLD_OK, "frame %zu", i);
    }
    cr_assert_eq(sa_cmd(n, NICSIM_MBOX_CMD_SA_FREE, 1, h), C(OK));
    dut_destroy(d);
}

/* ---- RESET ------------------------------------------------------------------------------- */

Test(firmware, reset_frees_everything)
{
    struct nicsim_params p = defaults();
    struct dut *d = make_dut(&p);
    struct nic *n = d->nic;
    struct nic_sa out = sa_of(NIC_SA_OUT, NIC_OFFLOAD_PACKET, 0x4001);
    struct nic_sa in = sa_of(NIC_SA_IN, NIC_OFFLOAD_PACKET, 0x4002);
    int h = add_ok(n, &out);
    add_ok(n, &in);
    out.spi = 0x4003;
    int h2 = add_ok(n, &out);
    cr_assert_eq(sa_cmd(n, NICSIM_MBOX_CMD_SA_DELETE, 1, (uint32_t)h2), C(OK)); /* one held */
    cr_assert_eq(cmd(n, NICSIM_MBOX_CMD_RESET, NULL, 0), C(OK));
    cr_assert_eq(cmd(n, NICSIM_MBOX_CMD_GET_INFO, NULL, 0), C(OK));
    cr_assert_eq(resp(n, 1), 0);
    cr_assert_eq(resp(n, 2), 0);
    cr_assert_eq(sa_cmd(n, NICSIM_MBOX_CMD_STATS_QUERY, 1, (uint32_t)h), C(ENOENT));
    cr_assert_eq(sa_cmd(n, NICSIM_MBOX_CMD_SA_FREE, 1, (uint32_t)h2), C(ENOENT));
    uint8_t pkt[200];
    struct pktgen g;
    pktgen_seed(&g, 3);
    size_t len = pktgen_ip(&g, pkt, 200, false, 0, 1);
    cr_assert_eq(dut_tx(d, pkt, len, h, 0, 1), 0);
    cr_assert(dut_run(d, 1000000));
    cr_assert_eq(d->txc.v[0].tx.status, NIC_TXS_NO_SA);
    cr_assert_eq(add_ok(n, &in), 0, "tables start over");
    dut_destroy(d);
}

/* ---- key hygiene ------------------------------------------------------------------------- */

/* MBOX.KEY* read 0, and the firmware scrubs them after use: an SA_ADD that writes no key
 * after an earlier one gets an all-zero key, not the previous SA's. */
Test(firmware, key_registers_read_zero_and_are_scrubbed)
{
    struct nicsim_params p = defaults();
    struct dut *d = make_dut(&p);
    struct nic *n = d->nic;
    for (unsigned i = 0; i < 9; i++) {
        wr(n, NICSIM_REG(MBOX, KEY0) + 4u * i, 0xdead0000u + i);
        cr_assert_eq(rd(n, NICSIM_REG(MBOX, KEY0) + 4u * i), 0, "KEY%u reads 0", i);
    }
    struct nic_sa s = sa_of(NIC_SA_OUT, NIC_OFFLOAD_PACKET, 0x5001);
    add_ok(n, &s);
    struct nic_sa z = sa_of(NIC_SA_OUT, NIC_OFFLOAD_PACKET, 0x5002);
    memset(z.keymat, 0, sizeof(z.keymat));
    uint32_t a[18];
    sa_args(&z, a);
    cr_assert_eq(cmd(n, NICSIM_MBOX_CMD_SA_ADD, a, 18), C(OK)); /* no key written */
    int h = (int)resp(n, 0);
    uint8_t pkt[300];
    struct pktgen g;
    pktgen_seed(&g, 4);
    size_t len = pktgen_ip(&g, pkt, 300, false, 0, 1);
    cr_assert_eq(dut_tx(d, pkt, len, h, 0, 1), 0);
    cr_assert(dut_run(d, 1000000));
    cr_assert_eq(d->wire.n, 1);
    struct gold_sa gs;
    cr_assert_eq(gold_sa_init(&gs, z.keymat, 20, z.spi, 16), GOLD_OK);
    static uint8_t out[BUF];
    size_t olen;
    cr_assert_eq(gold_decap(&gs, 0, d->wire.v[0].data, d->wire.v[0].len, out, BUF, &olen),
                 GOLD_OK, "the second SA got the zero key");
    dut_destroy(d);
}

/* ---- timing ------------------------------------------------------------------------------ */

/* NOP makes 10 CSR accesses (CMD, then the 9 key scrubs): cost = cmd + 10 * csr cycles, and
 * DONE appears exactly one cycle (the doorbell sample) after that. */
Test(firmware, command_cost_is_charged)
{
    struct nicsim_params p = defaults();
    p.fw_cmd_cycles = 100;
    p.fw_csr_cycles = 3;
    struct nic *n = make_nic(&p);
    nic_run(n, 50);
    uint64_t c = nic_cycle(n);
    uint64_t cost = 100 + 10 * 3;
    ring(n, NICSIM_MBOX_CMD_NOP, NULL, 0);
    nic_run(n, cost - 1);
    cr_assert_eq(nic_cycle(n), c + cost - 1);
    uint32_t st = rd(n, NICSIM_REG(MBOX, STATUS));
    cr_assert_eq(st, NICSIM_MBOX_STATUS_BUSY_MASK, "still busy: 0x%x", st);
    cr_assert_eq(rd(n, NICSIM_REG(EVT, CAUSE)) & NICSIM_EVT_CAUSE_MBOX_DONE_MASK, 0);
    /* a second doorbell now is refused and counted */
    wr(n, NICSIM_REG(MBOX, DOORBELL), 1);
    cr_assert(nic_run(n, 1000));
    cr_assert_eq(nic_cycle(n), c + cost + 1);
    st = rd(n, NICSIM_REG(MBOX, STATUS));
    cr_assert_eq(st, (uint32_t)NICSIM_MBOX_STATUS_DONE_MASK, "done, code OK: 0x%x", st);
    cr_assert(rd(n, NICSIM_REG(EVT, CAUSE)) & NICSIM_EVT_CAUSE_MBOX_DONE_MASK);
    wr(n, NICSIM_REG(EVT, CAUSE), NICSIM_EVT_CAUSE_MBOX_DONE_MASK);
    cr_assert_eq(rd(n, NICSIM_REG(EVT, CAUSE)) & NICSIM_EVT_CAUSE_MBOX_DONE_MASK, 0);
    wr(n, NICSIM_REG(STATS, SEL), 0x00e); /* MBOX_REFUSED */
    cr_assert_eq(rd(n, NICSIM_REG(STATS, DATA_LO)), 1);
    /* a larger command costs more: SA_ADD reads and writes ~60 registers */
    struct nic_sa s = sa_of(NIC_SA_IN, NIC_OFFLOAD_PACKET, 77);
    c = nic_cycle(n);
    add_ok(n, &s);
    cr_assert_gt(nic_cycle(n) - c, 100 + 40 * 3);
    nic_destroy(n);
}

/* ---- STATS_QUERY, ESN_ADVANCE ----------------------------------------------------------- */

Test(firmware, stats_query_matches_nic_sa_stats)
{
    struct nicsim_params p = defaults();
    struct dut *d = make_dut(&p);
    struct nic *n = d->nic;
    struct nic_sa s = sa_of(NIC_SA_OUT, NIC_OFFLOAD_PACKET, 0x6001);
    int h = add_ok(n, &s);
    uint8_t pkt[1000];
    struct pktgen g;
    pktgen_seed(&g, 5);
    for (unsigned i = 0; i < 7; i++) {
        size_t len = pktgen_ip(&g, pkt, 100 + 100 * i, false, 0, i);
        cr_assert_eq(dut_tx(d, pkt, len, h, 0, i), 0);
    }
    cr_assert(dut_run(d, 10000000));
    uint64_t pk, by;
    cr_assert_eq(nic_sa_stats(n, NIC_SA_OUT, h, &pk, &by), 0);
    cr_assert_eq(pk, 7);
    cr_assert_eq(sa_cmd(n, NICSIM_MBOX_CMD_STATS_QUERY, 1, (uint32_t)h), C(OK));
    cr_assert_eq((uint64_t)resp(n, 1) << 32 | resp(n, 0), pk);
    cr_assert_eq((uint64_t)resp(n, 3) << 32 | resp(n, 2), by);
    cr_assert_eq(sa_cmd(n, NICSIM_MBOX_CMD_STATS_QUERY, 0, (uint32_t)h), C(ENOENT));
    cr_assert_eq(sa_cmd(n, NICSIM_MBOX_CMD_STATS_QUERY, 3, (uint32_t)h), C(EINVAL));
    dut_destroy(d);
}

Test(firmware, esn_advance)
{
    struct nicsim_params p = defaults();
    struct dut *d = make_dut(&p);
    struct nic *n = d->nic;
    struct nic_sa s = sa_of(NIC_SA_IN, NIC_OFFLOAD_CRYPTO, 0x7001);
    s.esn = true;
    int h = add_ok(n, &s);
    struct nic_sa plain_sa = sa_of(NIC_SA_IN, NIC_OFFLOAD_CRYPTO, 0x7002);
    int hp = add_ok(n, &plain_sa);
    struct nic_sa pk_sa = sa_of(NIC_SA_IN, NIC_OFFLOAD_PACKET, 0x7003);
    pk_sa.esn = true;
    int hk = add_ok(n, &pk_sa);
    uint32_t a[4] = {0, (uint32_t)h, 1, 0x100};
    cr_assert_eq(cmd(n, NICSIM_MBOX_CMD_ESN_ADVANCE, a, 4), C(OK));
    a[1] = (uint32_t)hp;
    cr_assert_eq(cmd(n, NICSIM_MBOX_CMD_ESN_ADVANCE, a, 4), C(EINVAL), "not an ESN SA");
    a[1] = (uint32_t)hk;
    cr_assert_eq(cmd(n, NICSIM_MBOX_CMD_ESN_ADVANCE, a, 4), C(EINVAL), "packet offload");
    a[1] = 99;
    cr_assert_eq(cmd(n, NICSIM_MBOX_CMD_ESN_ADVANCE, a, 4), C(ENOENT));
    a[0] = 1;
    a[1] = (uint32_t)h;
    cr_assert_eq(cmd(n, NICSIM_MBOX_CMD_ESN_ADVANCE, a, 4), C(EINVAL), "direction out");
    /* the advanced bottom 1:0x100 makes SN 1:0x180 verify with high half 1 */
    static uint8_t plain[BUF], esp[BUF];
    size_t plen;
    size_t elen = esp_to_dst4(&s, 0x100000180ull, plain, &plen, esp);
    cr_assert_eq(dut_wire_rx(d, esp, elen), 0);
    cr_assert(dut_run(d, 10000000));
    cr_assert_eq(d->rx.n, 1);
    cr_assert(d->rx.v[0].rx.flags & NIC_RXF_CRYPTO_DONE);
    cr_assert_eq(d->rx.v[0].rx.status, NIC_RXS_SUCCESS, "status %u", d->rx.v[0].rx.status);
    dut_destroy(d);

    p.caps = 0x3fu & ~(1u << NICSIM_TOP_CAPS_ESN_LSB);
    struct nic *m = make_nic(&p);
    a[0] = 0;
    cr_assert_eq(cmd(m, NICSIM_MBOX_CMD_ESN_ADVANCE, a, 4), C(EOPNOTSUPP));
    nic_destroy(m);
}

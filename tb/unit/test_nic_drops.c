/* test_nic_drops.c - every way a packet can fail in the model ends in the right counted drop
 * (or, in crypto offload RX, the right status to the host), and nothing is ever lost:
 * packets in = delivered + dropped by reason, in every test. Bad packets are built with the
 * golden library and OpenSSL (gold_gcm_encrypt), never with the model.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "dut.h"
#include "esp_golden.h"
#include "pktgen.h"

#define BUF 10000

static const uint8_t keymat[20] = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99,
                                   0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0xca, 0xfe, 0xba, 0xbe};
static const uint8_t dst4[4] = {10, 1, 0, 1};

static struct dut *make_dut(unsigned offload_mode)
{
    struct nicsim_params p;
    nicsim_params_default(&p);
    p.offload_mode = offload_mode;
    p.tx_ring_size = p.rx_ring_size = 64;
    char err[200];
    struct dut *d = dut_create(&p, err, sizeof(err));
    cr_assert(d, "%s", err);
    return d;
}

static int add_sa(struct dut *d, uint8_t dir, uint8_t offload, uint32_t spi, uint64_t seq,
                  uint32_t window)
{
    struct nic_sa s = {.dir = dir, .mode = NIC_SA_TRANSPORT, .offload = offload, .icv_len = 16,
                       .keymat_len = 20, .spi = spi, .seq = seq, .replay_window = window};
    memcpy(s.keymat, keymat, 20);
    memcpy(s.daddr, dst4, 4);
    int h = nic_sa_add(d->nic, &s);
    cr_assert_geq(h, 0, "nic_sa_add: %d", h);
    return h;
}

static void gold(struct gold_sa *g, uint32_t spi)
{
    cr_assert_eq(gold_sa_init(g, keymat, 20, spi, 16), GOLD_OK);
}

/* A plain IPv4 UDP packet to dst4. */
static size_t plain(uint8_t *pkt, size_t len, uint64_t seed)
{
    struct pktgen g;
    pktgen_seed(&g, seed);
    len = pktgen_ip(&g, pkt, len, false, 0, 7);
    memcpy(pkt + 16, dst4, 4);
    pkt[10] = pkt[11] = 0;
    uint32_t sum = 0;
    for (int i = 0; i < 20; i += 2)
        sum += (uint32_t)pkt[i] << 8 | pkt[i + 1];
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    pkt[10] = (uint8_t)(~sum >> 8);
    pkt[11] = (uint8_t)~sum;
    return len;
}

static size_t esp_pkt(uint8_t *out, uint32_t spi, uint64_t sn, size_t len, uint64_t seed)
{
    uint8_t pkt[BUF], iv[8] = {1, 2, 3, 4, 5, 6, 7, (uint8_t)sn};
    struct gold_sa g;
    gold(&g, spi);
    size_t n = plain(pkt, len, seed), elen = 0;
    cr_assert_eq(gold_encap(&g, sn, iv, pkt, n, out, BUF, &elen), GOLD_OK);
    return elen;
}

static uint64_t drops(const struct nic_dir_stats *s)
{
    uint64_t n = 0;
    for (unsigned i = 1; i < NIC_DROP_COUNT; i++)
        n += s->dropped[i];
    return n;
}

static void conserve(struct dut *d, uint64_t tx_in, uint64_t rx_in)
{
    const struct nic_stats *st = nic_get_stats(d->nic);
    cr_assert_eq(st->tx.in, tx_in);
    cr_assert_eq(st->tx.out + drops(&st->tx), tx_in, "tx conservation");
    cr_assert_eq(st->rx.in, rx_in);
    cr_assert_eq(st->rx.out + drops(&st->rx), rx_in, "rx conservation");
    cr_assert_eq(d->txc.n, tx_in);
    cr_assert_eq(d->rx.n, st->rx.out);
}

static void set_ipv4_len(uint8_t *p, size_t len)
{
    p[2] = (uint8_t)(len >> 8);
    p[3] = (uint8_t)len;
}

/* ---- RX, packet offload ---------------------------------------------------------------- */

Test(nic_drops, rx_replay_too_old_bad_icv_unknown_spi)
{
    struct dut *d = make_dut(NIC_OFFLOAD_PACKET);
    add_sa(d, NIC_SA_IN, NIC_OFFLOAD_PACKET, 0x100, 0, 32);
    uint8_t e[BUF];
    size_t n;
    n = esp_pkt(e, 0x100, 100, 200, 1);
    cr_assert_eq(dut_wire_rx(d, e, n), 0);      /* new: delivered         */
    cr_assert_eq(dut_wire_rx(d, e, n), 0);      /* same SN again: replay  */
    n = esp_pkt(e, 0x100, 60, 200, 2);
    cr_assert_eq(dut_wire_rx(d, e, n), 0);      /* 100 - 60 >= 32: too old */
    n = esp_pkt(e, 0x100, 101, 200, 3);
    e[n - 1] ^= 0x01;
    cr_assert_eq(dut_wire_rx(d, e, n), 0);      /* ICV bit flipped         */
    n = esp_pkt(e, 0x100, 102, 200, 4);
    e[40] ^= 0x80;
    cr_assert_eq(dut_wire_rx(d, e, n), 0);      /* ciphertext bit flipped  */
    n = esp_pkt(e, 0x999, 103, 200, 5);
    cr_assert_eq(dut_wire_rx(d, e, n), 0);      /* no SA for this SPI      */
    n = esp_pkt(e, 0x100, 101, 200, 6);
    cr_assert_eq(dut_wire_rx(d, e, n), 0);      /* 101 after a failed 101: still new */
    cr_assert(dut_run(d, 10000000));
    const struct nic_stats *st = nic_get_stats(d->nic);
    cr_assert_eq(st->rx.out, 2);
    cr_assert_eq(st->rx.dropped[NIC_DROP_REPLAY], 1);
    cr_assert_eq(st->rx.dropped[NIC_DROP_TOO_OLD], 1);
    cr_assert_eq(st->rx.dropped[NIC_DROP_BAD_ICV], 2);
    cr_assert_eq(st->rx.dropped[NIC_DROP_NO_SA], 1);
    conserve(d, 0, 7);
    dut_destroy(d);
}

/* An ESP packet whose plaintext trailer is `trailer` (pad bytes, pad length, next header),
 * sealed with a correct ICV by OpenSSL through the golden raw GCM call. */
static size_t crafted(uint8_t *out, uint32_t spi, uint32_t sn, const uint8_t *payload,
                      size_t plen, const uint8_t *trailer, size_t tlen)
{
    uint8_t pt[BUF], iv[8] = {9, 9, 9, 9, 9, 9, 9, 9}, nonce[12], aad[8];
    memcpy(pt, payload, plen);
    memcpy(pt + plen, trailer, tlen);
    size_t ct_len = plen + tlen;
    memcpy(nonce, keymat + 16, 4);
    memcpy(nonce + 4, iv, 8);
    uint8_t *h = out, *esp = out + 20;
    memset(h, 0, 20);
    h[0] = 0x45;
    set_ipv4_len(h, 20 + 16 + ct_len + 16);
    h[8] = 64;
    h[9] = 50;
    memcpy(h + 16, dst4, 4);
    uint8_t hdr[8] = {(uint8_t)(spi >> 24), (uint8_t)(spi >> 16), (uint8_t)(spi >> 8),
                      (uint8_t)spi,         (uint8_t)(sn >> 24),  (uint8_t)(sn >> 16),
                      (uint8_t)(sn >> 8),   (uint8_t)sn};
    memcpy(esp, hdr, 8);
    memcpy(aad, hdr, 8);
    memcpy(esp + 8, iv, 8);
    cr_assert_eq(gold_gcm_encrypt(keymat, 16, nonce, 12, aad, 8, pt, ct_len, esp + 16,
                                  esp + 16 + ct_len, 16),
                 GOLD_OK);
    return 20 + 16 + ct_len + 16;
}

Test(nic_drops, rx_bad_pad_dummy_bad_syntax)
{
    struct dut *d = make_dut(NIC_OFFLOAD_PACKET);
    add_sa(d, NIC_SA_IN, NIC_OFFLOAD_PACKET, 0x200, 0, 64);
    uint8_t e[BUF], payload[64];
    memset(payload, 0xab, sizeof(payload));
    static const uint8_t bad_pad[] = {1, 3, 2, 17};      /* pad must be 1,2 */
    static const uint8_t long_pad[] = {1, 2, 250, 17};   /* pad length beyond the payload */
    static const uint8_t dummy[] = {1, 2, 2, 59};        /* next header 59 */
    static const uint8_t good[] = {1, 2, 2, 17};
    size_t n;
    n = crafted(e, 0x200, 1, payload, 8, bad_pad, 4);
    cr_assert_eq(dut_wire_rx(d, e, n), 0);
    n = crafted(e, 0x200, 2, payload, 0, long_pad, 4);
    cr_assert_eq(dut_wire_rx(d, e, n), 0);
    n = crafted(e, 0x200, 3, payload, 8, dummy, 4);
    cr_assert_eq(dut_wire_rx(d, e, n), 0);
    n = crafted(e, 0x200, 4, payload, 8, good, 4);
    cr_assert_eq(dut_wire_rx(d, e, n), 0);               /* control: delivered */
    n = crafted(e, 0x200, 5, payload, 9, good, 4);       /* ciphertext 13 bytes: not % 4 */
    cr_assert_eq(dut_wire_rx(d, e, n), 0);
    n = crafted(e, 0x200, 6, payload, 8, good, 4);
    set_ipv4_len(e, n + 100);                            /* IP length beyond the frame */
    cr_assert_eq(dut_wire_rx(d, e, n), 0);
    cr_assert_eq(dut_wire_rx(d, e, 10), 0);              /* truncated IPv4 header */
    uint8_t junk[64];
    memset(junk, 0xff, sizeof(junk));                    /* not IP at all */
    cr_assert_eq(dut_wire_rx(d, junk, sizeof(junk)), 0);
    cr_assert_eq(dut_wire_rx(d, junk, 0), -EINVAL);      /* empty frame */
    cr_assert(dut_run(d, 10000000));
    const struct nic_stats *st = nic_get_stats(d->nic);
    cr_assert_eq(st->rx.out, 1);
    cr_assert_eq(d->rx.v[0].len, 20 + 8, "stripped to IP header + payload");
    cr_assert_eq(st->rx.dropped[NIC_DROP_BAD_PAD], 2);
    cr_assert_eq(st->rx.dropped[NIC_DROP_DUMMY], 1);
    cr_assert_eq(st->rx.dropped[NIC_DROP_BAD_SYNTAX], 5);
    conserve(d, 0, 9);
    dut_destroy(d);
}

/* ---- RX, crypto offload: status to the host ----------------------------------------------- */

Test(nic_drops, rx_crypto_offload_status)
{
    struct dut *d = make_dut(NIC_OFFLOAD_CRYPTO);
    int h = add_sa(d, NIC_SA_IN, NIC_OFFLOAD_CRYPTO, 0x300, 0, 64);
    uint8_t e[BUF], p[BUF];
    size_t n = esp_pkt(e, 0x300, 5, 300, 1);
    e[n - 3] ^= 0x10;
    cr_assert_eq(dut_wire_rx(d, e, n), 0);        /* bad ICV: to host, auth failed */
    n = esp_pkt(e, 0x301, 5, 300, 2);
    cr_assert_eq(dut_wire_rx(d, e, n), 0);        /* unknown SPI: to host, untouched */
    n = esp_pkt(e, 0x300, 5, 300, 3);
    cr_assert_eq(dut_wire_rx(d, e, n), 0);        /* replays are software's business */
    cr_assert_eq(dut_wire_rx(d, e, n), 0);
    n = plain(p, 100, 4);
    cr_assert_eq(dut_wire_rx(d, p, n), 0);        /* plain UDP: passed through */
    cr_assert(dut_run(d, 10000000));
    cr_assert_eq(d->rx.n, 5);
    cr_assert_eq(d->rx.v[0].rx.status, NIC_RXS_TRANSPORT_ESP_AUTH_FAILED);
    cr_assert_eq(d->rx.v[0].rx.flags, NIC_RXF_IPSEC | NIC_RXF_CRYPTO_DONE);
    cr_assert_eq(d->rx.v[0].rx.sa_handle, h);
    cr_assert_eq(d->rx.v[1].rx.flags, 0);
    cr_assert_eq(d->rx.v[1].len, n = esp_pkt(e, 0x301, 5, 300, 2));
    cr_assert(memcmp(d->rx.v[1].data, e, n) == 0, "an SA miss reaches the host unchanged");
    cr_assert_eq(d->rx.v[2].rx.status, NIC_RXS_SUCCESS);
    cr_assert_eq(d->rx.v[3].rx.status, NIC_RXS_SUCCESS);
    cr_assert_eq(d->rx.v[4].rx.flags, 0);
    cr_assert(memcmp(d->rx.v[4].data, p, 100) == 0);
    const struct nic_stats *st = nic_get_stats(d->nic);
    cr_assert_eq(st->rx.auth_failed_to_host, 1);
    cr_assert_eq(st->rx.no_sa_to_host, 1);
    conserve(d, 0, 5);
    dut_destroy(d);
}

/* ---- TX ------------------------------------------------------------------------------------ */

Test(nic_drops, tx_bad_descriptors_and_sas)
{
    struct dut *d = make_dut(NIC_OFFLOAD_PACKET);
    int h = add_sa(d, NIC_SA_OUT, NIC_OFFLOAD_PACKET, 0x400, 0, 0);
    int hover = add_sa(d, NIC_SA_OUT, NIC_OFFLOAD_PACKET, 0x401, 0xfffffffeull, 0);
    int hc = add_sa(d, NIC_SA_OUT, NIC_OFFLOAD_CRYPTO, 0x402, 0, 0);
    uint8_t p[BUF];
    size_t n = plain(p, 200, 1);
    struct nic_tx_desc bad = {.addr = 0x1000, .len = 100, .cookie = 100};
    cr_assert_eq(dut_tx_desc(d, &bad), 0);                    /* outside host memory */
    struct nic_tx_desc zero = {.addr = dut_tx_buf_iova(d, 1), .len = 0, .cookie = 101};
    cr_assert_eq(dut_tx_desc(d, &zero), 0);                   /* zero length */
    struct nic_tx_desc flags = {.addr = dut_tx_buf_iova(d, 2), .len = 64, .flags = 0x8000,
                                .cookie = 102};
    cr_assert_eq(dut_tx_desc(d, &flags), 0);                  /* unknown flag */
    cr_assert_eq(dut_tx(d, p, n, 77, 0, 103), 0);             /* no such SA */
    cr_assert_eq(dut_tx(d, p, n, h, 0, 104), 0);              /* good */
    cr_assert_eq(dut_tx(d, p, n, hover, 0, 105), 0);          /* SN 0xffffffff: last one */
    cr_assert_eq(dut_tx(d, p, n, hover, 0, 106), 0);          /* SN would cycle: refused */
    cr_assert_eq(dut_tx(d, p, n, hc, 0, 107), 0);             /* crypto offload, not ESP */
    cr_assert_eq(dut_tx(d, p, n, -1, 0, 108), 0);             /* no IPsec: as is */
    cr_assert(dut_run(d, 10000000));
    static const uint16_t want[] = {NIC_TXS_DMA_ERROR, NIC_TXS_BAD_DESC, NIC_TXS_BAD_DESC,
                                    NIC_TXS_NO_SA,     NIC_TXS_OK,       NIC_TXS_OK,
                                    NIC_TXS_SN_OVERFLOW, NIC_TXS_BAD_PACKET, NIC_TXS_OK};
    cr_assert_eq(d->txc.n, 9);
    for (unsigned i = 0; i < 9; i++) {
        cr_assert_eq(d->txc.v[i].tx.cookie, 100 + i, "completions in order");
        cr_assert_eq(d->txc.v[i].tx.status, want[i], "cookie %u: status %u want %u", 100 + i,
                     d->txc.v[i].tx.status, want[i]);
    }
    cr_assert_eq(d->wire.n, 3);
    cr_assert_eq(d->wire.v[2].len, n);
    cr_assert(memcmp(d->wire.v[2].data, p, n) == 0, "non-IPsec frame leaves unchanged");
    const struct nic_stats *st = nic_get_stats(d->nic);
    cr_assert_eq(st->tx.dropped[NIC_DROP_DMA_ERROR], 1);
    cr_assert_eq(st->tx.dropped[NIC_DROP_BAD_DESC], 2);
    cr_assert_eq(st->tx.dropped[NIC_DROP_NO_SA], 1);
    cr_assert_eq(st->tx.dropped[NIC_DROP_SN_OVERFLOW], 1);
    cr_assert_eq(st->tx.dropped[NIC_DROP_BAD_SYNTAX], 1);
    conserve(d, 9, 0);
    dut_destroy(d);
}

/* Deleting an SA with packets in flight: every packet is accounted for (sent with the old key,
 * or dropped no_sa), none is lost, and nothing touches freed memory (run under ASan). */
Test(nic_drops, delete_sa_with_packets_in_flight)
{
    struct dut *d = make_dut(NIC_OFFLOAD_PACKET);
    int h = add_sa(d, NIC_SA_OUT, NIC_OFFLOAD_PACKET, 0x500, 0, 0);
    uint8_t p[BUF];
    size_t n = plain(p, 1400, 1);
    for (unsigned i = 0; i < 40; i++)
        cr_assert_eq(dut_tx(d, p, n, h, 0, i), 0);
    nic_run(d->nic, 2000); /* some in flight, some not yet fetched */
    cr_assert_eq(nic_sa_delete(d->nic, NIC_SA_OUT, h), 0);
    cr_assert_eq(nic_sa_delete(d->nic, NIC_SA_OUT, h), -ENOENT);
    cr_assert(dut_run(d, 10000000));
    const struct nic_stats *st = nic_get_stats(d->nic);
    cr_assert_eq(st->tx.out + st->tx.dropped[NIC_DROP_NO_SA], 40);
    cr_assert_gt(st->tx.dropped[NIC_DROP_NO_SA], 0, "the delete came before the last packets");
    /* what was sent verifies with the old key */
    struct gold_sa g;
    gold(&g, 0x500);
    uint8_t out[BUF];
    size_t olen;
    for (size_t i = 0; i < d->wire.n; i++)
        cr_assert_eq(gold_decap(&g, 0, d->wire.v[i].data, d->wire.v[i].len, out, BUF, &olen),
                     GOLD_OK);
    conserve(d, 40, 0);
    dut_destroy(d);
}

/* Two cards back to back: TX encrypts, the wire carries ESP, RX decrypts: what arrives equals
 * what was sent. */
Test(nic_drops, loopback_two_devices)
{
    struct dut *tx = make_dut(NIC_OFFLOAD_PACKET), *rx = make_dut(NIC_OFFLOAD_PACKET);
    tx->peer = rx;
    int h = add_sa(tx, NIC_SA_OUT, NIC_OFFLOAD_PACKET, 0x600, 0, 0);
    add_sa(rx, NIC_SA_IN, NIC_OFFLOAD_PACKET, 0x600, 0, 64);
    struct pktgen g;
    pktgen_seed(&g, 42);
    static uint8_t sent[50][1600];
    size_t lens[50];
    for (unsigned i = 0; i < 50; i++) {
        lens[i] = plain(sent[i], 64 + pktgen_below(&g, 1400), 100 + i);
        cr_assert_eq(dut_tx(tx, sent[i], lens[i], h, 0, i), 0);
    }
    cr_assert(dut_run(tx, 10000000));
    cr_assert(dut_run(rx, 10000000));
    cr_assert_eq(rx->rx.n, 50);
    for (unsigned i = 0; i < 50; i++) {
        cr_assert_eq(rx->rx.v[i].len, lens[i]);
        cr_assert(memcmp(rx->rx.v[i].data, sent[i], lens[i]) == 0, "packet %u differs", i);
    }
    conserve(tx, 50, 0);
    conserve(rx, 0, 50);
    dut_destroy(tx);
    dut_destroy(rx);
}

/* RX: an SA unlinked (xdo_dev_state_delete) while packets are in the engines: new packets miss,
 * packets past the lookup finish with the old key and are delivered; after the drain the
 * release (xdo_dev_state_free) zeroes the slot. */
Test(nic_drops, rx_unlink_with_packets_in_flight)
{
    struct dut *d = make_dut(NIC_OFFLOAD_PACKET);
    int h = add_sa(d, NIC_SA_IN, NIC_OFFLOAD_PACKET, 0x700, 0, 64);
    uint8_t e[BUF];
    for (unsigned i = 0; i < 30; i++) {
        size_t n = esp_pkt(e, 0x700, 1 + i, 1400, 50 + i);
        cr_assert_eq(dut_wire_rx(d, e, n), 0);
    }
    nic_run(d->nic, 200); /* the wire delivers a frame every ~15 cycles: some are in */
    cr_assert_eq(nic_sa_release(d->nic, NIC_SA_IN, h), -EBUSY, "free before delete");
    cr_assert_eq(nic_sa_unlink(d->nic, NIC_SA_IN, h), 0);
    cr_assert(dut_run(d, 10000000));
    cr_assert_eq(nic_sa_release(d->nic, NIC_SA_IN, h), 0);
    cr_assert_eq(nic_sa_release(d->nic, NIC_SA_IN, h), -ENOENT);
    const struct nic_stats *st = nic_get_stats(d->nic);
    cr_assert_gt(st->rx.out, 0, "packets past the lookup were delivered");
    cr_assert_gt(st->rx.dropped[NIC_DROP_NO_SA], 0, "packets after the delete missed");
    cr_assert_eq(st->rx.out + st->rx.dropped[NIC_DROP_NO_SA], 30);
    for (size_t i = 0; i < d->rx.n; i++)
        cr_assert(d->rx.v[i].rx.flags & NIC_RXF_DECAPPED);
    conserve(d, 0, 30);
    dut_destroy(d);
}

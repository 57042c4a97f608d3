/* test_nic.c - the whole C model against the golden library, end to end through host rings.
 *
 * Random traffic (seeded) over every SA parameter combination: every TX frame on the wire equals
 * the golden library's encapsulation, every RX delivery equals the original (packet offload) or
 * the golden plaintext in place (crypto offload); replay, bad ICV, unknown SPI, malformed
 * packets and bad descriptors end in the right counted drop; and in every test the packets that
 * went in equal those delivered plus those dropped, by reason.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "dut.h"
#include "esp_golden.h"
#include "pktgen.h"

#define BUF 10000

struct combo {
    struct nic_sa nsa;
    struct gold_sa gsa;
    int handle;
    uint64_t next_sn;
};

static struct nicsim_params test_params(unsigned data_mode, unsigned offload_mode)
{
    struct nicsim_params p;
    nicsim_params_default(&p);
    p.data_mode = data_mode;
    p.offload_mode = offload_mode;
    p.engines = 3;
    p.tx_ring_size = p.rx_ring_size = 512;
    return p;
}

static struct dut *make_dut(const struct nicsim_params *p)
{
    char err[200];
    struct dut *d = dut_create(p, err, sizeof(err));
    cr_assert(d, "dut_create: %s", err);
    return d;
}

/* An SA for both sides: the device's and the golden library's view of the same numbers. */
static void make_sa(struct combo *c, struct pktgen *g, uint8_t dir, unsigned key_len,
                    unsigned icv, bool esn, bool tunnel, bool v6, uint8_t offload, uint32_t spi)
{
    memset(c, 0, sizeof(*c));
    struct nic_sa *s = &c->nsa;
    s->dir = dir;
    s->mode = tunnel ? NIC_SA_TUNNEL : NIC_SA_TRANSPORT;
    s->offload = offload;
    s->v6 = v6;
    s->esn = esn;
    s->icv_len = (uint8_t)icv;
    s->keymat_len = (uint8_t)(key_len + 4);
    pktgen_bytes(g, s->keymat, s->keymat_len);
    s->spi = spi;
    /* outer addresses for tunnel TX; RX matches on daddr */
    for (int i = 0; i < 16; i++) {
        s->tun_src[i] = (uint8_t)(0x20 + i);
        s->tun_dst[i] = (uint8_t)(0x40 + i);
    }
    /* ESN SAs start just below a 2^32 boundary, so traffic crosses it */
    s->seq = esn ? 0x1fffffff0ull : 0;
    c->next_sn = s->seq + 1;
    cr_assert_eq(gold_sa_init(&c->gsa, s->keymat, s->keymat_len, spi, icv), GOLD_OK);
    c->gsa.esn = esn;
    c->gsa.mode = tunnel ? GOLD_TUNNEL : GOLD_TRANSPORT;
    c->gsa.outer_v6 = v6;
    memcpy(c->gsa.outer_src, s->tun_src, 16);
    memcpy(c->gsa.outer_dst, s->tun_dst, 16);
}

static void be64(uint8_t *b, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        b[i] = (uint8_t)(v >> (56 - 8 * i));
}

/* The frame the Linux stack hands a crypto-offload device: the golden ESP packet with the
 * ciphertext replaced by plaintext (payload || pad || pad length || next header) and the ICV
 * left as `icv_fill` (zero on TX; the received ICV on RX deliveries). */
static size_t crypto_frame(const struct combo *c, const uint8_t *esp_pkt, size_t esp_len,
                           const uint8_t *plain, size_t plain_len, uint8_t *out, bool keep_icv)
{
    size_t hdr_len = c->gsa.mode == GOLD_TUNNEL ? (c->gsa.outer_v6 ? 40 : 20) : 0;
    size_t payload_len = plain_len;
    const uint8_t *payload = plain;
    uint8_t nh;
    if (c->gsa.mode == GOLD_TUNNEL) {
        nh = (plain[0] >> 4) == 4 ? 4 : 41;
    } else {
        /* transport: the IP header (with IPv4 options; pktgen makes no IPv6 extensions) */
        hdr_len = (plain[0] >> 4) == 4 ? (size_t)(plain[0] & 15u) * 4 : 40;
        payload = plain + hdr_len;
        payload_len = plain_len - hdr_len;
        nh = (plain[0] >> 4) == 4 ? plain[9] : plain[6];
    }
    memcpy(out, esp_pkt, esp_len);
    uint8_t *ct = out + hdr_len + 16;
    memcpy(ct, payload, payload_len);
    size_t pad = (4 - (payload_len + 2) % 4) % 4;
    for (size_t i = 0; i < pad; i++)
        ct[payload_len + i] = (uint8_t)(i + 1);
    ct[payload_len + pad] = (uint8_t)pad;
    ct[payload_len + pad + 1] = nh;
    if (!keep_icv)
        memset(out + esp_len - c->gsa.icv_len, 0, c->gsa.icv_len);
    return esp_len;
}

static uint64_t sum_drops(const struct nic_dir_stats *s)
{
    uint64_t n = 0;
    for (unsigned i = 1; i < NIC_DROP_COUNT; i++)
        n += s->dropped[i];
    return n;
}

static void check_conservation(struct dut *d, uint64_t tx_in, uint64_t rx_in)
{
    const struct nic_stats *st = nic_get_stats(d->nic);
    cr_assert_eq(st->tx.in, tx_in, "tx in %lu, posted %lu", (unsigned long)st->tx.in,
                 (unsigned long)tx_in);
    cr_assert_eq(st->tx.out + sum_drops(&st->tx), tx_in, "tx: %lu out + %lu dropped != %lu in",
                 (unsigned long)st->tx.out, (unsigned long)sum_drops(&st->tx),
                 (unsigned long)tx_in);
    cr_assert_eq(st->rx.in, rx_in);
    cr_assert_eq(st->rx.out + sum_drops(&st->rx), rx_in, "rx: %lu out + %lu dropped != %lu in",
                 (unsigned long)st->rx.out, (unsigned long)sum_drops(&st->rx),
                 (unsigned long)rx_in);
    cr_assert_eq(d->txc.n, tx_in, "every TX descriptor completes");
    cr_assert_eq(d->rx.n, st->rx.out, "every delivered RX packet reaches the host");
}

/* Every combination: key 16/24/32 x ICV 8/12/16 x ESN x transport/tunnel x v4/v6 = 72 SAs. */
static unsigned all_combos(struct combo *cs, struct pktgen *g, uint8_t dir, uint8_t offload)
{
    static const unsigned keys[] = {16, 24, 32}, icvs[] = {8, 12, 16};
    unsigned n = 0;
    for (unsigned k = 0; k < 3; k++)
        for (unsigned i = 0; i < 3; i++)
            for (unsigned e = 0; e < 2; e++)
                for (unsigned t = 0; t < 2; t++)
                    for (unsigned v = 0; v < 2; v++, n++)
                        make_sa(&cs[n], g, dir, keys[k], icvs[i], e, t, v, offload, 0x1000 + n);
    return n;
}

static size_t random_packet(struct pktgen *g, uint8_t *pkt, bool v6, bool big)
{
    uint32_t len = big ? 9000 - pktgen_below(g, 100) : 28 + pktgen_below(g, 1500);
    return pktgen_ip(g, pkt, len, v6, v6 ? 0 : pktgen_below(g, 3), pktgen_below(g, 1u << 30));
}

/* ---- TX ---------------------------------------------------------------------------------- */

static void tx_random(unsigned data_mode, uint8_t offload, unsigned npkts, uint64_t seed)
{
    struct nicsim_params p = test_params(data_mode, offload);
    struct dut *d = make_dut(&p);
    struct pktgen g;
    pktgen_seed(&g, seed);
    static struct combo cs[72];
    unsigned n = all_combos(cs, &g, NIC_SA_OUT, offload);
    for (unsigned i = 0; i < n; i++) {
        cs[i].handle = nic_sa_add(d->nic, &cs[i].nsa);
        cr_assert_geq(cs[i].handle, 0, "sa add %u: %d", i, cs[i].handle);
    }
    static uint8_t pkt[BUF], exp[BUF], in[BUF];
    unsigned *which = calloc(npkts, sizeof(*which));
    for (unsigned k = 0; k < npkts; k++) {
        unsigned s = pktgen_below(&g, n);
        struct combo *c = &cs[s];
        bool v6 = c->gsa.mode == GOLD_TUNNEL ? pktgen_below(&g, 2) : c->nsa.v6;
        size_t len = random_packet(&g, pkt, v6, k % 97 == 5);
        uint64_t sn = c->next_sn++;
        uint8_t iv[8];
        be64(iv, sn);
        size_t elen = 0;
        cr_assert_eq(gold_encap(&c->gsa, sn, iv, pkt, len, exp, BUF, &elen), GOLD_OK);
        size_t ilen = len;
        const uint8_t *frame = pkt;
        if (offload == NIC_OFFLOAD_CRYPTO) {
            ilen = crypto_frame(c, exp, elen, pkt, len, in, false);
            frame = in;
        }
        int tries = 0;
        while (dut_tx(d, frame, ilen, c->handle, (uint32_t)(sn >> 32), k) == -EAGAIN) {
            cr_assert_lt(++tries, 100, "TX ring never drains: the device is stuck");
            dut_run(d, 100000);
        }
        which[k] = s;
    }
    cr_assert(dut_run(d, 100000000), "device did not go idle");
    cr_assert_eq(d->wire.n, npkts, "%zu frames on the wire, %u sent", d->wire.n, npkts);
    /* frames leave in descriptor order: recompute each expected frame */
    pktgen_seed(&g, seed);
    all_combos(cs, &g, NIC_SA_OUT, offload); /* same draws as above */
    for (unsigned i = 0; i < n; i++)
        cs[i].next_sn = cs[i].nsa.seq + 1;
    for (unsigned k = 0; k < npkts; k++) {
        unsigned s = pktgen_below(&g, n);
        cr_assert_eq(s, which[k]);
        struct combo *c = &cs[s];
        bool v6 = c->gsa.mode == GOLD_TUNNEL ? pktgen_below(&g, 2) : c->nsa.v6;
        size_t len = random_packet(&g, pkt, v6, k % 97 == 5);
        uint64_t sn = c->next_sn++;
        uint8_t iv[8];
        be64(iv, sn);
        size_t elen = 0;
        cr_assert_eq(gold_encap(&c->gsa, sn, iv, pkt, len, exp, BUF, &elen), GOLD_OK);
        const struct dut_frame *f = &d->wire.v[k];
        cr_assert_eq(f->len, elen, "pkt %u (sa %u key %zu icv %u esn %d %s v6 %d): len %u want %zu",
                     k, s, c->gsa.key_len, c->gsa.icv_len, c->gsa.esn,
                     c->gsa.mode ? "tunnel" : "transport", v6, f->len, elen);
        cr_assert(memcmp(f->data, exp, elen) == 0, "pkt %u (sa %u): bytes differ from golden", k,
                  s);
        cr_assert_eq(d->txc.v[k].tx.status, NIC_TXS_OK);
        cr_assert_eq(d->txc.v[k].tx.cookie, k);
    }
    check_conservation(d, npkts, 0);
    const struct nic_stats *st = nic_get_stats(d->nic);
    cr_assert_eq(st->tx.offloaded, npkts);
    free(which);
    dut_destroy(d);
}

Test(nic, tx_packet_offload_fast) { tx_random(0, NIC_OFFLOAD_PACKET, 600, 11); }
Test(nic, tx_packet_offload_bit) { tx_random(1, NIC_OFFLOAD_PACKET, 300, 12); }
Test(nic, tx_crypto_offload_fast) { tx_random(0, NIC_OFFLOAD_CRYPTO, 600, 13); }
Test(nic, tx_crypto_offload_bit) { tx_random(1, NIC_OFFLOAD_CRYPTO, 300, 14); }

/* ---- RX ---------------------------------------------------------------------------------- */

static void rx_setup_sa(struct combo *c)
{
    /* RX matches on the destination of the ESP packet: the tunnel outer dst or the packet's */
    memcpy(c->nsa.daddr, c->nsa.tun_dst, 16);
    c->nsa.dir = NIC_SA_IN;
}

static size_t rx_packet_for(struct pktgen *g, const struct combo *c, uint8_t *pkt, bool big)
{
    bool v6 = c->gsa.mode == GOLD_TUNNEL ? pktgen_below(g, 2) : c->nsa.v6;
    size_t len = random_packet(g, pkt, v6, big);
    if (c->gsa.mode == GOLD_TRANSPORT) {
        /* transport: the packet's own destination is the SA address */
        if (v6)
            memcpy(pkt + 24, c->nsa.daddr, 16);
        else {
            memcpy(pkt + 16, c->nsa.daddr, 4);
            size_t ihl = (pkt[0] & 15u) * 4;
            pkt[10] = pkt[11] = 0;
            uint32_t sum = 0;
            for (size_t i = 0; i < ihl; i += 2)
                sum += (uint32_t)pkt[i] << 8 | pkt[i + 1];
            while (sum >> 16)
                sum = (sum & 0xffff) + (sum >> 16);
            pkt[10] = (uint8_t)(~sum >> 8);
            pkt[11] = (uint8_t)~sum;
        }
    }
    return len;
}

static void rx_random(unsigned data_mode, uint8_t offload, unsigned npkts, uint64_t seed)
{
    struct nicsim_params p = test_params(data_mode, offload);
    struct dut *d = make_dut(&p);
    struct pktgen g;
    pktgen_seed(&g, seed);
    static struct combo cs[72];
    unsigned n = all_combos(cs, &g, NIC_SA_IN, offload);
    for (unsigned i = 0; i < n; i++) {
        rx_setup_sa(&cs[i]);
        cs[i].handle = nic_sa_add(d->nic, &cs[i].nsa);
        cr_assert_geq(cs[i].handle, 0, "sa add %u: %d", i, cs[i].handle);
        if (offload == NIC_OFFLOAD_CRYPTO && cs[i].nsa.esn)
            nic_sa_advance_esn(d->nic, cs[i].handle, (uint32_t)(cs[i].nsa.seq >> 32),
                               (uint32_t)cs[i].nsa.seq);
    }
    static uint8_t pkt[BUF], esp[BUF], want[BUF];
    for (unsigned k = 0; k < npkts; k++) {
        unsigned s = pktgen_below(&g, n);
        struct combo *c = &cs[s];
        size_t len = rx_packet_for(&g, c, pkt, k % 97 == 5);
        uint64_t sn = c->next_sn++;
        uint8_t iv[8];
        pktgen_bytes(&g, iv, 8);
        size_t elen = 0;
        cr_assert_eq(gold_encap(&c->gsa, sn, iv, pkt, len, esp, BUF, &elen), GOLD_OK);
        cr_assert_eq(dut_wire_rx(d, esp, elen), 0);
        /* keep the RX buffers flowing; a loaded wire queues frames back to back */
        if (k % 32 == 31)
            dut_run(d, 10000000);
    }
    cr_assert(dut_run(d, 100000000), "device did not go idle");
    cr_assert_eq(d->rx.n, npkts, "%zu delivered of %u", d->rx.n, npkts);
    /* replay the draws and compare every delivery */
    pktgen_seed(&g, seed);
    int handles[72];
    for (unsigned i = 0; i < n; i++)
        handles[i] = cs[i].handle;
    all_combos(cs, &g, NIC_SA_IN, offload);
    for (unsigned i = 0; i < n; i++) {
        rx_setup_sa(&cs[i]);
        cs[i].handle = handles[i];
    }
    for (unsigned k = 0; k < npkts; k++) {
        unsigned s = pktgen_below(&g, n);
        struct combo *c = &cs[s];
        size_t len = rx_packet_for(&g, c, pkt, k % 97 == 5);
        uint64_t sn = c->next_sn++;
        uint8_t iv[8];
        pktgen_bytes(&g, iv, 8);
        size_t elen = 0;
        cr_assert_eq(gold_encap(&c->gsa, sn, iv, pkt, len, esp, BUF, &elen), GOLD_OK);
        const struct dut_frame *f = &d->rx.v[k];
        cr_assert(f->rx.flags & NIC_RXF_IPSEC, "pkt %u: not matched to its SA", k);
        cr_assert(f->rx.flags & NIC_RXF_CRYPTO_DONE);
        cr_assert_eq(f->rx.status, NIC_RXS_SUCCESS, "pkt %u: status %u", k, f->rx.status);
        cr_assert_eq(f->rx.sa_handle, (uint16_t)c->handle);
        if (offload == NIC_OFFLOAD_PACKET) {
            cr_assert_eq(f->len, len, "pkt %u (sa %u): len %u want %zu", k, s, f->len, len);
            cr_assert(memcmp(f->data, pkt, len) == 0, "pkt %u: decap differs from original", k);
            cr_assert(f->rx.flags & NIC_RXF_DECAPPED);
        } else {
            size_t wlen = crypto_frame(c, esp, elen, pkt, len, want, true);
            cr_assert_eq(f->len, wlen);
            cr_assert(memcmp(f->data, want, wlen) == 0, "pkt %u: plaintext in place differs", k);
            cr_assert_eq(f->rx.seq_hi, (uint32_t)(sn >> 32), "pkt %u: seq_hi", k);
        }
    }
    check_conservation(d, 0, npkts);
    dut_destroy(d);
}

Test(nic, rx_packet_offload_fast) { rx_random(0, NIC_OFFLOAD_PACKET, 600, 21); }
Test(nic, rx_packet_offload_bit) { rx_random(1, NIC_OFFLOAD_PACKET, 300, 22); }
Test(nic, rx_crypto_offload_fast) { rx_random(0, NIC_OFFLOAD_CRYPTO, 600, 23); }
Test(nic, rx_crypto_offload_bit) { rx_random(1, NIC_OFFLOAD_CRYPTO, 300, 24); }

/* Deterministic: two devices given the same inputs produce the same bytes at the same cycles
 * (and several devices coexist in one process). */
static uint64_t run_hash(unsigned data_mode, uint64_t seed)
{
    struct nicsim_params p = test_params(data_mode, NIC_OFFLOAD_PACKET);
    struct dut *d = make_dut(&p);
    struct pktgen g;
    pktgen_seed(&g, seed);
    static struct combo cs[72];
    unsigned n = all_combos(cs, &g, NIC_SA_OUT, NIC_OFFLOAD_PACKET);
    for (unsigned i = 0; i < n; i++)
        cs[i].handle = nic_sa_add(d->nic, &cs[i].nsa);
    static uint8_t pkt[BUF];
    for (unsigned k = 0; k < 300; k++) {
        struct combo *c = &cs[pktgen_below(&g, n)];
        size_t len = random_packet(&g, pkt, c->nsa.v6, false);
        cr_assert_eq(dut_tx(d, pkt, len, c->handle, 0, k), 0);
        if (k % 50 == 49)
            dut_run(d, 3000); /* interleave posting and running */
    }
    cr_assert(dut_run(d, 100000000));
    uint64_t h = 1469598103934665603ull; /* FNV-1a over every frame, its cycle and completion */
    for (size_t i = 0; i < d->wire.n; i++) {
        for (uint32_t b = 0; b < d->wire.v[i].len; b++)
            h = (h ^ d->wire.v[i].data[b]) * 1099511628211ull;
        h = (h ^ d->wire.v[i].cycle) * 1099511628211ull;
    }
    for (size_t i = 0; i < d->txc.n; i++)
        h = (h ^ d->txc.v[i].tx.status ^ (uint64_t)d->txc.v[i].tx.cookie << 16) * 1099511628211ull;
    h ^= nic_cycle(d->nic);
    dut_destroy(d);
    return h;
}

Test(nic, deterministic)
{
    for (unsigned m = 0; m < 2; m++)
        cr_assert_eq(run_hash(m, 77), run_hash(m, 77), "mode %u: same inputs, different run", m);
    cr_assert_eq(run_hash(0, 77), run_hash(1, 77), "fast and bit-accurate modes differ");
    cr_assert_neq(run_hash(0, 77), run_hash(0, 78), "the hash must depend on the traffic");
}

/* ---- time chunking ------------------------------------------------------------------------ */

/* How time is cut into nic_run_until() / nic_run() calls must not change anything: the clock
 * stands at exactly the cycle a run was asked for, so the host's calls in between (doorbells,
 * wire input) land at the same cycles. One script of host actions at given cycles is played on
 * a device advanced by one nic_run_until() per action and on devices advanced in steps of 1, 3
 * and 7 cycles; every wire frame (bytes and cycle), every delivery and completion, the final
 * counters, cycle and step count must agree. */
#define CHUNK_ACTS 240

struct chunk_act {
    uint64_t cycle; /* the host acts when the card stands at this cycle          */
    int sa;         /* >= 0: TX post on that outbound combo; -1: frame from the wire */
    size_t len;
    uint8_t *frame;
};

struct chunk_script {
    struct combo tx[72], rx[72];
    unsigned ntx, nrx;
    struct chunk_act act[CHUNK_ACTS];
};

static void chunk_script_make(struct chunk_script *sc, uint64_t seed)
{
    struct pktgen g;
    pktgen_seed(&g, seed);
    sc->ntx = all_combos(sc->tx, &g, NIC_SA_OUT, NIC_OFFLOAD_PACKET);
    sc->nrx = all_combos(sc->rx, &g, NIC_SA_IN, NIC_OFFLOAD_PACKET);
    for (unsigned i = 0; i < sc->nrx; i++)
        rx_setup_sa(&sc->rx[i]);
    static uint8_t pkt[BUF], esp[BUF];
    uint64_t t = 1000; /* after the RX descriptor prefetch */
    for (unsigned k = 0; k < CHUNK_ACTS; k++) {
        struct chunk_act *a = &sc->act[k];
        /* a quarter of the actions share their cycle with the one before */
        t += pktgen_below(&g, 4) ? pktgen_below(&g, 300) : 0;
        a->cycle = t;
        size_t len;
        const uint8_t *src;
        if (pktgen_below(&g, 2)) {
            a->sa = (int)pktgen_below(&g, sc->ntx);
            const struct combo *c = &sc->tx[a->sa];
            bool v6 = c->gsa.mode == GOLD_TUNNEL ? pktgen_below(&g, 2) : c->nsa.v6;
            len = random_packet(&g, pkt, v6, false);
            src = pkt;
        } else {
            a->sa = -1;
            struct combo *c = &sc->rx[pktgen_below(&g, sc->nrx)];
            size_t plen = rx_packet_for(&g, c, pkt, false);
            uint8_t iv[8];
            pktgen_bytes(&g, iv, 8);
            cr_assert_eq(gold_encap(&c->gsa, c->next_sn++, iv, pkt, plen, esp, BUF, &len),
                         GOLD_OK);
            src = esp;
        }
        a->len = len;
        a->frame = malloc(len);
        cr_assert(a->frame);
        memcpy(a->frame, src, len);
    }
}

/* Advance to `t`: one call (step 0) or calls of `step` cycles; bounded, as every call must
 * leave the clock at the cycle it was given. */
static void chunk_advance(struct nic *n, uint64_t t, uint64_t step)
{
    if (!step) {
        nic_run_until(n, t);
        cr_assert_eq(nic_cycle(n), t, "nic_run_until(%lu) stands at %lu", (unsigned long)t,
                     (unsigned long)nic_cycle(n));
        return;
    }
    uint64_t calls = nic_cycle(n) < t ? (t - nic_cycle(n)) / step + 1 : 0;
    for (uint64_t i = 0; i < calls && nic_cycle(n) < t; i++) {
        uint64_t c = nic_cycle(n) + step;
        nic_run_until(n, c < t ? c : t);
    }
    cr_assert_eq(nic_cycle(n), t, "step %lu: the clock stands at %lu, not %lu",
                 (unsigned long)step, (unsigned long)nic_cycle(n), (unsigned long)t);
}

/* Play the script; rc[k] gets each action's return value. */
static struct dut *chunk_play(const struct chunk_script *sc, uint64_t step, int *rc)
{
    struct nicsim_params p = test_params(0, NIC_OFFLOAD_PACKET);
    struct dut *d = make_dut(&p);
    int htx[72];
    for (unsigned i = 0; i < sc->ntx; i++) {
        htx[i] = nic_sa_add(d->nic, &sc->tx[i].nsa);
        cr_assert_geq(htx[i], 0);
    }
    for (unsigned i = 0; i < sc->nrx; i++)
        cr_assert_geq(nic_sa_add(d->nic, &sc->rx[i].nsa), 0);
    for (unsigned k = 0; k < CHUNK_ACTS; k++) {
        const struct chunk_act *a = &sc->act[k];
        chunk_advance(d->nic, a->cycle, step);
        rc[k] = a->sa >= 0 ? dut_tx(d, a->frame, a->len, htx[a->sa], 0, k)
                           : dut_wire_rx(d, a->frame, a->len);
    }
    /* Drain without reaping (the rings hold every packet of the script), by nic_run in one
     * call or in steps; then reap at the same, idle, cycle. */
    bool idle = false;
    if (!step)
        idle = nic_run(d->nic, 10000000);
    for (uint64_t i = 0; step && i < 10000000 / step && !idle; i++)
        idle = nic_run(d->nic, step);
    cr_assert(idle, "step %lu: the device did not go idle", (unsigned long)step);
    cr_assert(dut_run(d, 10000000));
    return d;
}

/* Records of the unchunked run (a) and a chunked one (b): same bytes, cycles, completions. */
static void chunk_same_list(const struct dut_list *a, const struct dut_list *b, const char *what,
                            uint64_t step)
{
    cr_assert_eq(a->n, b->n, "step %lu: %zu %s, %zu unchunked", (unsigned long)step, b->n, what,
                 a->n);
    for (size_t i = 0; i < a->n; i++) {
        const struct dut_frame *x = &a->v[i], *y = &b->v[i];
        cr_assert_eq(x->len, y->len, "step %lu: %s %zu: len %u, unchunked %u",
                     (unsigned long)step, what, i, y->len, x->len);
        cr_assert(!x->len || memcmp(x->data, y->data, x->len) == 0, "step %lu: %s %zu: bytes",
                  (unsigned long)step, what, i);
        cr_assert_eq(x->cycle, y->cycle, "step %lu: %s %zu at cycle %lu, unchunked %lu",
                     (unsigned long)step, what, i, (unsigned long)y->cycle,
                     (unsigned long)x->cycle);
        cr_assert(memcmp(&x->rx, &y->rx, sizeof(x->rx)) == 0, "step %lu: %s %zu: completion",
                  (unsigned long)step, what, i);
        cr_assert(memcmp(&x->tx, &y->tx, sizeof(x->tx)) == 0, "step %lu: %s %zu: completion",
                  (unsigned long)step, what, i);
    }
}

Test(nic, time_chunking_changes_nothing)
{
    static struct chunk_script sc;
    chunk_script_make(&sc, 91);
    int rc_ref[CHUNK_ACTS], rc[CHUNK_ACTS];
    struct dut *ref = chunk_play(&sc, 0, rc_ref);
    struct nic_stats st_ref = *nic_get_stats(ref->nic);
    cr_assert_gt(ref->wire.n, 50, "the script sends traffic");
    cr_assert_gt(ref->rx.n, 50, "the script receives traffic");
    static const uint64_t steps[] = {1, 3, 7};
    for (unsigned s = 0; s < 3; s++) {
        uint64_t step = steps[s];
        struct dut *d = chunk_play(&sc, step, rc);
        for (unsigned k = 0; k < CHUNK_ACTS; k++)
            cr_assert_eq(rc[k], rc_ref[k], "step %lu: action %u returned %d, unchunked %d",
                         (unsigned long)step, k, rc[k], rc_ref[k]);
        chunk_same_list(&ref->wire, &d->wire, "wire frame", step);
        chunk_same_list(&ref->rx, &d->rx, "delivery", step);
        chunk_same_list(&ref->txc, &d->txc, "TX completion", step);
        cr_assert(memcmp(&st_ref, nic_get_stats(d->nic), sizeof(st_ref)) == 0,
                  "step %lu: counters differ", (unsigned long)step);
        cr_assert_eq(nic_cycle(d->nic), nic_cycle(ref->nic), "step %lu: final cycle",
                     (unsigned long)step);
        cr_assert_eq(nic_steps(d->nic), nic_steps(ref->nic), "step %lu: eval/commit rounds",
                     (unsigned long)step);
        dut_destroy(d);
    }
    dut_destroy(ref);
    for (unsigned k = 0; k < CHUNK_ACTS; k++)
        free(sc.act[k].frame);
}

/* test_drv_linux.c - the host driver shim's Linux personality on the C model: probe, xfrmdev_ops
 * return codes, crypto and packet offload traffic against the golden library, -EOPNOTSUPP
 * software fallback, the ixgbe-compatible -ENOSPC, ESN without CAPS.ESN, offload_ok refusals,
 * interface down, reset and restore, delete with packets in flight, software replay checking.
 *
 * Loopback: one card holds an outbound and an inbound SA with the same key; the frames it sends
 * are captured, compared with gold_encap, and fed back into its wire input.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "esp_golden.h"
#include "nd_bus_model.h"
#include "nd_xfrm.h"
#include "nicsim/nicsim.h"
#include "pktgen.h"

#define MAXF 512
#define FLEN 10000

struct frames {
    uint8_t *d[MAXF];
    size_t len[MAXF];
    size_t n;
};

struct rig {
    struct nd_bus *bus;
    struct nd_dev *dev;
    struct nd_netdev *nd;
    struct frames wire, rx;
    struct nd_xfrm_state *rx_x[MAXF];
    bool rx_crypto_done[MAXF], rx_sw[MAXF];
    uint8_t rx_status[MAXF];
};

static void keep(struct frames *f, const uint8_t *d, size_t len)
{
    cr_assert_lt(f->n, MAXF);
    f->d[f->n] = malloc(len);
    memcpy(f->d[f->n], d, len);
    f->len[f->n++] = len;
}

static void frames_clear(struct frames *f)
{
    for (size_t i = 0; i < f->n; i++)
        free(f->d[i]);
    f->n = 0;
}

static void on_wire(void *user, const uint8_t *frame, size_t len, uint64_t cycle)
{
    (void)cycle;
    keep(&((struct rig *)user)->wire, frame, len);
}

static void on_rx(void *user, const struct nd_xfrm_rx *r)
{
    struct rig *g = user;
    size_t i = g->rx.n;
    keep(&g->rx, r->pkt, r->len);
    g->rx_x[i] = r->x;
    g->rx_crypto_done[i] = r->crypto_done;
    g->rx_sw[i] = r->software;
    g->rx_status[i] = r->status;
}

static void rig_up_fw(struct rig *g, struct nicsim_params *p, uint32_t caps_clear, bool enospc,
                      uint8_t fw)
{
    memset(g, 0, sizeof(*g));
    char err[200];
    struct nd_bus_model_cfg bc = {.fw = fw, .caps_clear = caps_clear};
    g->bus = nd_bus_model_create(p, &bc, err, sizeof(err));
    cr_assert(g->bus, "%s", err);
    nd_bus_model_set_wire(g->bus, on_wire, g);
    struct nd_dev_cfg dc;
    nd_dev_cfg_default(&dc);
    dc.tx_ring = dc.rx_ring = 64;
    cr_assert_eq(nd_dev_probe(g->bus, &dc, &g->dev, err, sizeof(err)), 0, "%s", err);
    cr_assert_eq(nd_dev_open(g->dev), 0);
    struct nd_netdev_cfg nc = {.enospc_compat = enospc};
    g->nd = nd_netdev_create(g->dev, &nc);
    cr_assert(g->nd);
    nd_netdev_set_rx(g->nd, on_rx, g);
}

/* caps_clear needs the firmware stand-in (the model's firmware has no such hook). */
static void rig_up(struct rig *g, struct nicsim_params *p, uint32_t caps_clear, bool enospc)
{
    rig_up_fw(g, p, caps_clear, enospc, caps_clear ? ND_FW_STUB : ND_FW_AUTO);
}

static void rig_down(struct rig *g)
{
    nd_netdev_destroy(g->nd);
    nd_dev_remove(g->dev);
    nd_bus_destroy(g->bus);
    frames_clear(&g->wire);
    frames_clear(&g->rx);
}

static struct nicsim_params params(void)
{
    struct nicsim_params p;
    nicsim_params_default(&p);
    p.tx_ring_size = p.rx_ring_size = 64;
    p.engines = 2;
    return p;
}

static const uint8_t A4[4] = {10, 0, 0, 1}, B4[4] = {10, 0, 0, 2};

/* An SA pair (out on this card, in on this card) with one key. */
static void sa_pair(struct nd_xfrm_state *x, struct nd_xfrm_algo_aead *a, uint32_t spi,
                    unsigned key_len, int mode, bool esn)
{
    uint8_t km[36];
    for (unsigned i = 0; i < sizeof(km); i++)
        km[i] = (uint8_t)(spi * 13 + i * 7 + 1);
    nd_xfrm_state_init(x, a, ND_AF_INET, A4, B4, spi, mode, km, key_len + 4, 128);
    x->props.replay_window = 64;
    if (esn) {
        x->props.flags |= ND_XFRM_STATE_ESN;
        x->replay_esn.replay_window = 64;
    }
}

static size_t mkpkt(struct pktgen *pg, uint8_t *buf, size_t len, unsigned opt_words)
{
    size_t n = pktgen_ip(pg, buf, len, false, opt_words, 7);
    /* the SA's addresses, so that the inbound SA matches the looped-back frame */
    memcpy(buf + 12, A4, 4);
    memcpy(buf + 16, B4, 4);
    buf[10] = buf[11] = 0;
    uint32_t sum = 0;
    size_t ihl = (size_t)(buf[0] & 15u) * 4;
    for (size_t i = 0; i < ihl; i += 2)
        sum += (uint32_t)(buf[i] << 8 | buf[i + 1]);
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    buf[10] = (uint8_t)(~sum >> 8);
    buf[11] = (uint8_t)~sum;
    return n;
}

static void be64(uint8_t *b, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        b[i] = (uint8_t)(v >> (56 - 8 * i));
}

static void expect_gold(const struct nd_xfrm_state *x, uint64_t sn, const uint8_t *pkt,
                        size_t len, const uint8_t *wire, size_t wlen)
{
    static uint8_t exp[FLEN];
    uint8_t iv[8];
    be64(iv, sn);
    size_t elen = 0;
    cr_assert_eq(gold_encap(&x->shim.gsa, sn, iv, pkt, len, exp, sizeof(exp), &elen), GOLD_OK);
    cr_assert_eq(wlen, elen, "wire length %zu, golden %zu (sn %lu)", wlen, elen,
                 (unsigned long)sn);
    cr_assert(memcmp(wire, exp, elen) == 0, "wire differs from gold_encap (sn %lu)",
              (unsigned long)sn);
}

static void send(struct rig *g, const uint8_t *pkt, size_t len, struct nd_xfrm_state *x)
{
    int rc;
    while ((rc = nd_xmit(g->nd, pkt, len, x)) == -EAGAIN)
        nd_dev_run(g->dev, 100000);
    cr_assert_eq(rc, 0, "nd_xmit: %d", rc);
}

/* Feed every captured wire frame back into the card. */
static void loop_back(struct rig *g, size_t from)
{
    for (size_t i = from; i < g->wire.n; i++) {
        while (nic_wire_rx(nd_bus_model_nic(g->bus), g->wire.d[i], g->wire.len[i]) == -EAGAIN)
            nd_dev_run(g->dev, 10000);
    }
    cr_assert(nd_dev_run(g->dev, 100000000));
}

/* Send n packets on `out`, check the wire against gold, loop back, check the deliveries. */
static void traffic(struct rig *g, struct nd_xfrm_state *out, struct nd_xfrm_state *in,
                    unsigned n, uint64_t seed, bool expect_offload)
{
    struct pktgen pg;
    pktgen_seed(&pg, seed);
    static uint8_t pkts[64][2000];
    size_t lens[64];
    size_t w0 = g->wire.n, r0 = g->rx.n;
    uint64_t sn0 = (uint64_t)out->replay_esn.oseq_hi << 32 | out->replay_esn.oseq;
    cr_assert_leq(n, 64);
    for (unsigned i = 0; i < n; i++) {
        lens[i] = mkpkt(&pg, pkts[i], 40 + pktgen_below(&pg, 1400), 0);
        send(g, pkts[i], lens[i], out);
    }
    cr_assert(nd_dev_run(g->dev, 100000000));
    cr_assert_eq(g->wire.n - w0, n, "%zu frames on the wire", g->wire.n - w0);
    for (unsigned i = 0; i < n; i++)
        expect_gold(out, sn0 + 1 + i, pkts[i], lens[i], g->wire.d[w0 + i], g->wire.len[w0 + i]);
    loop_back(g, w0);
    cr_assert_eq(g->rx.n - r0, n, "%zu delivered of %u", g->rx.n - r0, n);
    for (unsigned i = 0; i < n; i++) {
        size_t k = r0 + i;
        cr_assert_eq(g->rx.len[k], lens[i]);
        cr_assert(memcmp(g->rx.d[k], pkts[i], lens[i]) == 0, "delivery %u differs", i);
        cr_assert_eq(g->rx_x[k], in);
        cr_assert_eq(g->rx_crypto_done[k], expect_offload);
        cr_assert_eq(g->rx_sw[k], !expect_offload);
        if (expect_offload)
            cr_assert_eq(g->rx_status[k], NIC_RXS_SUCCESS);
    }
}

/* ---- probe ----------------------------------------------------------------------------------- */

struct fake {
    struct nd_bus bus;
    uint32_t id, version;
};

static uint32_t fake_read(struct nd_bus *b, uint32_t off)
{
    struct fake *f = b->priv;
    return off == 0 ? f->id : off == 4 ? f->version : 0;
}
static void fake_write(struct nd_bus *b, uint32_t off, uint32_t v)
{
    (void)b, (void)off, (void)v;
}
static int fake_map(struct nd_bus *b, void *h, size_t l, uint64_t *iova)
{
    (void)b, (void)h, (void)l;
    *iova = 0x1000;
    return 0;
}
static bool fake_run(struct nd_bus *b, uint64_t c)
{
    (void)b, (void)c;
    return true;
}
static uint64_t fake_cycle(const struct nd_bus *b)
{
    (void)b;
    return 0;
}
static void fake_destroy(struct nd_bus *b)
{
    (void)b;
}
static const struct nd_bus_ops fake_ops = {fake_read, fake_write, fake_map, fake_run,
                                           fake_cycle, NULL, fake_destroy};

Test(drv_linux, probe_refuses_unknown_id_and_version)
{
    struct fake f = {{&fake_ops, NULL}, 0x12345678u, 0x00010000u};
    f.bus.priv = &f;
    struct nd_dev *dev;
    char err[200] = "";
    cr_assert_eq(nd_dev_probe(&f.bus, NULL, &dev, err, sizeof(err)), -ENODEV);
    cr_assert(strstr(err, "unknown device ID 0x12345678"), "%s", err);
    cr_assert_null(dev);
    f.id = 0x4e494353u;
    f.version = 0x00020000u;
    cr_assert_eq(nd_dev_probe(&f.bus, NULL, &dev, err, sizeof(err)), -ENODEV);
    cr_assert(strstr(err, "register map version 2"), "%s", err);
    f.version = 0x00010000u; /* the right card, but nothing answers the mailbox */
    cr_assert_eq(nd_dev_probe(&f.bus, NULL, &dev, err, sizeof(err)), -ETIMEDOUT);
    cr_assert(strstr(err, "mailbox"), "%s", err);
}

Test(drv_linux, probe_reads_caps_and_tables)
{
    struct nicsim_params p = params();
    p.rx_sa_entries = 7;
    p.tx_sa_entries = 9;
    struct rig g;
    rig_up(&g, &p, 0, false);
    const struct nd_dev_info *in = nd_dev_info(g.dev);
    cr_assert_eq(in->id, 0x4e494353u);
    cr_assert_eq(in->rx_sa_max, 7);
    cr_assert_eq(in->tx_sa_max, 9);
    cr_assert(in->caps & 0x4, "CAPS.ESN");
    cr_assert_not_null(nd_netdev_ops(g.nd)->xdo_dev_state_advance_esn);
    rig_down(&g);
}

/* ---- traffic --------------------------------------------------------------------------------- */

static void offload_roundtrip(uint8_t type, int mode, unsigned key_len, bool esn)
{
    struct nicsim_params p = params();
    struct rig g;
    rig_up(&g, &p, 0, false);
    struct nd_xfrm_state out, in;
    struct nd_xfrm_algo_aead ao, ai;
    sa_pair(&out, &ao, 0x1001, key_len, mode, esn);
    sa_pair(&in, &ai, 0x1001, key_len, mode, esn);
    if (esn) { /* cross the 2^32 boundary */
        out.replay_esn.oseq = 0xfffffff8u;
        in.replay_esn.seq = 0xfffffff8u;
    }
    const char *msg = NULL;
    cr_assert_eq(nd_xfrm_state_add(g.nd, &out, ND_XFRM_DEV_OFFLOAD_OUT, type, &msg), 0, "%s", msg);
    cr_assert_eq(nd_xfrm_state_add(g.nd, &in, ND_XFRM_DEV_OFFLOAD_IN, type, &msg), 0, "%s", msg);
    cr_assert_eq(out.xso.dev, g.nd, "offloaded");
    cr_assert_eq(in.xso.dev, g.nd);
    cr_assert_neq(out.xso.offload_handle, 0);
    traffic(&g, &out, &in, 24, 5, true);
    const struct nd_netdev_stats *st = nd_netdev_stats(g.nd);
    cr_assert_eq(st->tx_offload, 24);
    cr_assert_eq(st->rx_offload, 24);
    cr_assert_eq(st->tx_sw + st->rx_sw, 0);
    if (esn && type == ND_XFRM_DEV_OFFLOAD_PACKET) /* the card numbered: 64-bit SNs past 2^32 */
        cr_assert_eq(out.replay_esn.oseq_hi, 0);
    if (esn && type == ND_XFRM_DEV_OFFLOAD_CRYPTO) {
        cr_assert_eq(out.replay_esn.oseq_hi, 1);
        cr_assert_eq(in.replay_esn.seq_hi, 1, "software window crossed 2^32");
        cr_assert_gt(nd_dev_stats(g.dev)->esn_updates, 0, "advance_esn reached the card");
    }
    nd_xfrm_state_delete(g.nd, &out);
    nd_xfrm_state_delete(g.nd, &in);
    cr_assert_eq(nd_sa_count(g.dev), 0);
    rig_down(&g);
}

Test(drv_linux, crypto_offload_transport_matches_golden)
{
    offload_roundtrip(ND_XFRM_DEV_OFFLOAD_CRYPTO, ND_XFRM_MODE_TRANSPORT, 16, false);
}
Test(drv_linux, crypto_offload_tunnel_aes256_esn_crosses_2_32)
{
    offload_roundtrip(ND_XFRM_DEV_OFFLOAD_CRYPTO, ND_XFRM_MODE_TUNNEL, 32, true);
}
Test(drv_linux, packet_offload_transport_matches_golden)
{
    offload_roundtrip(ND_XFRM_DEV_OFFLOAD_PACKET, ND_XFRM_MODE_TRANSPORT, 16, false);
}
Test(drv_linux, packet_offload_tunnel_aes192)
{
    offload_roundtrip(ND_XFRM_DEV_OFFLOAD_PACKET, ND_XFRM_MODE_TUNNEL, 24, false);
}

/* ---- return codes ------------------------------------------------------------------------------ */

Test(drv_linux, table_full_eopnotsupp_falls_back_to_software)
{
    struct nicsim_params p = params();
    p.rx_sa_entries = p.tx_sa_entries = 1;
    struct rig g;
    rig_up(&g, &p, 0, false);
    struct nd_xfrm_state o1, i1, o2, i2;
    struct nd_xfrm_algo_aead a[4];
    sa_pair(&o1, &a[0], 0x10, 16, ND_XFRM_MODE_TRANSPORT, false);
    sa_pair(&i1, &a[1], 0x10, 16, ND_XFRM_MODE_TRANSPORT, false);
    sa_pair(&o2, &a[2], 0x20, 16, ND_XFRM_MODE_TRANSPORT, false);
    sa_pair(&i2, &a[3], 0x20, 16, ND_XFRM_MODE_TRANSPORT, false);
    const uint8_t C = ND_XFRM_DEV_OFFLOAD_CRYPTO;
    cr_assert_eq(nd_xfrm_state_add(g.nd, &o1, ND_XFRM_DEV_OFFLOAD_OUT, C, NULL), 0);
    cr_assert_eq(nd_xfrm_state_add(g.nd, &i1, ND_XFRM_DEV_OFFLOAD_IN, C, NULL), 0);
    /* the driver says -EOPNOTSUPP for a full table ... */
    struct nd_xfrm_state probe;
    struct nd_xfrm_algo_aead pa;
    sa_pair(&probe, &pa, 0x30, 16, ND_XFRM_MODE_TRANSPORT, false);
    probe.xso.dev = g.nd;
    probe.xso.dir = ND_XFRM_DEV_OFFLOAD_OUT;
    probe.xso.type = C;
    const char *msg = NULL;
    cr_assert_eq(nd_netdev_ops(g.nd)->xdo_dev_state_add(g.nd, &probe, &msg), -EOPNOTSUPP);
    cr_assert(msg && strstr(msg, "No space"), "%s", msg ? msg : "");
    /* ... so the stack keeps the SA in software and traffic still flows */
    cr_assert_eq(nd_xfrm_state_add(g.nd, &o2, ND_XFRM_DEV_OFFLOAD_OUT, C, NULL), 0);
    cr_assert_eq(nd_xfrm_state_add(g.nd, &i2, ND_XFRM_DEV_OFFLOAD_IN, C, NULL), 0);
    cr_assert_null(o2.xso.dev, "fallen back");
    cr_assert_eq(o2.xso.offload_handle, 0);
    cr_assert_eq(o2.km.state, ND_XFRM_STATE_VALID);
    traffic(&g, &o2, &i2, 16, 9, false);
    traffic(&g, &o1, &i1, 8, 10, true);
    const struct nd_netdev_stats *st = nd_netdev_stats(g.nd);
    cr_assert_eq(st->tx_sw, 16);
    cr_assert_eq(st->rx_sw, 16);
    cr_assert_eq(st->tx_offload, 8);
    cr_assert_eq(st->rx_offload, 8);
    /* packet offload never falls back: the SA fails */
    struct nd_xfrm_state o3;
    struct nd_xfrm_algo_aead a3;
    sa_pair(&o3, &a3, 0x40, 16, ND_XFRM_MODE_TRANSPORT, false);
    cr_assert_eq(nd_xfrm_state_add(g.nd, &o3, ND_XFRM_DEV_OFFLOAD_OUT,
                                   ND_XFRM_DEV_OFFLOAD_PACKET, NULL),
                 -EOPNOTSUPP);
    cr_assert_eq(nd_xfrm_state_delete(g.nd, &o3), -ENOENT, "not in the SAD");
    rig_down(&g);
}

Test(drv_linux, ixgbe_compatible_enospc_fails_the_sa)
{
    struct nicsim_params p = params();
    p.tx_sa_entries = 1;
    struct rig g;
    rig_up(&g, &p, 0, true);
    struct nd_xfrm_state o1, o2;
    struct nd_xfrm_algo_aead a1, a2;
    sa_pair(&o1, &a1, 0x10, 16, ND_XFRM_MODE_TRANSPORT, false);
    sa_pair(&o2, &a2, 0x20, 16, ND_XFRM_MODE_TRANSPORT, false);
    const uint8_t C = ND_XFRM_DEV_OFFLOAD_CRYPTO;
    cr_assert_eq(nd_xfrm_state_add(g.nd, &o1, ND_XFRM_DEV_OFFLOAD_OUT, C, NULL), 0);
    const char *msg = NULL;
    cr_assert_eq(nd_xfrm_state_add(g.nd, &o2, ND_XFRM_DEV_OFFLOAD_OUT, C, &msg), -ENOSPC);
    cr_assert_eq(nd_xfrm_state_delete(g.nd, &o2), -ENOENT, "the SA was not created");
    /* a freed slot is usable again */
    cr_assert_eq(nd_xfrm_state_delete(g.nd, &o1), 0);
    cr_assert_eq(nd_xfrm_state_add(g.nd, &o2, ND_XFRM_DEV_OFFLOAD_OUT, C, NULL), 0);
    cr_assert_eq(o2.xso.dev, g.nd);
    rig_down(&g);
}

Test(drv_linux, bad_parameters_are_einval)
{
    struct nicsim_params p = params();
    struct rig g;
    rig_up(&g, &p, 0, false);
    struct nd_xfrm_state x;
    struct nd_xfrm_algo_aead a;
    const uint8_t C = ND_XFRM_DEV_OFFLOAD_CRYPTO;
    sa_pair(&x, &a, 0x10, 16, ND_XFRM_MODE_TRANSPORT, false);
    a.alg_icv_len = 100;
    cr_assert_eq(nd_xfrm_state_add(g.nd, &x, ND_XFRM_DEV_OFFLOAD_OUT, C, NULL), -EINVAL);
    sa_pair(&x, &a, 0x10, 16, ND_XFRM_MODE_TRANSPORT, false);
    strcpy(a.alg_name, "rfc4543(gcm(aes))");
    cr_assert_eq(nd_xfrm_state_add(g.nd, &x, ND_XFRM_DEV_OFFLOAD_OUT, C, NULL), -EINVAL);
    sa_pair(&x, &a, 0x10, 16, ND_XFRM_MODE_TRANSPORT, false);
    cr_assert_eq(nd_xfrm_state_add(g.nd, &x, 0, C, NULL), -EINVAL, "no direction");
    /* driver-level checks, asked directly */
    sa_pair(&x, &a, 0x10, 16, ND_XFRM_MODE_TRANSPORT, false);
    x.xso.dev = g.nd;
    x.xso.dir = ND_XFRM_DEV_OFFLOAD_OUT;
    x.xso.type = C;
    x.id.proto = 51; /* AH */
    cr_assert_eq(nd_netdev_ops(g.nd)->xdo_dev_state_add(g.nd, &x, NULL), -EINVAL);
    x.id.proto = 50;
    a.alg_key_len = 128; /* no salt */
    cr_assert_eq(nd_netdev_ops(g.nd)->xdo_dev_state_add(g.nd, &x, NULL), -EINVAL);
    cr_assert_eq(nd_sa_count(g.dev), 0);
    rig_down(&g);
}

Test(drv_linux, esn_refused_without_caps_esn)
{
    struct nicsim_params p = params();
    struct rig g;
    rig_up(&g, &p, 1u << 2 /* CAPS.ESN */, false);
    cr_assert_eq(nd_dev_info(g.dev)->caps & 4u, 0);
    cr_assert_null(nd_netdev_ops(g.nd)->xdo_dev_state_advance_esn, "no advance_esn op");
    struct nd_xfrm_state x, y, z;
    struct nd_xfrm_algo_aead a, b, c;
    sa_pair(&x, &a, 0x10, 16, ND_XFRM_MODE_TRANSPORT, true);
    const char *msg = NULL;
    cr_assert_eq(nd_xfrm_state_add(g.nd, &x, ND_XFRM_DEV_OFFLOAD_OUT, ND_XFRM_DEV_OFFLOAD_CRYPTO,
                                   &msg),
                 -EINVAL);
    cr_assert_str_eq(msg, "Device doesn't support offload with ESN");
    cr_assert_eq(nd_sa_count(g.dev), 0, "the driver was not asked");
    /* packet offload is not subject to the stack's check; the card refuses it (no fallback) */
    sa_pair(&y, &b, 0x11, 16, ND_XFRM_MODE_TRANSPORT, true);
    cr_assert_eq(nd_xfrm_state_add(g.nd, &y, ND_XFRM_DEV_OFFLOAD_OUT,
                                   ND_XFRM_DEV_OFFLOAD_PACKET, NULL),
                 -EOPNOTSUPP);
    /* non-ESN SAs are offloaded as usual; an ESN SA in software works */
    sa_pair(&z, &c, 0x12, 16, ND_XFRM_MODE_TRANSPORT, false);
    cr_assert_eq(nd_xfrm_state_add(g.nd, &z, ND_XFRM_DEV_OFFLOAD_OUT,
                                   ND_XFRM_DEV_OFFLOAD_CRYPTO, NULL),
                 0);
    cr_assert_eq(z.xso.dev, g.nd);
    cr_assert_eq(nd_xfrm_state_add(g.nd, &x, ND_XFRM_DEV_OFFLOAD_OUT, 0, NULL), 0);
    rig_down(&g);
}

/* ---- offload_ok ------------------------------------------------------------------------------- */

Test(drv_linux, offload_ok_refuses_options_extensions_and_oversize)
{
    struct nicsim_params p = params();
    struct rig g;
    rig_up(&g, &p, 0, false);
    struct nd_xfrm_state out, pk;
    struct nd_xfrm_algo_aead a, b;
    sa_pair(&out, &a, 0x10, 16, ND_XFRM_MODE_TRANSPORT, false);
    sa_pair(&pk, &b, 0x11, 16, ND_XFRM_MODE_TRANSPORT, false);
    cr_assert_eq(nd_xfrm_state_add(g.nd, &out, ND_XFRM_DEV_OFFLOAD_OUT,
                                   ND_XFRM_DEV_OFFLOAD_CRYPTO, NULL),
                 0);
    cr_assert_eq(nd_xfrm_state_add(g.nd, &pk, ND_XFRM_DEV_OFFLOAD_OUT,
                                   ND_XFRM_DEV_OFFLOAD_PACKET, NULL),
                 0);
    const struct nd_xfrmdev_ops *ops = nd_netdev_ops(g.nd);
    struct pktgen pg;
    pktgen_seed(&pg, 3);
    static uint8_t v4opt[600], v4[600], v6ext[600], big[9300];
    size_t lo = mkpkt(&pg, v4opt, 300, 2), l4 = mkpkt(&pg, v4, 300, 0);
    cr_assert_not(ops->xdo_dev_offload_ok(v4opt, lo, &out), "IPv4 options");
    cr_assert(ops->xdo_dev_offload_ok(v4, l4, &out));
    /* IPv6 with a hop-by-hop header */
    size_t l6 = pktgen_ip(&pg, v6ext, 300, true, 0, 1);
    uint8_t nh = v6ext[6];
    memmove(v6ext + 48, v6ext + 40, l6 - 40);
    memset(v6ext + 40, 0, 8);
    v6ext[40] = nh;
    v6ext[6] = 0;
    l6 += 8;
    v6ext[4] = (uint8_t)((l6 - 40) >> 8);
    v6ext[5] = (uint8_t)(l6 - 40);
    cr_assert_not(ops->xdo_dev_offload_ok(v6ext, l6, &out), "IPv6 extension header");
    size_t lb = mkpkt(&pg, big, 9216 - 20, 0);
    cr_assert_not(ops->xdo_dev_offload_ok(big, lb, &out), "oversize after ESP");
    /* a refused packet of a crypto-offload SA goes out in software, still correct */
    send(&g, v4opt, lo, &out);
    cr_assert(nd_dev_run(g.dev, 10000000));
    cr_assert_eq(g.wire.n, 1);
    expect_gold(&out, 1, v4opt, lo, g.wire.d[0], g.wire.len[0]);
    const struct nd_netdev_stats *st = nd_netdev_stats(g.nd);
    cr_assert_eq(st->tx_offload_refused, 1);
    cr_assert_eq(st->tx_sw, 1);
    send(&g, v4, l4, &out); /* and the next one is offloaded with the next SN */
    cr_assert(nd_dev_run(g.dev, 10000000));
    expect_gold(&out, 2, v4, l4, g.wire.d[1], g.wire.len[1]);
    cr_assert_eq(st->tx_offload, 1);
    /* packet offload cannot step aside: refused packets are dropped with a reason */
    cr_assert_eq(nd_xmit(g.nd, v4opt, lo, &pk), -EINVAL);
    cr_assert_eq(nd_xmit(g.nd, big, lb, &pk), -EMSGSIZE);
    rig_down(&g);
}

/* ---- interface down, reset ---------------------------------------------------------------------- */

Test(drv_linux, interface_down_deletes_and_frees_every_sa)
{
    struct nicsim_params p = params();
    struct rig g;
    rig_up(&g, &p, 0, false);
    struct nd_xfrm_state x[4];
    struct nd_xfrm_algo_aead a[4];
    for (int i = 0; i < 4; i++)
        sa_pair(&x[i], &a[i], 0x100 + (uint32_t)i, 16, ND_XFRM_MODE_TRANSPORT, false);
    cr_assert_eq(nd_xfrm_state_add(g.nd, &x[0], 2, ND_XFRM_DEV_OFFLOAD_CRYPTO, NULL), 0);
    cr_assert_eq(nd_xfrm_state_add(g.nd, &x[1], 1, ND_XFRM_DEV_OFFLOAD_CRYPTO, NULL), 0);
    cr_assert_eq(nd_xfrm_state_add(g.nd, &x[2], 2, ND_XFRM_DEV_OFFLOAD_PACKET, NULL), 0);
    cr_assert_eq(nd_xfrm_state_add(g.nd, &x[3], 2, 0, NULL), 0); /* software */
    cr_assert_eq(nd_sa_count(g.dev), 3);
    nd_netdev_down(g.nd);
    cr_assert_eq(nd_sa_count(g.dev), 0, "shadow empty");
    for (int i = 0; i < 3; i++) {
        cr_assert_eq(x[i].km.state, ND_XFRM_STATE_DEAD);
        cr_assert_null(x[i].xso.dev);
        cr_assert_eq(x[i].xso.offload_handle, 0);
    }
    cr_assert_eq(x[3].km.state, ND_XFRM_STATE_VALID, "software SAs are not the device's");
    cr_assert_not(nd_dev_is_open(g.dev));
    /* the card holds nothing: every slot can be installed again after up */
    uint32_t resp[4];
    struct nd_mbox_req r = {.cmd = 0x01};
    cr_assert_eq(nd_mbox_exec(g.bus, &r, resp, 1000000, NULL), 0);
    cr_assert_eq(resp[1] + resp[2], 0, "card SAs in use: %u rx %u tx", resp[1], resp[2]);
    cr_assert_eq(nd_xmit(g.nd, (const uint8_t *)"x", 1, &x[0]), -ENOENT);
    rig_down(&g);
}

static void reset_restores(enum nd_reset_kind kind)
{
    struct nicsim_params p = params();
    struct rig g;
    rig_up(&g, &p, 0, false);
    struct nd_xfrm_state co, ci, po, pi;
    struct nd_xfrm_algo_aead a[4];
    sa_pair(&co, &a[0], 0x21, 16, ND_XFRM_MODE_TRANSPORT, true);
    sa_pair(&ci, &a[1], 0x21, 16, ND_XFRM_MODE_TRANSPORT, true);
    sa_pair(&po, &a[2], 0x22, 32, ND_XFRM_MODE_TUNNEL, false);
    sa_pair(&pi, &a[3], 0x22, 32, ND_XFRM_MODE_TUNNEL, false);
    cr_assert_eq(nd_xfrm_state_add(g.nd, &co, 2, ND_XFRM_DEV_OFFLOAD_CRYPTO, NULL), 0);
    cr_assert_eq(nd_xfrm_state_add(g.nd, &ci, 1, ND_XFRM_DEV_OFFLOAD_CRYPTO, NULL), 0);
    cr_assert_eq(nd_xfrm_state_add(g.nd, &po, 2, ND_XFRM_DEV_OFFLOAD_PACKET, NULL), 0);
    cr_assert_eq(nd_xfrm_state_add(g.nd, &pi, 1, ND_XFRM_DEV_OFFLOAD_PACKET, NULL), 0);
    traffic(&g, &co, &ci, 10, 1, true);
    traffic(&g, &po, &pi, 10, 2, true);
    char before[2048], after[2048];
    cr_assert_gt(nd_xfrm_dump(g.nd, before, sizeof(before)), 0);
    uint64_t h[4] = {co.xso.offload_handle, ci.xso.offload_handle, po.xso.offload_handle,
                     pi.xso.offload_handle};
    cr_assert_eq(nd_netdev_reset(g.nd, kind), 0);
    cr_assert_eq(nd_dev_stats(g.dev)->sa_restored, 4);
    cr_assert_eq(co.xso.offload_handle, h[0], "handles survive the reset");
    cr_assert_eq(pi.xso.offload_handle, h[3]);
    cr_assert_eq(h[1] + h[2], ci.xso.offload_handle + po.xso.offload_handle);
    cr_assert_gt(nd_xfrm_dump(g.nd, after, sizeof(after)), 0);
    /* netdevsim's tx counter moved on; the SA lines must be identical */
    cr_assert_str_eq(strchr(before, '\n'), strchr(after, '\n'));
    /* traffic resumes: crypto SNs continue from the stack, packet SNs are never reused */
    traffic(&g, &co, &ci, 10, 3, true);
    size_t w0 = g.wire.n, r0 = g.rx.n;
    struct pktgen pg;
    pktgen_seed(&pg, 4);
    uint8_t pkt[600];
    size_t len = mkpkt(&pg, pkt, 300, 0);
    for (int i = 0; i < 5; i++)
        send(&g, pkt, len, &po);
    cr_assert(nd_dev_run(g.dev, 10000000));
    cr_assert_eq(g.wire.n - w0, 5);
    for (size_t i = w0; i < g.wire.n; i++) {
        const uint8_t *esp = g.wire.d[i] + 20; /* outer IPv4 */
        uint32_t sn = (uint32_t)esp[4] << 24 | (uint32_t)esp[5] << 16 | esp[6] << 8 | esp[7];
        cr_assert_gt(sn, 10, "SN %u after a reset reuses one sent before", sn);
    }
    loop_back(&g, w0);
    cr_assert_eq(g.rx.n - r0, 5);
    cr_assert(memcmp(g.rx.d[r0], pkt, len) == 0);
    /* the software window of the crypto-offload SA survives: old frames are replays */
    uint64_t rp = nd_netdev_stats(g.nd)->rx_replay;
    for (size_t i = 0; i < 10; i++)
        while (nic_wire_rx(nd_bus_model_nic(g.bus), g.wire.d[i], g.wire.len[i]) == -EAGAIN)
            nd_dev_run(g.dev, 10000);
    cr_assert(nd_dev_run(g.dev, 10000000));
    cr_assert_eq(nd_netdev_stats(g.nd)->rx_replay - rp, 10);
    rig_down(&g);
}

Test(drv_linux, mailbox_reset_restores_every_sa)
{
    reset_restores(ND_RESET_MBOX);
}
Test(drv_linux, flr_restores_every_sa_and_the_rings)
{
    reset_restores(ND_RESET_FLR);
}

/* ---- delete with packets in flight --------------------------------------------------------------- */

Test(drv_linux, delete_with_packets_in_flight_loses_none)
{
    struct nicsim_params p = params();
    struct rig g;
    rig_up(&g, &p, 0, false);
    struct nd_xfrm_algo_aead *a = malloc(2 * sizeof(*a));
    struct nd_xfrm_state *x = malloc(2 * sizeof(*x));
    sa_pair(&x[0], &a[0], 0x31, 16, ND_XFRM_MODE_TRANSPORT, false);
    sa_pair(&x[1], &a[1], 0x32, 16, ND_XFRM_MODE_TRANSPORT, false);
    cr_assert_eq(nd_xfrm_state_add(g.nd, &x[0], 2, ND_XFRM_DEV_OFFLOAD_CRYPTO, NULL), 0);
    cr_assert_eq(nd_xfrm_state_add(g.nd, &x[1], 2, ND_XFRM_DEV_OFFLOAD_PACKET, NULL), 0);
    struct pktgen pg;
    pktgen_seed(&pg, 8);
    static uint8_t pkts[60][1600];
    size_t lens[60];
    for (int i = 0; i < 60; i++) {
        lens[i] = mkpkt(&pg, pkts[i], 60 + pktgen_below(&pg, 1400), 0);
        cr_assert_eq(nd_xmit(g.nd, pkts[i], lens[i], &x[i % 2]), 0, "ring has room");
    }
    struct nd_sa_info in;
    cr_assert_eq(nd_sa_info(g.dev, (int)(uint32_t)x[0].xso.offload_handle - 1, &in), 0);
    cr_assert_gt(in.tx_inflight, 0, "nothing ran yet");
    /* delete both while their descriptors are queued: delete, drain, free */
    cr_assert_eq(nd_xfrm_state_delete(g.nd, &x[0]), 0);
    cr_assert_eq(nd_xfrm_state_delete(g.nd, &x[1]), 0);
    cr_assert_eq(nd_sa_count(g.dev), 0);
    struct nd_xfrm_state keep0 = x[0];
    free(x); /* the stack frees the states: the driver must not touch them again */
    free(a);
    cr_assert(nd_dev_run(g.dev, 10000000));
    cr_assert_eq(g.wire.n, 60, "%zu of 60 frames sent", g.wire.n);
    const struct nd_netdev_stats *st = nd_netdev_stats(g.nd);
    cr_assert_eq(st->tx_completed, 60);
    cr_assert_eq(st->tx_failed, 0);
    for (int i = 0; i < 60; i += 2)
        expect_gold(&keep0, (uint64_t)i / 2 + 1, pkts[i], lens[i], g.wire.d[i], g.wire.len[i]);
    cr_assert_eq(nd_dev_stats(g.dev)->tx_errors, 0);
    rig_down(&g);
}

Test(drv_linux, rx_sa_deleted_with_packets_in_flight)
{
    struct nicsim_params p = params();
    struct rig g;
    rig_up(&g, &p, 0, false);
    struct nd_xfrm_state out, *in = malloc(sizeof(*in));
    struct nd_xfrm_algo_aead ao, *ai = malloc(sizeof(*ai));
    sa_pair(&out, &ao, 0x41, 16, ND_XFRM_MODE_TRANSPORT, false);
    sa_pair(in, ai, 0x41, 16, ND_XFRM_MODE_TRANSPORT, false);
    cr_assert_eq(nd_xfrm_state_add(g.nd, &out, 2, 0, NULL), 0); /* software TX */
    cr_assert_eq(nd_xfrm_state_add(g.nd, in, 1, ND_XFRM_DEV_OFFLOAD_CRYPTO, NULL), 0);
    struct pktgen pg;
    pktgen_seed(&pg, 9);
    uint8_t pkt[600];
    size_t len = mkpkt(&pg, pkt, 500, 0);
    for (int i = 0; i < 8; i++)
        send(&g, pkt, len, &out);
    cr_assert(nd_dev_run(g.dev, 10000000));
    for (size_t i = 0; i < g.wire.n; i++)
        while (nic_wire_rx(nd_bus_model_nic(g.bus), g.wire.d[i], g.wire.len[i]) == -EAGAIN)
            nd_bus_run(g.bus, 50); /* the card's pipeline fills; nothing is reaped yet */
    cr_assert_eq(nd_xfrm_state_delete(g.nd, in), 0);
    free(in);
    free(ai);
    cr_assert(nd_dev_run(g.dev, 10000000));
    const struct nd_netdev_stats *st = nd_netdev_stats(g.nd);
    cr_assert_eq(st->rx_state_invalid, 8, "every packet accounted: %lu ok %lu invalid "
                 "%lu no state %lu bad", (unsigned long)st->rx_offload,
                 (unsigned long)st->rx_state_invalid, (unsigned long)st->rx_no_state,
                 (unsigned long)st->rx_bad_syntax);
    cr_assert_eq(g.rx.n, 0, "nothing of a deleted SA reaches the stack");
    rig_down(&g);
}

/* ---- software replay checking for crypto offload -------------------------------------------------- */

Test(drv_linux, crypto_offload_replay_is_checked_in_software)
{
    struct nicsim_params p = params();
    struct rig g;
    rig_up(&g, &p, 0, false);
    struct nd_xfrm_state out, in;
    struct nd_xfrm_algo_aead ao, ai;
    sa_pair(&out, &ao, 0x51, 16, ND_XFRM_MODE_TRANSPORT, false);
    sa_pair(&in, &ai, 0x51, 16, ND_XFRM_MODE_TRANSPORT, false);
    in.props.replay_window = 32;
    cr_assert_eq(nd_xfrm_state_add(g.nd, &out, 2, ND_XFRM_DEV_OFFLOAD_CRYPTO, NULL), 0);
    cr_assert_eq(nd_xfrm_state_add(g.nd, &in, 1, ND_XFRM_DEV_OFFLOAD_CRYPTO, NULL), 0);
    traffic(&g, &out, &in, 40, 11, true);
    /* replay frame 39 (SN 40, seen) and frame 3 (SN 4, left of the 32-packet window) */
    nic_wire_rx(nd_bus_model_nic(g.bus), g.wire.d[39], g.wire.len[39]);
    nic_wire_rx(nd_bus_model_nic(g.bus), g.wire.d[3], g.wire.len[3]);
    cr_assert(nd_dev_run(g.dev, 10000000));
    const struct nd_netdev_stats *st = nd_netdev_stats(g.nd);
    cr_assert_eq(st->rx_offload, 40);
    cr_assert_eq(st->rx_replay, 2);
    cr_assert_eq(in.replay_esn.seq, 40);
    /* a corrupted frame: the card reports the auth failure, the stack drops it */
    uint8_t bad[2000];
    memcpy(bad, g.wire.d[0], g.wire.len[0]);
    bad[g.wire.len[0] - 1] ^= 1;
    bad[24 + 3] = 99; /* a fresh SN (offset of the SN low byte in transport IPv4) */
    nic_wire_rx(nd_bus_model_nic(g.bus), bad, g.wire.len[0]);
    cr_assert(nd_dev_run(g.dev, 10000000));
    cr_assert_eq(st->rx_auth_failed, 1);
    rig_down(&g);
}

/* The firmware stand-in of the model backend speaks the same protocol as the card's firmware. */
Test(drv_linux, firmware_stand_in_and_card_firmware_agree)
{
    for (uint8_t fw = ND_FW_STUB; fw <= ND_FW_DEVICE; fw++) {
        struct nicsim_params p = params();
        struct rig g;
        rig_up_fw(&g, &p, 0, false, fw);
        cr_assert_eq(nd_bus_model_stubbed(g.bus), fw == ND_FW_STUB);
        struct nd_xfrm_state out, in;
        struct nd_xfrm_algo_aead ao, ai;
        sa_pair(&out, &ao, 0x61, 32, ND_XFRM_MODE_TUNNEL, true);
        sa_pair(&in, &ai, 0x61, 32, ND_XFRM_MODE_TUNNEL, true);
        cr_assert_eq(nd_xfrm_state_add(g.nd, &out, 2, ND_XFRM_DEV_OFFLOAD_CRYPTO, NULL), 0);
        cr_assert_eq(nd_xfrm_state_add(g.nd, &in, 1, ND_XFRM_DEV_OFFLOAD_CRYPTO, NULL), 0);
        traffic(&g, &out, &in, 8, 21, true);
        cr_assert_eq(nd_netdev_reset(g.nd, ND_RESET_MBOX), 0);
        traffic(&g, &out, &in, 8, 22, true);
        uint64_t pk = 0, by = 0;
        cr_assert_eq(nd_sa_stats(g.dev, (int)(uint32_t)in.xso.offload_handle - 1, &pk, &by), 0);
        cr_assert_eq(pk, 16, "card counters survive the reset in the shadow");
        rig_down(&g);
    }
}

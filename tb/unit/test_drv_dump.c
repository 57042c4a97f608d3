/* test_drv_dump.c - the netdevsim-format debug dump of the Linux personality: exact text after
 * adds, after traffic (the tx counter) and after a flush; IPv6 address words; truncation.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "nd_bus_model.h"
#include "nd_xfrm.h"
#include "nicsim/nicsim.h"
#include "pktgen.h"

struct rig {
    struct nd_bus *bus;
    struct nd_dev *dev;
    struct nd_netdev *nd;
};

static void rig_up(struct rig *g)
{
    struct nicsim_params p;
    nicsim_params_default(&p);
    p.tx_ring_size = p.rx_ring_size = 64;
    char err[200];
    g->bus = nd_bus_model_create(&p, NULL, err, sizeof(err));
    cr_assert(g->bus, "%s", err);
    struct nd_dev_cfg dc;
    nd_dev_cfg_default(&dc);
    dc.tx_ring = dc.rx_ring = 64;
    cr_assert_eq(nd_dev_probe(g->bus, &dc, &g->dev, err, sizeof(err)), 0, "%s", err);
    cr_assert_eq(nd_dev_open(g->dev), 0);
    g->nd = nd_netdev_create(g->dev, NULL);
    cr_assert(g->nd);
}

static void rig_down(struct rig *g)
{
    nd_netdev_destroy(g->nd);
    nd_dev_remove(g->dev);
    nd_bus_destroy(g->bus);
}

static const uint8_t A4[4] = {10, 0, 0, 1}, B4[4] = {10, 0, 0, 2};

static void sa(struct nd_xfrm_state *x, struct nd_xfrm_algo_aead *a, int family,
               const uint8_t *src, const uint8_t *dst, uint32_t spi)
{
    uint8_t km[20];
    for (unsigned i = 0; i < sizeof(km); i++)
        km[i] = (uint8_t)i;
    nd_xfrm_state_init(x, a, family, src, dst, spi, ND_XFRM_MODE_TRANSPORT, km, sizeof(km), 128);
}

static const char after_add[] =
    "SA count=2 tx=0\n"
    "sa[0] tx ipaddr=0x00000000 00000000 00000000 00000000\n"
    "sa[0]    spi=0x00000007 proto=0x32 salt=0x13121110 crypt=1\n"
    "sa[0]    key=0x03020100 07060504 0b0a0908 0f0e0d0c\n"
    "sa[1] rx ipaddr=0x00000000 00000000 00000000 0200000a\n"
    "sa[1]    spi=0x00000007 proto=0x32 salt=0x13121110 crypt=1\n"
    "sa[1]    key=0x03020100 07060504 0b0a0908 0f0e0d0c\n";

Test(drv_dump, netdevsim_text_after_add_traffic_and_flush)
{
    struct rig g;
    rig_up(&g);
    struct nd_xfrm_state out, in, sw;
    struct nd_xfrm_algo_aead ao, ai, as;
    sa(&out, &ao, ND_AF_INET, A4, B4, 7);
    sa(&in, &ai, ND_AF_INET, A4, B4, 7);
    sa(&sw, &as, ND_AF_INET, A4, B4, 8);
    cr_assert_eq(nd_xfrm_state_add(g.nd, &out, 2, ND_XFRM_DEV_OFFLOAD_CRYPTO, NULL), 0);
    cr_assert_eq(nd_xfrm_state_add(g.nd, &in, 1, ND_XFRM_DEV_OFFLOAD_CRYPTO, NULL), 0);
    cr_assert_eq(nd_xfrm_state_add(g.nd, &sw, 2, 0, NULL), 0); /* software: not in the dump */
    char buf[4096];
    cr_assert_eq(nd_xfrm_dump(g.nd, buf, sizeof(buf)), (int)strlen(after_add));
    cr_assert_str_eq(buf, after_add);

    struct pktgen pg;
    pktgen_seed(&pg, 1);
    uint8_t pkt[400];
    size_t len = pktgen_ip(&pg, pkt, 300, false, 0, 1);
    for (int i = 0; i < 5; i++)
        cr_assert_eq(nd_xmit(g.nd, pkt, len, &out), 0);
    for (int i = 0; i < 3; i++)
        cr_assert_eq(nd_xmit(g.nd, pkt, len, &sw), 0); /* software packets are not counted */
    cr_assert(nd_dev_run(g.dev, 10000000));
    cr_assert_eq(nd_xfrm_dump(g.nd, buf, sizeof(buf)), (int)strlen(after_add));
    cr_assert_eq(strncmp(buf, "SA count=2 tx=5\n", 16), 0, "%s", buf);
    cr_assert_str_eq(buf + 16, after_add + 16);

    /* deleting one SA removes its lines; the index of the other stays */
    cr_assert_eq(nd_xfrm_state_delete(g.nd, &out), 0);
    cr_assert_gt(nd_xfrm_dump(g.nd, buf, sizeof(buf)), 0);
    cr_assert_eq(strncmp(buf, "SA count=1 tx=5\nsa[1] rx", 24), 0, "%s", buf);

    nd_netdev_down(g.nd); /* flush */
    cr_assert_eq(nd_xfrm_dump(g.nd, buf, sizeof(buf)), 16);
    cr_assert_str_eq(buf, "SA count=0 tx=5\n");
    rig_down(&g);
}

Test(drv_dump, ipv6_address_words_and_truncation)
{
    struct rig g;
    rig_up(&g);
    static const uint8_t s6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 2};
    static const uint8_t d6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 1};
    struct nd_xfrm_state in;
    struct nd_xfrm_algo_aead ai;
    sa(&in, &ai, ND_AF_INET6, s6, d6, 0xabcdef01u);
    cr_assert_eq(nd_xfrm_state_add(g.nd, &in, 1, ND_XFRM_DEV_OFFLOAD_CRYPTO, NULL), 0);
    char buf[512];
    cr_assert_gt(nd_xfrm_dump(g.nd, buf, sizeof(buf)), 0);
    cr_assert_str_eq(buf, "SA count=1 tx=0\n"
                          "sa[0] rx ipaddr=0xb80d0120 00000000 00000000 01000000\n"
                          "sa[0]    spi=0xabcdef01 proto=0x32 salt=0x13121110 crypt=1\n"
                          "sa[0]    key=0x03020100 07060504 0b0a0908 0f0e0d0c\n");
    char small[20];
    cr_assert_eq(nd_xfrm_dump(g.nd, small, sizeof(small)), -ENOSPC);
    cr_assert_eq(strlen(small), sizeof(small) - 1, "truncated, terminated");
    rig_down(&g);
}

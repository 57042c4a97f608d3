/* test_drv_bsd.c - the FreeBSD personality: asynchronous install through the work queue
 * (software until drained, refused installs stay in software), de-install, hwassist, sa_cnt
 * absolute counters and the stack's deltas (across a device reset), interface down.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "esp_golden.h"
#include "nd_bsd.h"
#include "nd_bus_model.h"
#include "nicsim/nicsim.h"
#include "pktgen.h"

#define MAXF 256

struct rig {
    struct nd_bus *bus;
    struct nd_dev *dev;
    struct nd_bsd_sc *sc;
    uint8_t *wire[MAXF];
    size_t wlen[MAXF], nw;
    size_t nrx, rx_hw, rx_sw;
    uint8_t last_rx[2000];
    size_t last_len;
};

static void on_wire(void *user, const uint8_t *f, size_t len, uint64_t cycle)
{
    (void)cycle;
    struct rig *g = user;
    cr_assert_lt(g->nw, MAXF);
    g->wire[g->nw] = malloc(len);
    memcpy(g->wire[g->nw], f, len);
    g->wlen[g->nw++] = len;
}

static void on_rx(void *user, const struct nd_bsd_rx *r)
{
    struct rig *g = user;
    g->nrx++;
    g->rx_hw += r->drv_spi != 0;
    g->rx_sw += r->software;
    memcpy(g->last_rx, r->pkt, r->len < sizeof(g->last_rx) ? r->len : sizeof(g->last_rx));
    g->last_len = r->len;
}

static void rig_up(struct rig *g, uint32_t sa_entries)
{
    memset(g, 0, sizeof(*g));
    struct nicsim_params p;
    nicsim_params_default(&p);
    p.tx_ring_size = p.rx_ring_size = 64;
    p.rx_sa_entries = p.tx_sa_entries = sa_entries;
    char err[200];
    g->bus = nd_bus_model_create(&p, NULL, err, sizeof(err));
    cr_assert(g->bus, "%s", err);
    nd_bus_model_set_wire(g->bus, on_wire, g);
    struct nd_dev_cfg dc;
    nd_dev_cfg_default(&dc);
    dc.tx_ring = dc.rx_ring = 64;
    cr_assert_eq(nd_dev_probe(g->bus, &dc, &g->dev, err, sizeof(err)), 0, "%s", err);
    cr_assert_eq(nd_dev_open(g->dev), 0);
    g->sc = nd_bsd_attach(g->dev);
    cr_assert(g->sc);
    nd_bsd_set_rx(g->sc, on_rx, g);
}

static void rig_down(struct rig *g)
{
    nd_bsd_detach(g->sc);
    nd_dev_remove(g->dev);
    nd_bus_destroy(g->bus);
    for (size_t i = 0; i < g->nw; i++)
        free(g->wire[i]);
}

static const uint8_t A4[4] = {10, 0, 0, 1}, B4[4] = {10, 0, 0, 2};

static void mksav(struct nd_bsd_sav *s, uint8_t dir, uint32_t spi)
{
    memset(s, 0, sizeof(*s));
    s->spi = spi;
    s->family = ND_BSD_AF_INET;
    memcpy(s->src, A4, 4);
    memcpy(s->dst, B4, 4);
    s->dir = dir;
    s->replay_window = 64;
    s->keymat_len = 20;
    s->icv_len = 16;
    for (unsigned i = 0; i < 20; i++)
        s->keymat[i] = (uint8_t)(spi + i * 3);
}

static size_t mkpkt(struct pktgen *pg, uint8_t *buf, size_t len)
{
    size_t n = pktgen_ip(pg, buf, len, false, 0, 1);
    memcpy(buf + 12, A4, 4);
    memcpy(buf + 16, B4, 4);
    buf[10] = buf[11] = 0;
    uint32_t sum = 0;
    for (size_t i = 0; i < 20; i += 2)
        sum += (uint32_t)(buf[i] << 8 | buf[i + 1]);
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    buf[10] = (uint8_t)(~sum >> 8);
    buf[11] = (uint8_t)~sum;
    return n;
}

static void loop_back(struct rig *g, size_t from)
{
    for (size_t i = from; i < g->nw; i++)
        while (nic_wire_rx(nd_bus_model_nic(g->bus), g->wire[i], g->wlen[i]) == -EAGAIN)
            nd_dev_run(g->dev, 10000);
    cr_assert(nd_dev_run(g->dev, 10000000));
}

static void be64(uint8_t *b, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        b[i] = (uint8_t)(v >> (56 - 8 * i));
}

Test(drv_bsd, async_install_software_until_drained)
{
    struct rig g;
    rig_up(&g, 1024);
    struct nd_bsd_sav out, in;
    mksav(&out, ND_BSD_DIR_OUTBOUND, 0x700);
    mksav(&in, ND_BSD_DIR_INBOUND, 0x700);
    cr_assert_eq(nd_bsd_sa_add(g.sc, &out), 0);
    cr_assert_eq(nd_bsd_sa_add(g.sc, &in), 0);
    cr_assert_eq(nd_bsd_queued(g.sc), 2, "installs wait on the work queue");
    cr_assert_eq(out.accel_flags, ND_BSD_ACCEL_PENDING);
    cr_assert_eq(nd_sa_count(g.dev), 0, "the driver has not been called");
    struct pktgen pg;
    pktgen_seed(&pg, 2);
    uint8_t pkt[800];
    size_t len = mkpkt(&pg, pkt, 600);
    /* before the work ran: software, with the stack's SNs 1..3 */
    for (int i = 0; i < 3; i++)
        cr_assert_eq(nd_bsd_output(g.sc, pkt, len, &out), 0);
    cr_assert(nd_dev_run(g.dev, 10000000));
    cr_assert_eq(nd_bsd_stats(g.sc)->tx_sw, 3);
    uint8_t exp[1000], iv[8];
    size_t elen;
    be64(iv, 1);
    cr_assert_eq(gold_encap(&out.gsa, 1, iv, pkt, len, exp, sizeof(exp), &elen), GOLD_OK);
    cr_assert_eq(g.wlen[0], elen);
    cr_assert(memcmp(g.wire[0], exp, elen) == 0);
    loop_back(&g, 0);
    cr_assert_eq(g.rx_sw, 3);

    cr_assert_eq(nd_bsd_drain(g.sc), 2);
    cr_assert_eq(out.accel_flags, ND_BSD_ACCEL_INST);
    cr_assert_neq(out.drv_spi, 0);
    cr_assert_neq(out.drv_spi, in.drv_spi, "16-bit driver handles are distinct");
    cr_assert_eq(nd_sa_count(g.dev), 2);
    cr_assert_eq(nd_bsd_methods(g.sc)->if_hwassist(g.sc, NULL, out.drv_spi, out.priv),
                 ND_BSD_HWASSIST_IPSEC, "hwassist works without the sav");
    /* installed: the card numbers on from the stack's counter (SN 4, 5, ...) */
    size_t w0 = g.nw;
    for (int i = 0; i < 5; i++)
        cr_assert_eq(nd_bsd_output(g.sc, pkt, len, &out), 0);
    cr_assert(nd_dev_run(g.dev, 10000000));
    cr_assert_eq(nd_bsd_stats(g.sc)->tx_hw, 5);
    be64(iv, 4);
    cr_assert_eq(gold_encap(&out.gsa, 4, iv, pkt, len, exp, sizeof(exp), &elen), GOLD_OK);
    cr_assert(g.wlen[w0] == elen && memcmp(g.wire[w0], exp, elen) == 0, "first hw SN is 4");
    loop_back(&g, w0);
    cr_assert_eq(g.rx_hw, 5);
    cr_assert_eq(g.last_len, len);
    cr_assert(memcmp(g.last_rx, pkt, len) == 0);

    /* de-install: flag now, driver call on the queue */
    cr_assert_eq(nd_bsd_sa_delete(g.sc, &out), 0);
    cr_assert(out.accel_flags & ND_BSD_ACCEL_DEINST);
    cr_assert_eq(nd_bsd_output(g.sc, pkt, len, &out), -EINVAL, "no output after delete");
    cr_assert_eq(nd_bsd_queued(g.sc), 1);
    cr_assert_eq(nd_sa_count(g.dev), 2, "the driver still holds it");
    nd_bsd_drain(g.sc);
    cr_assert_eq(nd_sa_count(g.dev), 1);
    rig_down(&g);
}

Test(drv_bsd, delete_before_the_install_ran_never_reaches_the_driver)
{
    struct rig g;
    rig_up(&g, 1024);
    struct nd_bsd_sav out;
    mksav(&out, ND_BSD_DIR_OUTBOUND, 0x701);
    cr_assert_eq(nd_bsd_sa_add(g.sc, &out), 0);
    cr_assert_eq(nd_bsd_sa_delete(g.sc, &out), 0);
    nd_bsd_drain(g.sc);
    cr_assert_eq(nd_bsd_stats(g.sc)->newkey_ok, 0);
    cr_assert_eq(nd_sa_count(g.dev), 0);
    rig_down(&g);
}

Test(drv_bsd, refused_install_stays_in_software)
{
    struct rig g;
    rig_up(&g, 1);
    struct nd_bsd_sav a, b;
    mksav(&a, ND_BSD_DIR_OUTBOUND, 0x702);
    mksav(&b, ND_BSD_DIR_OUTBOUND, 0x703);
    cr_assert_eq(nd_bsd_sa_add(g.sc, &a), 0);
    cr_assert_eq(nd_bsd_sa_add(g.sc, &b), 0);
    nd_bsd_drain(g.sc);
    cr_assert_eq(a.accel_flags, ND_BSD_ACCEL_INST);
    cr_assert_eq(b.accel_flags, 0);
    cr_assert_eq(b.accel_error, ENOSPC, "FreeBSD methods return positive errno");
    struct pktgen pg;
    pktgen_seed(&pg, 3);
    uint8_t pkt[400];
    size_t len = mkpkt(&pg, pkt, 300);
    cr_assert_eq(nd_bsd_output(g.sc, pkt, len, &b), 0);
    cr_assert_eq(nd_bsd_stats(g.sc)->tx_sw, 1);
    rig_down(&g);
}

Test(drv_bsd, sa_cnt_absolute_counters_and_stack_deltas)
{
    struct rig g;
    rig_up(&g, 1024);
    struct nd_bsd_sav out;
    mksav(&out, ND_BSD_DIR_OUTBOUND, 0x704);
    cr_assert_eq(nd_bsd_sa_add(g.sc, &out), 0);
    nd_bsd_drain(g.sc);
    struct pktgen pg;
    pktgen_seed(&pg, 4);
    uint8_t pkt[400];
    size_t len = mkpkt(&pg, pkt, 300);
    for (int i = 0; i < 4; i++)
        cr_assert_eq(nd_bsd_output(g.sc, pkt, len, &out), 0);
    cr_assert(nd_dev_run(g.dev, 10000000));
    struct nd_seclifetime lt;
    cr_assert_eq(nd_bsd_methods(g.sc)->if_sa_cnt(g.sc, &out, out.drv_spi, out.priv, &lt), 0);
    cr_assert_eq(lt.allocations, 4);
    uint64_t per = lt.bytes / 4;
    cr_assert_gt(per, len, "the card counts bytes on the wire");
    cr_assert_eq(nd_bsd_sa_lifetime_update(g.sc, &out), 0);
    cr_assert_eq(out.lft_c.allocations, 4);
    cr_assert_eq(nd_bsd_sa_lifetime_update(g.sc, &out), 0);
    cr_assert_eq(out.lft_c.allocations, 4, "asking twice adds nothing");
    for (int i = 0; i < 3; i++)
        cr_assert_eq(nd_bsd_output(g.sc, pkt, len, &out), 0);
    cr_assert(nd_dev_run(g.dev, 10000000));
    /* a device reset loses the card's counters; the driver keeps them absolute */
    cr_assert_eq(nd_bsd_reset(g.sc, ND_RESET_MBOX), 0);
    for (int i = 0; i < 2; i++)
        cr_assert_eq(nd_bsd_output(g.sc, pkt, len, &out), 0);
    cr_assert(nd_dev_run(g.dev, 10000000));
    cr_assert_eq(nd_bsd_methods(g.sc)->if_sa_cnt(g.sc, &out, out.drv_spi, out.priv, &lt), 0);
    cr_assert_eq(lt.allocations, 9);
    cr_assert_eq(nd_bsd_sa_lifetime_update(g.sc, &out), 0);
    cr_assert_eq(out.lft_c.allocations, 9);
    cr_assert_eq(out.lft_c.bytes, 9 * per);
    rig_down(&g);
}

Test(drv_bsd, interface_down_deinstalls_everything)
{
    struct rig g;
    rig_up(&g, 1024);
    struct nd_bsd_sav s[3];
    mksav(&s[0], ND_BSD_DIR_OUTBOUND, 0x710);
    mksav(&s[1], ND_BSD_DIR_INBOUND, 0x710);
    mksav(&s[2], ND_BSD_DIR_OUTBOUND, 0x711);
    for (int i = 0; i < 3; i++)
        cr_assert_eq(nd_bsd_sa_add(g.sc, &s[i]), 0);
    nd_bsd_drain(g.sc);
    cr_assert_eq(nd_sa_count(g.dev), 3);
    nd_dev_down(g.dev);
    cr_assert_eq(nd_sa_count(g.dev), 0);
    for (int i = 0; i < 3; i++)
        cr_assert_eq(s[i].accel_flags, ND_BSD_ACCEL_DEINST);
    rig_down(&g);
}

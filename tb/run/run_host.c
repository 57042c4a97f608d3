/* run_host.c - one simulated host for `nicsim run` (see run_host.h). */
#include "run_host.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static run_host_attach_fn attach_fn;
static void *attach_ctx;

void run_host_set_attach(run_host_attach_fn fn, void *ctx)
{
    attach_fn = fn;
    attach_ctx = ctx;
}

static void on_rx(void *user, const struct nd_xfrm_rx *rx)
{
    struct run_host *h = user;
    h->rx_count++;
    if (rx->x)
        h->rx_ipsec++;
    if (rx->software)
        h->rx_software++;
    if (h->rx)
        h->rx(h->rx_user, rx->pkt, rx->len, rx->x != NULL, nd_bus_cycle(h->bus));
}

int run_host_init(struct run_host *h, const char *name, const struct nicsim_params *p,
                  char *err, size_t errlen)
{
    memset(h, 0, sizeof(*h));
    h->name = name;
    struct nd_bus_model_cfg bcfg = {0};
    h->bus = nd_bus_model_create(p, &bcfg, err, errlen);
    if (!h->bus)
        return -1;
    if (attach_fn && attach_fn(attach_ctx, h, p, err, errlen)) {
        run_host_fini(h);
        return -1;
    }
    struct nd_dev_cfg dcfg;
    nd_dev_cfg_default(&dcfg);
    if (nd_dev_probe(h->bus, &dcfg, &h->dev, err, errlen) || nd_dev_open(h->dev)) {
        if (!err[0])
            snprintf(err, errlen, "%s: cannot open the device", name);
        run_host_fini(h);
        return -1;
    }
    struct nd_netdev_cfg ncfg = {false};
    h->nd = nd_netdev_create(h->dev, &ncfg);
    if (!h->nd) {
        snprintf(err, errlen, "%s: out of memory", name);
        run_host_fini(h);
        return -1;
    }
    nd_netdev_set_rx(h->nd, on_rx, h);
    return 0;
}

void run_host_fini(struct run_host *h)
{
    if (h->nd)
        nd_netdev_destroy(h->nd); /* interface down: deletes and frees every SA */
    for (unsigned i = 0; i < h->nsa; i++) {
        free(h->sa[i]);
        free(h->aead[i]);
    }
    if (h->dev)
        nd_dev_remove(h->dev);
    if (h->bus)
        nd_bus_destroy(h->bus);
    memset(h, 0, sizeof(*h));
}

int run_host_add_sa(struct run_host *h, const struct xfrm_script_sa *s, const char *script,
                    unsigned line, char *err, size_t errlen)
{
    if (h->nsa == RUN_HOST_MAX_SA) {
        snprintf(err, errlen, "%s:%u: more than %u SAs", script, line, RUN_HOST_MAX_SA);
        return -1;
    }
    struct nd_xfrm_state *x = calloc(1, sizeof(*x));
    struct nd_xfrm_algo_aead *a = calloc(1, sizeof(*a));
    if (!x || !a) {
        free(x);
        free(a);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    int fam = s->family == 10 ? ND_AF_INET6 : ND_AF_INET;
    nd_xfrm_state_init(x, a, fam, s->src, s->dst, s->spi,
                       s->mode == XFRM_SCRIPT_TUNNEL ? ND_XFRM_MODE_TUNNEL
                                                     : ND_XFRM_MODE_TRANSPORT,
                       s->keymat, s->keymat_len, s->icv_bits);
    x->props.reqid = s->reqid;
    x->props.replay_window = s->replay_window;
    x->replay_esn.replay_window = s->replay_window;
    if (s->esn)
        x->props.flags |= ND_XFRM_STATE_ESN;
    x->replay_esn.oseq = (uint32_t)s->oseq;
    x->replay_esn.oseq_hi = (uint32_t)(s->oseq >> 32);
    x->replay_esn.seq = (uint32_t)s->seq;
    x->replay_esn.seq_hi = (uint32_t)(s->seq >> 32);
    uint8_t dir = s->dir == XFRM_SCRIPT_DIR_IN ? ND_XFRM_DEV_OFFLOAD_IN : ND_XFRM_DEV_OFFLOAD_OUT;
    uint8_t off = !s->offload.present ? 0
                  : s->offload.type == XFRM_SCRIPT_OFFLOAD_PACKET ? ND_XFRM_DEV_OFFLOAD_PACKET
                                                                   : ND_XFRM_DEV_OFFLOAD_CRYPTO;
    const char *extack = NULL;
    int rc = nd_xfrm_state_add(h->nd, x, dir, off, &extack);
    if (rc) {
        snprintf(err, errlen, "%s:%u: %s refused the SA (spi 0x%x): %s (%d)", script, line,
                 h->name, s->spi, extack ? extack : "error", rc);
        free(x);
        free(a);
        return -1;
    }
    h->sa[h->nsa] = x;
    h->aead[h->nsa] = a;
    h->src[h->nsa] = s;
    h->nsa++;
    return 0;
}

static bool prefix_match(const uint8_t *a, const uint8_t *net, unsigned plen)
{
    for (unsigned i = 0; i < plen / 8; i++)
        if (a[i] != net[i])
            return false;
    if (plen % 8) {
        uint8_t m = (uint8_t)(0xff << (8 - plen % 8));
        if ((a[plen / 8] & m) != (net[plen / 8] & m))
            return false;
    }
    return true;
}

struct nd_xfrm_state *run_host_out_sa(const struct run_host *h, const uint8_t *pkt, size_t len)
{
    if (len < 20)
        return NULL;
    bool v6 = pkt[0] >> 4 == 6;
    if (v6 && len < 40)
        return NULL;
    const uint8_t *sa = v6 ? pkt + 8 : pkt + 12, *da = v6 ? pkt + 24 : pkt + 16;
    unsigned alen = v6 ? 16 : 4;
    for (unsigned i = 0; i < h->nsa; i++) {
        const struct xfrm_script_sa *s = h->src[i];
        if (s->dir == XFRM_SCRIPT_DIR_IN || (s->family == 10) != v6)
            continue;
        if (s->mode == XFRM_SCRIPT_TRANSPORT) {
            if (!memcmp(sa, s->src, alen) && !memcmp(da, s->dst, alen))
                return h->sa[i];
        } else if (s->sel.family && (s->sel.family == 10) == v6 &&
                   prefix_match(sa, s->sel.saddr, s->sel.prefixlen_s) &&
                   prefix_match(da, s->sel.daddr, s->sel.prefixlen_d)) {
            return h->sa[i];
        }
    }
    return NULL;
}

uint64_t run_host_cycle(const struct run_host *h)
{
    return nd_bus_cycle(h->bus);
}

void run_host_stats(const struct run_host *h, bool tx, struct report_dir *rd)
{
    const struct nic_stats *st = nic_get_stats(nd_bus_model_nic(h->bus));
    rd->st = tx ? st->tx : st->rx;
    const struct nd_netdev_stats *ns = nd_netdev_stats(h->nd);
    rd->software = tx ? ns->tx_sw : ns->rx_sw;
}

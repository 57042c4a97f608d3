/* nd_bsd.c - FreeBSD personality: if_ipsec_accel_methods of the driver and the ipsec_offload
 * side of the stack around them (nd_bsd.h). FreeBSD conventions: methods return positive
 * errno values; the driver's shadow SAD is keyed by the 16-bit drv_spi.
 */
#include "nd_bsd.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "nd_esp.h"
#include "nd_ip.h"
#include "nicsim/desc.h"

#define ND_BSD_HANDLES 65536u

/* The driver's shadow entry for one installed SA (its privp). */
struct nd_bsd_drv_sa {
    uint32_t drv_spi;
    int slot;             /* device core shadow slot */
};

enum work_kind { WORK_NEWKEY = 1, WORK_DEINSTALL = 2 };

struct work {
    uint8_t kind;
    struct nd_bsd_sav *sav; /* NEWKEY only: the stack still holds it                    */
    uint32_t drv_spi;
    void *priv;             /* DEINSTALL: what the driver gave at install               */
};

struct nd_bsd_sc {
    struct nd_dev *dev;
    const struct nd_if_ipsec_accel_methods *m;
    /* driver side */
    struct nd_bsd_drv_sa **sad;   /* by drv_spi                                          */
    /* stack side */
    struct nd_bsd_sav *savs;      /* the SAD                                              */
    struct nd_bsd_sav **by_drv;   /* drv_spi -> sav, for input (ipsec_accel_in)           */
    uint8_t *drv_spi_used;
    uint32_t drv_spi_next;
    struct work *q;
    size_t q_head, q_len, q_cap;
    nd_bsd_rx_fn rx;
    void *rx_user;
    uint8_t *buf;
    size_t buf_len;
    struct nd_bsd_stats st;
};

/* ---- driver: if_ipsec_accel_methods ------------------------------------------------------------ */

static int errno_pos(int rc)
{
    return rc < 0 ? -rc : rc;
}

static int drv_sa_newkey(struct nd_bsd_sc *sc, void *savp, unsigned drv_spi, void **privp)
{
    const struct nd_bsd_sav *sav = savp;
    if (drv_spi == 0 || drv_spi >= ND_BSD_HANDLES || sc->sad[drv_spi])
        return EINVAL;
    struct nd_sa_cfg c;
    memset(&c, 0, sizeof(c));
    c.dir = sav->dir == ND_BSD_DIR_INBOUND ? ND_SA_IN : ND_SA_OUT;
    c.tunnel = sav->tunnel;
    c.offload = ND_OFFLOAD_PACKET;
    c.v6 = sav->family == ND_BSD_AF_INET6;
    c.esn = sav->esn;
    c.icv_len = sav->icv_len;
    c.keymat_len = sav->keymat_len;
    memcpy(c.keymat, sav->keymat, sizeof(c.keymat));
    c.spi = sav->spi;
    memcpy(c.daddr, sav->dst, 16);
    memcpy(c.tun_src, sav->src, 16);
    memcpy(c.tun_dst, sav->dst, 16);
    c.replay_window = sav->replay_window;
    c.seq = c.dir == ND_SA_OUT ? sav->seq : sav->replay.top;
    struct nd_bsd_drv_sa *d = calloc(1, sizeof(*d));
    if (!d)
        return ENOMEM;
    int slot = nd_sa_add(sc->dev, &c, d);
    memset(c.keymat, 0, sizeof(c.keymat));
    if (slot < 0) {
        free(d);
        return errno_pos(slot);
    }
    d->drv_spi = drv_spi;
    d->slot = slot;
    if (c.dir == ND_SA_IN)
        nd_sa_set_rx_top(sc->dev, slot, sav->replay.top);
    sc->sad[drv_spi] = d;
    *privp = d;
    return 0;
}

static int drv_sa_deinstall(struct nd_bsd_sc *sc, unsigned drv_spi, void *priv)
{
    struct nd_bsd_drv_sa *d = priv;
    if (drv_spi >= ND_BSD_HANDLES || !d || sc->sad[drv_spi] != d)
        return ENOENT;
    nd_sa_delete(sc->dev, d->slot);
    int rc = nd_sa_free(sc->dev, d->slot); /* drains the SA's descriptors first */
    sc->sad[drv_spi] = NULL;
    free(d);
    return errno_pos(rc);
}

static int drv_sa_cnt(struct nd_bsd_sc *sc, void *sa, uint32_t drv_spi, void *priv,
                      struct nd_seclifetime *lt)
{
    (void)sa;
    struct nd_bsd_drv_sa *d = priv;
    if (drv_spi >= ND_BSD_HANDLES || !d || sc->sad[drv_spi] != d)
        return ENOENT;
    uint64_t pk, by;
    int rc = nd_sa_stats(sc->dev, d->slot, &pk, &by);
    memset(lt, 0, sizeof(*lt));
    lt->allocations = pk;
    lt->bytes = by;
    return errno_pos(rc);
}

/* Must not dereference sav: the stack may have dropped its reference (nd_bsd.h). */
static int drv_hwassist(struct nd_bsd_sc *sc, void *sav, unsigned drv_spi, void *priv)
{
    (void)sav;
    struct nd_sa_info in;
    const struct nd_bsd_drv_sa *d = priv;
    if (drv_spi >= ND_BSD_HANDLES || !d || sc->sad[drv_spi] != d ||
        nd_sa_info(sc->dev, d->slot, &in) || in.state != ND_SA_LIVE || in.hw < 0)
        return 0;
    return ND_BSD_HWASSIST_IPSEC;
}

static const struct nd_if_ipsec_accel_methods methods = {
    .if_sa_newkey = drv_sa_newkey,
    .if_sa_deinstall = drv_sa_deinstall,
    .if_sa_cnt = drv_sa_cnt,
    .if_hwassist = drv_hwassist,
};

/* The driver's transmit of a frame the stack tagged with drv_spi. */
static int drv_transmit(struct nd_bsd_sc *sc, const uint8_t *pkt, size_t len, uint32_t drv_spi)
{
    const struct nd_bsd_drv_sa *d = drv_spi && drv_spi < ND_BSD_HANDLES ? sc->sad[drv_spi] : NULL;
    return nd_dev_xmit(sc->dev, pkt, len, d ? d->slot : -1, 0, NULL);
}

/* ---- stack: ipsec_offload --------------------------------------------------------------------- */

static int queue_work(struct nd_bsd_sc *sc, struct work w)
{
    if (sc->q_head + sc->q_len == sc->q_cap) {
        if (sc->q_head) {
            memmove(sc->q, sc->q + sc->q_head, sc->q_len * sizeof(*sc->q));
            sc->q_head = 0;
        } else {
            size_t cap = sc->q_cap ? 2 * sc->q_cap : 64;
            struct work *q = realloc(sc->q, cap * sizeof(*q));
            if (!q)
                return -ENOMEM;
            sc->q = q;
            sc->q_cap = cap;
        }
    }
    sc->q[sc->q_head + sc->q_len++] = w;
    sc->st.queued++;
    return 0;
}

static uint32_t alloc_drv_spi(struct nd_bsd_sc *sc)
{
    for (uint32_t k = 0; k < ND_BSD_HANDLES - 1; k++) {
        uint32_t h = 1 + (sc->drv_spi_next + k) % (ND_BSD_HANDLES - 1);
        if (!sc->drv_spi_used[h]) {
            sc->drv_spi_used[h] = 1;
            sc->drv_spi_next = h;
            return h;
        }
    }
    return 0;
}

static void release_drv_spi(struct nd_bsd_sc *sc, uint32_t h)
{
    if (h && h < ND_BSD_HANDLES) {
        sc->drv_spi_used[h] = 0;
        sc->by_drv[h] = NULL;
    }
}

static void run_work(struct nd_bsd_sc *sc, const struct work *w)
{
    if (w->kind == WORK_NEWKEY) {
        struct nd_bsd_sav *sav = w->sav;
        sav->accel_flags &= ~ND_BSD_ACCEL_PENDING;
        if (sav->accel_flags & ND_BSD_ACCEL_DEINST) { /* deleted before the work ran */
            release_drv_spi(sc, w->drv_spi);
            return;
        }
        void *priv = NULL;
        int rc = sc->m->if_sa_newkey(sc, sav, w->drv_spi, &priv);
        sav->accel_error = rc;
        if (rc) {
            sc->st.newkey_failed++;
            sav->drv_spi = 0;
            release_drv_spi(sc, w->drv_spi); /* the SA stays in software */
            return;
        }
        sc->st.newkey_ok++;
        sav->priv = priv;
        sav->accel_flags |= ND_BSD_ACCEL_INST;
        sc->by_drv[w->drv_spi] = sav;
        return;
    }
    sc->m->if_sa_deinstall(sc, w->drv_spi, w->priv);
    sc->st.deinstalled++;
    release_drv_spi(sc, w->drv_spi);
}

unsigned nd_bsd_drain(struct nd_bsd_sc *sc)
{
    unsigned n = 0;
    while (sc->q_len) {
        struct work w = sc->q[sc->q_head++];
        sc->q_len--;
        run_work(sc, &w); /* may queue nothing: the driver never calls back into the stack */
        n++;
    }
    sc->q_head = 0;
    return n;
}

unsigned nd_bsd_queued(const struct nd_bsd_sc *sc)
{
    return (unsigned)sc->q_len;
}

static bool linked(const struct nd_bsd_sc *sc, const struct nd_bsd_sav *sav)
{
    for (const struct nd_bsd_sav *s = sc->savs; s; s = s->next)
        if (s == sav)
            return true;
    return false;
}

int nd_bsd_sa_add(struct nd_bsd_sc *sc, struct nd_bsd_sav *sav)
{
    if (linked(sc, sav))
        return -EEXIST;
    if ((sav->dir != ND_BSD_DIR_INBOUND && sav->dir != ND_BSD_DIR_OUTBOUND) ||
        (sav->family != ND_BSD_AF_INET && sav->family != ND_BSD_AF_INET6) ||
        gold_sa_init(&sav->gsa, sav->keymat, sav->keymat_len, sav->spi, sav->icv_len) != GOLD_OK)
        return -EINVAL;
    size_t alen = sav->family == ND_BSD_AF_INET6 ? 16 : 4;
    for (const struct nd_bsd_sav *s = sc->savs; s; s = s->next)
        if (sav->dir == ND_BSD_DIR_INBOUND && s->dir == sav->dir && s->spi == sav->spi &&
            s->family == sav->family && !memcmp(s->dst, sav->dst, alen))
            return -EEXIST;
    sav->gsa.esn = sav->esn;
    sav->gsa.mode = sav->tunnel ? GOLD_TUNNEL : GOLD_TRANSPORT;
    sav->gsa.outer_v6 = sav->family == ND_BSD_AF_INET6;
    memcpy(sav->gsa.outer_src, sav->src, 16);
    memcpy(sav->gsa.outer_dst, sav->dst, 16);
    nd_replay_init(&sav->replay, sav->replay_window, sav->esn, 0);
    sav->accel_flags = 0;
    sav->accel_error = 0;
    sav->priv = NULL;
    memset(&sav->last_hw, 0, sizeof(sav->last_hw));
    sav->drv_spi = alloc_drv_spi(sc);
    if (sav->drv_spi) {
        if (queue_work(sc, (struct work){WORK_NEWKEY, sav, sav->drv_spi, NULL})) {
            release_drv_spi(sc, sav->drv_spi);
            sav->drv_spi = 0;
        } else {
            sav->accel_flags = ND_BSD_ACCEL_PENDING;
        }
    }
    sav->next = sc->savs;
    sc->savs = sav;
    return 0;
}

int nd_bsd_sa_delete(struct nd_bsd_sc *sc, struct nd_bsd_sav *sav)
{
    struct nd_bsd_sav **pp = &sc->savs;
    while (*pp && *pp != sav)
        pp = &(*pp)->next;
    if (!*pp)
        return -ENOENT;
    *pp = sav->next;
    sav->next = NULL;
    /* The decision is synchronous; only the driver call is deferred. */
    bool installed = (sav->accel_flags & ND_BSD_ACCEL_INST) != 0;
    sav->accel_flags |= ND_BSD_ACCEL_DEINST;
    if (installed) {
        sc->by_drv[sav->drv_spi] = NULL;
        if (queue_work(sc, (struct work){WORK_DEINSTALL, NULL, sav->drv_spi, sav->priv}))
            run_work(sc, &(struct work){WORK_DEINSTALL, NULL, sav->drv_spi, sav->priv});
        sav->accel_flags &= ~ND_BSD_ACCEL_INST;
    }
    return 0;
}

int nd_bsd_sa_lifetime_update(struct nd_bsd_sc *sc, struct nd_bsd_sav *sav)
{
    if (!(sav->accel_flags & ND_BSD_ACCEL_INST) || !sc->m->if_sa_cnt)
        return -ENOENT;
    struct nd_seclifetime now;
    int rc = sc->m->if_sa_cnt(sc, sav, sav->drv_spi, sav->priv, &now);
    if (rc)
        return -rc;
    /* absolute counters: the stack adds what happened since it last asked */
    if (now.allocations >= sav->last_hw.allocations && now.bytes >= sav->last_hw.bytes) {
        sav->lft_c.allocations += now.allocations - sav->last_hw.allocations;
        sav->lft_c.bytes += now.bytes - sav->last_hw.bytes;
    }
    sav->last_hw = now;
    return 0;
}

static void be64(uint8_t *b, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        b[i] = (uint8_t)(v >> (56 - 8 * i));
}

int nd_bsd_output(struct nd_bsd_sc *sc, const uint8_t *pkt, size_t len, struct nd_bsd_sav *sav)
{
    int rc;
    if (!sav) {
        rc = nd_dev_xmit(sc->dev, pkt, len, -1, 0, NULL);
        sc->st.tx_plain += rc == 0;
        return rc;
    }
    if (sav->dir != ND_BSD_DIR_OUTBOUND || (sav->accel_flags & ND_BSD_ACCEL_DEINST))
        return -EINVAL;
    uint64_t limit = sav->esn ? UINT64_MAX : 0xffffffffull;
    if (sav->seq == limit)
        return -EOVERFLOW;
    if (!nd_dev_tx_room(sc->dev))
        return -EAGAIN;
    bool hw = (sav->accel_flags & ND_BSD_ACCEL_INST) &&
              sc->m->if_hwassist(sc, sav, sav->drv_spi, sav->priv) & ND_BSD_HWASSIST_IPSEC;
    if (hw) {
        /* the card numbers the packet; the stack keeps an upper bound of the SNs used */
        rc = drv_transmit(sc, pkt, len, sav->drv_spi);
        if (!rc) {
            sav->seq++;
            sc->st.tx_hw++;
        }
    } else {
        uint64_t sn = sav->seq + 1;
        uint8_t iv[8];
        size_t n = 0;
        be64(iv, sn);
        enum gold_status st = gold_encap(&sav->gsa, sn, iv, pkt, len, sc->buf, sc->buf_len, &n);
        rc = st == GOLD_OK ? nd_dev_xmit(sc->dev, sc->buf, n, -1, 0, NULL) : -EINVAL;
        if (!rc) {
            sav->seq = sn;
            sav->lft_c.allocations++;
            sav->lft_c.bytes += len;
            sc->st.tx_sw++;
        }
    }
    if (rc)
        sc->st.tx_dropped++;
    return rc;
}

static void deliver(struct nd_bsd_sc *sc, const uint8_t *pkt, size_t len, struct nd_bsd_sav *sav,
                    uint32_t drv_spi, bool sw)
{
    if (sc->rx) {
        struct nd_bsd_rx r = {pkt, len, sav, drv_spi, sw};
        sc->rx(sc->rx_user, &r);
    }
}

static void rx_software(struct nd_bsd_sc *sc, const struct nd_rx_pkt *p, uint32_t spi,
                        uint32_t sn_low)
{
    struct nd_ip ip;
    if (nd_ip_parse(p->data, p->len, true, &ip)) {
        sc->st.rx_drop++;
        return;
    }
    int fam = ip.version == 6 ? ND_BSD_AF_INET6 : ND_BSD_AF_INET;
    size_t alen = ip.version == 6 ? 16 : 4;
    struct nd_bsd_sav *sav = sc->savs;
    while (sav && !(sav->dir == ND_BSD_DIR_INBOUND && sav->spi == spi && sav->family == fam &&
                    !memcmp(sav->dst, ip.daddr, alen)))
        sav = sav->next;
    if (!sav) {
        sc->st.rx_drop++;
        return;
    }
    uint64_t sn = nd_replay_infer(&sav->replay, sn_low);
    size_t n = 0;
    if (nd_replay_check(&sav->replay, sn) != ND_REPLAY_OK ||
        gold_decap(&sav->gsa, (uint32_t)(sn >> 32), p->data, p->len, sc->buf, sc->buf_len, &n) !=
            GOLD_OK ||
        nd_replay_advance(&sav->replay, sn) != ND_REPLAY_OK) {
        sc->st.rx_drop++;
        return;
    }
    sav->lft_c.allocations++;
    sav->lft_c.bytes += n;
    sc->st.rx_sw++;
    deliver(sc, sc->buf, n, sav, 0, true);
}

static void rx_hook(void *ctx, const struct nd_rx_pkt *p)
{
    struct nd_bsd_sc *sc = ctx;
    if (p->flags & NIC_RXF_IPSEC) {
        struct nd_sa_info in;
        const struct nd_bsd_drv_sa *d =
            p->sa >= 0 && !nd_sa_info(sc->dev, p->sa, &in) ? in.owner : NULL;
        struct nd_bsd_sav *sav = d ? sc->by_drv[d->drv_spi] : NULL;
        if (!sav || !(p->flags & NIC_RXF_DECAPPED)) {
            sc->st.rx_drop++;
            return;
        }
        sc->st.rx_hw++;
        deliver(sc, p->data, p->len, sav, d->drv_spi, false);
        return;
    }
    size_t esp;
    uint32_t spi, sn_low;
    if (!nd_esp_locate(p->data, p->len, &esp, &spi, &sn_low)) {
        rx_software(sc, p, spi, sn_low);
        return;
    }
    sc->st.rx_plain++;
    deliver(sc, p->data, p->len, NULL, 0, false);
}

static void down_hook(void *ctx)
{
    struct nd_bsd_sc *sc = ctx;
    nd_bsd_drain(sc);
    for (struct nd_bsd_sav *s = sc->savs; s; s = s->next)
        if (s->accel_flags & ND_BSD_ACCEL_INST) {
            sc->by_drv[s->drv_spi] = NULL;
            sc->m->if_sa_deinstall(sc, s->drv_spi, s->priv);
            sc->st.deinstalled++;
            release_drv_spi(sc, s->drv_spi);
            s->accel_flags = ND_BSD_ACCEL_DEINST;
            s->drv_spi = 0;
            s->priv = NULL;
        }
}

struct nd_bsd_sc *nd_bsd_attach(struct nd_dev *dev)
{
    struct nd_bsd_sc *sc = calloc(1, sizeof(*sc));
    if (!sc)
        return NULL;
    sc->dev = dev;
    sc->m = &methods; /* methods before the capability: nothing may see one without the other */
    sc->sad = calloc(ND_BSD_HANDLES, sizeof(*sc->sad));
    sc->by_drv = calloc(ND_BSD_HANDLES, sizeof(*sc->by_drv));
    sc->drv_spi_used = calloc(ND_BSD_HANDLES, 1);
    sc->buf_len = 65536 + GOLD_ENCAP_OVERHEAD;
    sc->buf = malloc(sc->buf_len);
    if (!sc->sad || !sc->by_drv || !sc->drv_spi_used || !sc->buf) {
        nd_bsd_detach(sc);
        return NULL;
    }
    struct nd_upper up = {rx_hook, NULL, NULL, down_hook};
    nd_dev_set_upper(dev, &up, sc);
    return sc;
}

void nd_bsd_detach(struct nd_bsd_sc *sc)
{
    if (!sc)
        return;
    if (sc->sad && sc->by_drv && sc->drv_spi_used) {
        down_hook(sc);
        nd_dev_set_upper(sc->dev, NULL, NULL);
    }
    for (struct nd_bsd_sav *s = sc->savs, *n; s; s = n) {
        n = s->next;
        s->next = NULL;
    }
    free(sc->sad);
    free(sc->by_drv);
    free(sc->drv_spi_used);
    free(sc->buf);
    free(sc->q);
    free(sc);
}

const struct nd_if_ipsec_accel_methods *nd_bsd_methods(const struct nd_bsd_sc *sc)
{
    return sc->m;
}

void nd_bsd_set_rx(struct nd_bsd_sc *sc, nd_bsd_rx_fn fn, void *user)
{
    sc->rx = fn;
    sc->rx_user = user;
}

const struct nd_bsd_stats *nd_bsd_stats(const struct nd_bsd_sc *sc)
{
    return &sc->st;
}

int nd_bsd_reset(struct nd_bsd_sc *sc, enum nd_reset_kind kind)
{
    nd_bsd_drain(sc);
    return nd_dev_reset(sc->dev, kind);
}

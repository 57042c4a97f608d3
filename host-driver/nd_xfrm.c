/* nd_xfrm.c - Linux personality: the netdev, the driver's xfrmdev_ops and the xfrm stack's
 * SA life cycle around them (nd_xfrm.h). Data path in nd_xfrm_data.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "nd_ip.h"
#include "nd_regs.h"
#include "nd_xfrm_priv.h"

#define FREE_RETRIES 4

/* ---- offload handle: shadow slot + 1 in the low half (never 0), slot generation above -------- */

static uint64_t handle_of(int slot, uint32_t gen)
{
    return (uint64_t)gen << 32 | (uint32_t)(slot + 1);
}

int nd_xfrm_slot(const struct nd_netdev *nd, const struct nd_xfrm_state *x)
{
    if (!x->xso.offload_handle || x->xso.dev != nd)
        return -1;
    int slot = (int)(uint32_t)x->xso.offload_handle - 1;
    struct nd_sa_info in;
    if (nd_sa_info(nd->dev, slot, &in) || in.owner != x ||
        in.gen != (uint32_t)(x->xso.offload_handle >> 32))
        return -1;
    return slot;
}

void nd_xfrm_esp_sa(const struct nd_xfrm_state *x, struct nd_esp_sa *e)
{
    memset(e, 0, sizeof(*e));
    e->spi = x->id.spi;
    e->icv_len = (uint8_t)(x->aead->alg_icv_len / 8);
    e->tunnel = x->props.mode == ND_XFRM_MODE_TUNNEL;
    e->outer_v6 = x->props.family == ND_AF_INET6;
    memcpy(e->outer_src, x->props.saddr.b, 16);
    memcpy(e->outer_dst, x->id.daddr.b, 16);
}

static bool limit_hit(uint64_t v, uint64_t limit)
{
    return limit && limit != ND_XFRM_INF && v >= limit;
}

int nd_xfrm_check_expire(struct nd_netdev *nd, struct nd_xfrm_state *x)
{
    if (limit_hit(x->curlft.bytes, x->lft.hard_byte_limit) ||
        limit_hit(x->curlft.packets, x->lft.hard_packet_limit)) {
        if (x->km.state == ND_XFRM_STATE_VALID)
            nd->st.hard_expired++;
        x->km.state = ND_XFRM_STATE_EXPIRED;
        return -EKEYEXPIRED;
    }
    if (!x->km.soft_expired && (limit_hit(x->curlft.bytes, x->lft.soft_byte_limit) ||
                                limit_hit(x->curlft.packets, x->lft.soft_packet_limit))) {
        x->km.soft_expired = true;
        nd->st.soft_expired++;
    }
    return 0;
}

/* ---- xfrmdev_ops ------------------------------------------------------------------------------- */

static uint64_t lim(uint64_t v)
{
    return v == ND_XFRM_INF ? 0 : v;
}

static int drv_state_add(struct nd_netdev *nd, struct nd_xfrm_state *x, const char **extack)
{
    const struct nd_dev_info *in = nd_dev_info(nd->dev);
    const struct nd_xfrm_algo_aead *a = x->aead;
#define REFUSE(rc, msg)                                                                        \
    do {                                                                                       \
        if (extack)                                                                            \
            *extack = (msg);                                                                   \
        return (rc);                                                                           \
    } while (0)
    if (x->id.proto != ND_IPPROTO_ESP_ID)
        REFUSE(-EINVAL, "Unsupported protocol for IPsec offload");
    if (!a || strcmp(a->alg_name, ND_XFRM_AEAD_RFC4106) != 0)
        REFUSE(-EINVAL, "Unsupported IPsec algorithm: use rfc4106(gcm(aes))");
    if (a->alg_icv_len != 64 && a->alg_icv_len != 96 && a->alg_icv_len != 128)
        REFUSE(-EINVAL, "ICV must be 64, 96 or 128 bits");
    if (a->alg_key_len != 160 && a->alg_key_len != 224 && a->alg_key_len != 288)
        REFUSE(-EINVAL, "Key must be 128, 192 or 256 bits with a 32-bit salt");
    if (x->props.family != ND_AF_INET && x->props.family != ND_AF_INET6)
        REFUSE(-EINVAL, "Unsupported address family");
    if (x->props.mode > ND_XFRM_MODE_TUNNEL)
        REFUSE(-EINVAL, "Unsupported mode");
    if (x->xso.dir != ND_XFRM_DEV_OFFLOAD_IN && x->xso.dir != ND_XFRM_DEV_OFFLOAD_OUT)
        REFUSE(-EINVAL, "Offload direction must be in or out");
    bool packet = x->xso.type == ND_XFRM_DEV_OFFLOAD_PACKET;
    if (!packet && x->xso.type != ND_XFRM_DEV_OFFLOAD_CRYPTO)
        REFUSE(-EINVAL, "Unknown offload type");
    if (!(in->caps & (packet ? ND_CAP(PACKET_OFFLOAD) : ND_CAP(CRYPTO_OFFLOAD))))
        REFUSE(-EOPNOTSUPP, "Device does not support this offload type");
    if ((x->props.family == ND_AF_INET6 && !(in->caps & ND_CAP(IPV6))) ||
        (x->props.mode == ND_XFRM_MODE_TUNNEL && !(in->caps & ND_CAP(TUNNEL))) ||
        (a->alg_key_len > 160 && !(in->caps & ND_CAP(AES_192_256))))
        REFUSE(-EOPNOTSUPP, "Device does not support this SA (family, mode or key size)");
    uint32_t window = x->shim.replay.window;
    if (packet && x->xso.dir == ND_XFRM_DEV_OFFLOAD_IN && in->window_max && window > in->window_max)
        REFUSE(-EINVAL, "Replay window larger than the device supports");

    struct nd_sa_cfg c;
    memset(&c, 0, sizeof(c));
    c.dir = x->xso.dir == ND_XFRM_DEV_OFFLOAD_IN ? ND_SA_IN : ND_SA_OUT;
    c.tunnel = x->props.mode == ND_XFRM_MODE_TUNNEL;
    c.offload = packet ? ND_OFFLOAD_PACKET : ND_OFFLOAD_CRYPTO;
    c.v6 = x->props.family == ND_AF_INET6;
    c.esn = (x->props.flags & ND_XFRM_STATE_ESN) != 0;
    c.icv_len = (uint8_t)(a->alg_icv_len / 8);
    c.keymat_len = (uint8_t)(a->alg_key_len / 8);
    memcpy(c.keymat, a->alg_key, c.keymat_len);
    c.spi = x->id.spi;
    memcpy(c.daddr, x->id.daddr.b, 16);
    memcpy(c.tun_src, x->props.saddr.b, 16);
    memcpy(c.tun_dst, x->id.daddr.b, 16);
    c.replay_window = window;
    c.seq = c.dir == ND_SA_IN
                ? (uint64_t)x->replay_esn.seq_hi << 32 | x->replay_esn.seq
                : (uint64_t)x->replay_esn.oseq_hi << 32 | x->replay_esn.oseq;
    c.soft_packets = lim(x->lft.soft_packet_limit);
    c.hard_packets = lim(x->lft.hard_packet_limit);
    c.soft_bytes = lim(x->lft.soft_byte_limit);
    c.hard_bytes = lim(x->lft.hard_byte_limit);
    int slot = nd_sa_add(nd->dev, &c, x);
    memset(c.keymat, 0, sizeof(c.keymat));
    if (slot == -ENOSPC)
        REFUSE(nd->cfg.enospc_compat ? -ENOSPC : -EOPNOTSUPP, "No space for SA in the SA table");
    if (slot == -EOPNOTSUPP)
        REFUSE(slot, "Device firmware refused the SA (capability)");
    if (slot < 0)
        REFUSE(slot, "Device failed to install the SA");
    struct nd_sa_info si;
    nd_sa_info(nd->dev, slot, &si);
    x->xso.offload_handle = handle_of(slot, si.gen);
    return 0;
#undef REFUSE
}

static void drv_state_delete(struct nd_netdev *nd, struct nd_xfrm_state *x)
{
    int slot = nd_xfrm_slot(nd, x);
    if (slot >= 0)
        nd_sa_delete(nd->dev, slot);
}

static void drv_state_free(struct nd_netdev *nd, struct nd_xfrm_state *x)
{
    int slot = nd_xfrm_slot(nd, x);
    if (slot < 0)
        return;
    /* The kernel's free cannot fail: keep draining; the core forgets the SA at remove if the
     * card never lets go. */
    for (int i = 0; i < FREE_RETRIES && nd_sa_free(nd->dev, slot) == -ETIMEDOUT; i++)
        ;
    x->xso.offload_handle = 0;
}

static bool drv_offload_ok(const uint8_t *pkt, size_t len, struct nd_xfrm_state *x)
{
    struct nd_netdev *nd = x->xso.dev;
    struct nd_ip ip;
    if (!nd || nd_ip_parse(pkt, len, false, &ip))
        return false;
    if (ip.options || ip.ext) /* the card's parser takes neither: the stack does it in software */
        return false;
    if (x->props.mode == ND_XFRM_MODE_TRANSPORT &&
        ip.version != (x->props.family == ND_AF_INET6 ? 6u : 4u))
        return false;
    /* Either the shim (crypto) or the card (packet) adds ESP: the result must fit the MTU. */
    struct nd_esp_sa e;
    nd_xfrm_esp_sa(x, &e);
    return len + nd_esp_overhead(&e) <= nd_dev_mtu(nd->dev);
}

static void drv_advance_esn(struct nd_xfrm_state *x)
{
    struct nd_netdev *nd = x->xso.dev;
    int slot = nd ? nd_xfrm_slot(nd, x) : -1;
    if (slot >= 0 && x->xso.type == ND_XFRM_DEV_OFFLOAD_CRYPTO &&
        x->xso.dir == ND_XFRM_DEV_OFFLOAD_IN)
        nd_sa_advance_esn(nd->dev, slot, nd_replay_bottom(&x->shim.replay));
}

static void drv_update_stats(struct nd_xfrm_state *x)
{
    struct nd_netdev *nd = x->xso.dev;
    int slot = nd ? nd_xfrm_slot(nd, x) : -1;
    uint64_t pk, by;
    /* Packet offload: the card counts (and the stack never sees the packets' bytes). Crypto
     * offload packets pass through the stack, which counts them itself. */
    if (slot >= 0 && x->xso.type == ND_XFRM_DEV_OFFLOAD_PACKET &&
        nd_sa_stats(nd->dev, slot, &pk, &by) == 0) {
        x->curlft.packets = pk;
        x->curlft.bytes = by;
    }
}

static const struct nd_xfrmdev_ops ops_esn = {
    .xdo_dev_state_add = drv_state_add,
    .xdo_dev_state_delete = drv_state_delete,
    .xdo_dev_state_free = drv_state_free,
    .xdo_dev_offload_ok = drv_offload_ok,
    .xdo_dev_state_advance_esn = drv_advance_esn,
    .xdo_dev_state_update_stats = drv_update_stats,
};

/* A card without CAPS.ESN: no advance_esn, so the stack refuses ESN offload (like ixgbe). */
static const struct nd_xfrmdev_ops ops_no_esn = {
    .xdo_dev_state_add = drv_state_add,
    .xdo_dev_state_delete = drv_state_delete,
    .xdo_dev_state_free = drv_state_free,
    .xdo_dev_offload_ok = drv_offload_ok,
    .xdo_dev_state_update_stats = drv_update_stats,
};

/* ---- the stack ----------------------------------------------------------------------------- */

static void unlink_state(struct nd_netdev *nd, struct nd_xfrm_state *x)
{
    for (struct nd_xfrm_state **pp = &nd->states; *pp; pp = &(*pp)->shim.next)
        if (*pp == x) {
            *pp = x->shim.next;
            x->shim.next = NULL;
            return;
        }
}

static bool linked(const struct nd_netdev *nd, const struct nd_xfrm_state *x)
{
    for (const struct nd_xfrm_state *s = nd->states; s; s = s->shim.next)
        if (s == x)
            return true;
    return false;
}

/* Device part of deleting a state: delete, then free after the device drained. */
static void dev_state_gone(struct nd_netdev *nd, struct nd_xfrm_state *x)
{
    if (x->xso.dev != nd)
        return;
    nd->ops->xdo_dev_state_delete(nd, x);
    nd->ops->xdo_dev_state_free(nd, x);
    x->xso.dev = NULL;
    x->xso.offload_handle = 0;
}

static void flush_offloaded(void *ctx)
{
    struct nd_netdev *nd = ctx;
    struct nd_xfrm_state **pp = &nd->states;
    while (*pp) {
        struct nd_xfrm_state *x = *pp;
        if (x->xso.dev == nd) {
            x->km.state = ND_XFRM_STATE_DEAD; /* first, as __xfrm_state_delete: input drops */
            dev_state_gone(nd, x);
            *pp = x->shim.next;
            x->shim.next = NULL;
        } else {
            pp = &x->shim.next;
        }
    }
}

static void event_hook(void *ctx, int sa, enum nd_event_kind kind)
{
    struct nd_netdev *nd = ctx;
    struct nd_sa_info in;
    if (nd_sa_info(nd->dev, sa, &in) || !in.owner)
        return;
    struct nd_xfrm_state *x = in.owner;
    if (kind == ND_EV_HARD_EXPIRE) {
        if (x->km.state == ND_XFRM_STATE_VALID)
            nd->st.hard_expired++;
        x->km.state = ND_XFRM_STATE_EXPIRED;
    } else if (!x->km.soft_expired) {
        x->km.soft_expired = true;
        nd->st.soft_expired++;
    }
}

struct nd_netdev *nd_netdev_create(struct nd_dev *dev, const struct nd_netdev_cfg *cfg)
{
    struct nd_netdev *nd = calloc(1, sizeof(*nd));
    if (!nd)
        return NULL;
    nd->dev = dev;
    if (cfg)
        nd->cfg = *cfg;
    nd->ops = nd_dev_info(dev)->caps & ND_CAP(ESN) ? &ops_esn : &ops_no_esn;
    nd->buf_len = 65536 + GOLD_ENCAP_OVERHEAD;
    nd->tx_buf = malloc(nd->buf_len);
    nd->rx_buf = malloc(nd->buf_len);
    if (!nd->tx_buf || !nd->rx_buf) {
        free(nd->tx_buf);
        free(nd->rx_buf);
        free(nd);
        return NULL;
    }
    struct nd_upper up = {nd_xfrm_rx_hook, nd_xfrm_tx_done_hook, event_hook, flush_offloaded};
    nd_dev_set_upper(dev, &up, nd);
    return nd;
}

void nd_netdev_destroy(struct nd_netdev *nd)
{
    if (!nd)
        return;
    flush_offloaded(nd);
    for (struct nd_xfrm_state *x = nd->states, *n; x; x = n) {
        n = x->shim.next;
        x->shim.next = NULL;
        x->km.state = ND_XFRM_STATE_DEAD;
    }
    nd_dev_set_upper(nd->dev, NULL, NULL);
    free(nd->tx_buf);
    free(nd->rx_buf);
    free(nd);
}

const struct nd_xfrmdev_ops *nd_netdev_ops(const struct nd_netdev *nd)
{
    return nd->ops;
}

struct nd_dev *nd_netdev_dev(struct nd_netdev *nd)
{
    return nd->dev;
}

void nd_netdev_set_rx(struct nd_netdev *nd, nd_xfrm_rx_fn fn, void *user)
{
    nd->rx = fn;
    nd->rx_user = user;
}

const struct nd_netdev_stats *nd_netdev_stats(const struct nd_netdev *nd)
{
    return &nd->st;
}

void nd_xfrm_state_init(struct nd_xfrm_state *x, struct nd_xfrm_algo_aead *aead, int family,
                        const uint8_t *saddr, const uint8_t *daddr, uint32_t spi, int mode,
                        const uint8_t *keymat, size_t keymat_len, unsigned icv_bits)
{
    memset(x, 0, sizeof(*x));
    memset(aead, 0, sizeof(*aead));
    size_t alen = family == ND_AF_INET6 ? 16 : 4;
    x->id.proto = ND_IPPROTO_ESP_ID;
    x->id.spi = spi;
    memcpy(x->id.daddr.b, daddr, alen);
    x->props.family = (uint16_t)family;
    x->props.mode = (uint8_t)mode;
    memcpy(x->props.saddr.b, saddr, alen);
    strcpy(aead->alg_name, ND_XFRM_AEAD_RFC4106);
    size_t kl = keymat_len <= sizeof(aead->alg_key) ? keymat_len : sizeof(aead->alg_key);
    memcpy(aead->alg_key, keymat, kl);
    aead->alg_key_len = (unsigned)kl * 8;
    aead->alg_icv_len = icv_bits;
    x->aead = aead;
    x->lft.soft_byte_limit = x->lft.hard_byte_limit = ND_XFRM_INF;
    x->lft.soft_packet_limit = x->lft.hard_packet_limit = ND_XFRM_INF;
}

static struct nd_xfrm_state *find_in(const struct nd_netdev *nd, const struct nd_xfrm_state *k)
{
    size_t alen = k->props.family == ND_AF_INET6 ? 16 : 4;
    for (struct nd_xfrm_state *s = nd->states; s; s = s->shim.next)
        if (s->shim.dir == ND_XFRM_DEV_OFFLOAD_IN && s->id.spi == k->id.spi &&
            s->props.family == k->props.family && !memcmp(s->id.daddr.b, k->id.daddr.b, alen))
            return s;
    return NULL;
}

int nd_xfrm_state_add(struct nd_netdev *nd, struct nd_xfrm_state *x, uint8_t dir,
                      uint8_t offload, const char **extack)
{
    const char *dummy;
    if (!extack)
        extack = &dummy;
    *extack = NULL;
    const struct nd_xfrm_algo_aead *a = x->aead;
    if (linked(nd, x))
        return -EEXIST;
    if (x->id.proto != ND_IPPROTO_ESP_ID || !a || strcmp(a->alg_name, ND_XFRM_AEAD_RFC4106) ||
        (dir != ND_XFRM_DEV_OFFLOAD_IN && dir != ND_XFRM_DEV_OFFLOAD_OUT) ||
        offload > ND_XFRM_DEV_OFFLOAD_PACKET ||
        (x->props.family != ND_AF_INET && x->props.family != ND_AF_INET6)) {
        *extack = "Unsupported SA: ESP with rfc4106(gcm(aes)), AF_INET/AF_INET6, dir in/out";
        return -EINVAL;
    }
    if (dir == ND_XFRM_DEV_OFFLOAD_IN && find_in(nd, x)) {
        *extack = "An SA with this SPI and destination exists";
        return -EEXIST;
    }
    bool esn = (x->props.flags & ND_XFRM_STATE_ESN) != 0;
    if (gold_sa_init(&x->shim.gsa, a->alg_key, a->alg_key_len / 8, x->id.spi,
                     a->alg_icv_len / 8) != GOLD_OK) {
        *extack = "Bad key or ICV length";
        return -EINVAL;
    }
    x->shim.gsa.esn = esn;
    x->shim.gsa.mode = x->props.mode == ND_XFRM_MODE_TUNNEL ? GOLD_TUNNEL : GOLD_TRANSPORT;
    x->shim.gsa.outer_v6 = x->props.family == ND_AF_INET6;
    memcpy(x->shim.gsa.outer_src, x->props.saddr.b, 16);
    memcpy(x->shim.gsa.outer_dst, x->id.daddr.b, 16);
    uint32_t window = esn && x->replay_esn.replay_window ? x->replay_esn.replay_window
                                                         : x->props.replay_window;
    nd_replay_init(&x->shim.replay, window, esn,
                   (uint64_t)x->replay_esn.seq_hi << 32 | x->replay_esn.seq);
    x->shim.dir = dir;
    x->shim.offload_requested = offload != 0;
    x->xso.dev = NULL;
    x->xso.offload_handle = 0;
    x->xso.dir = x->xso.type = 0;
    if (offload) {
        /* xfrm_dev_state_add: a crypto-offload ESN SA needs the device's advance_esn. */
        if (esn && offload == ND_XFRM_DEV_OFFLOAD_CRYPTO && !nd->ops->xdo_dev_state_advance_esn) {
            *extack = "Device doesn't support offload with ESN";
            return -EINVAL;
        }
        x->xso.dev = nd;
        x->xso.dir = dir;
        x->xso.type = offload;
        int rc = nd->ops->xdo_dev_state_add(nd, x, extack);
        if (rc) {
            x->xso.dev = NULL;
            x->xso.dir = x->xso.type = 0;
            x->xso.offload_handle = 0;
            if (rc != -EOPNOTSUPP || offload == ND_XFRM_DEV_OFFLOAD_PACKET) {
                if (!*extack)
                    *extack = "Device failed to offload this state";
                return rc;
            }
            /* -EOPNOTSUPP on crypto offload: the stack does the SA in software */
        }
    }
    x->km.state = ND_XFRM_STATE_VALID;
    x->km.soft_expired = false;
    x->shim.next = nd->states;
    nd->states = x;
    return 0;
}

int nd_xfrm_state_delete(struct nd_netdev *nd, struct nd_xfrm_state *x)
{
    if (!linked(nd, x))
        return -ENOENT;
    x->km.state = ND_XFRM_STATE_DEAD; /* first: packets the drain delivers are dropped */
    dev_state_gone(nd, x);
    unlink_state(nd, x);
    return 0;
}

void nd_netdev_down(struct nd_netdev *nd)
{
    nd_dev_down(nd->dev); /* runs flush_offloaded first, then stops the rings */
}

int nd_netdev_reset(struct nd_netdev *nd, enum nd_reset_kind kind)
{
    return nd_dev_reset(nd->dev, kind);
}

void nd_xfrm_state_update_stats(struct nd_xfrm_state *x)
{
    struct nd_netdev *nd = x->xso.dev;
    if (nd && nd->ops->xdo_dev_state_update_stats)
        nd->ops->xdo_dev_state_update_stats(x);
    if (nd)
        nd_xfrm_check_expire(nd, x);
}

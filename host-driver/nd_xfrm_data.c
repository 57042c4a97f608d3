/* nd_xfrm_data.c - Linux personality data path: xfrm output through the device or in software,
 * and xfrm input after the device (CRYPTO_DONE) or in software (nd_xfrm.h).
 *
 * Input follows xfrm_input: a delivery the card matched carries the SA; with CRYPTO_DONE the
 * status must be CRYPTO_SUCCESS, then the replay window is checked (on the SN the card
 * authenticated, seq_hi included), the ESP trailer and header are removed, the window advances
 * and, with ESN, advance_esn tells the card the new window bottom. ESP the card did not match
 * goes through the shim's SAD and the golden library, replay checked the same way.
 */
#include <errno.h>
#include <string.h>

#include "nd_ip.h"
#include "nd_xfrm_priv.h"
#include "nicsim/desc.h"

static void be64(uint8_t *b, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        b[i] = (uint8_t)(v >> (56 - 8 * i));
}

/* Next outbound SN; the 32-bit space must not cycle (RFC 4303 s3.3.3). */
static int next_sn(struct nd_xfrm_state *x, uint64_t *sn)
{
    uint64_t cur = (uint64_t)x->replay_esn.oseq_hi << 32 | x->replay_esn.oseq;
    bool esn = (x->props.flags & ND_XFRM_STATE_ESN) != 0;
    if (cur == (esn ? UINT64_MAX : 0xffffffffull))
        return -EOVERFLOW;
    *sn = cur + 1;
    x->replay_esn.oseq = (uint32_t)*sn;
    x->replay_esn.oseq_hi = (uint32_t)(*sn >> 32);
    return 0;
}

static void undo_sn(struct nd_xfrm_state *x, uint64_t sn)
{
    /* nothing was encrypted under sn, or nothing left the host: the SN may be used again */
    x->replay_esn.oseq = (uint32_t)(sn - 1);
    x->replay_esn.oseq_hi = (uint32_t)((sn - 1) >> 32);
}

static int gold_errno(enum gold_status st)
{
    return st == GOLD_E_NOSPACE || st == GOLD_E_BAD_LENGTH ? -EMSGSIZE : -EINVAL;
}

int nd_xmit(struct nd_netdev *nd, const uint8_t *pkt, size_t len, struct nd_xfrm_state *x)
{
    int rc;
    if (!x) {
        rc = nd_dev_xmit(nd->dev, pkt, len, -1, 0, NULL);
        if (!rc)
            nd->st.tx_plain++;
        return rc;
    }
    if (x->km.state != ND_XFRM_STATE_VALID) {
        nd->st.tx_dropped++;
        return x->km.state == ND_XFRM_STATE_EXPIRED ? -EKEYEXPIRED : -ENOENT;
    }
    if (x->shim.dir != ND_XFRM_DEV_OFFLOAD_OUT)
        return -EINVAL;
    if ((rc = nd_xfrm_check_expire(nd, x)) != 0) {
        nd->st.tx_dropped++;
        return rc;
    }
    if (!nd_dev_tx_room(nd->dev))
        return -EAGAIN; /* before any SN is taken */
    int slot = nd_xfrm_slot(nd, x);
    bool off = slot >= 0;
    if (off && !nd->ops->xdo_dev_offload_ok(pkt, len, x)) {
        nd->st.tx_offload_refused++;
        if (x->xso.type == ND_XFRM_DEV_OFFLOAD_PACKET) {
            /* the card owns this SA's sequence numbers: software cannot step in */
            nd->st.tx_dropped++;
            struct nd_ip ip;
            return nd_ip_parse(pkt, len, false, &ip) || ip.options || ip.ext ? -EINVAL
                                                                              : -EMSGSIZE;
        }
        off = false;
    }
    if (off && x->xso.type == ND_XFRM_DEV_OFFLOAD_PACKET) {
        rc = nd_dev_xmit(nd->dev, pkt, len, slot, 0, NULL);
    } else {
        uint64_t sn;
        if ((rc = next_sn(x, &sn)) != 0) {
            nd->st.tx_dropped++;
            return rc;
        }
        size_t n = 0;
        if (off) {
            struct nd_esp_sa e;
            nd_xfrm_esp_sa(x, &e);
            rc = nd_esp_build(&e, sn, pkt, len, nd->tx_buf, nd->buf_len, &n);
            if (!rc)
                rc = nd_dev_xmit(nd->dev, nd->tx_buf, n, slot, (uint32_t)(sn >> 32), NULL);
        } else {
            uint8_t iv[8];
            be64(iv, sn);
            enum gold_status st =
                gold_encap(&x->shim.gsa, sn, iv, pkt, len, nd->tx_buf, nd->buf_len, &n);
            rc = st == GOLD_OK ? nd_dev_xmit(nd->dev, nd->tx_buf, n, -1, 0, NULL) : gold_errno(st);
        }
        if (rc)
            undo_sn(x, sn);
    }
    if (rc) {
        nd->st.tx_dropped++;
        return rc;
    }
    if (off)
        nd->st.tx_offload++;
    else
        nd->st.tx_sw++;
    x->curlft.packets++;
    x->curlft.bytes += len;
    return 0;
}

void nd_xfrm_tx_done_hook(void *ctx, const struct nd_tx_done *d)
{
    struct nd_netdev *nd = ctx;
    if (d->status == NIC_TXS_OK)
        nd->st.tx_completed++;
    else
        nd->st.tx_failed++;
}

static void deliver(struct nd_netdev *nd, const uint8_t *pkt, size_t len, struct nd_xfrm_state *x,
                    bool crypto_done, uint8_t status, bool software)
{
    if (x) {
        x->curlft.packets++;
        x->curlft.bytes += len;
        nd_xfrm_check_expire(nd, x);
    }
    if (nd->rx) {
        struct nd_xfrm_rx r = {pkt, len, x, crypto_done, status, software};
        nd->rx(nd->rx_user, &r);
    }
}

/* Record an authenticated SN; ESN crypto-offload SAs tell the card the new window bottom. */
static bool replay_advance(struct nd_netdev *nd, struct nd_xfrm_state *x, uint64_t sn)
{
    if (nd_replay_advance(&x->shim.replay, sn) != ND_REPLAY_OK) {
        nd->st.rx_replay++;
        return false;
    }
    uint64_t top = x->shim.replay.top;
    x->replay_esn.seq = (uint32_t)top;
    x->replay_esn.seq_hi = (uint32_t)(top >> 32);
    int slot = nd_xfrm_slot(nd, x);
    if (slot >= 0) {
        nd_sa_set_rx_top(nd->dev, slot, top);
        if ((x->props.flags & ND_XFRM_STATE_ESN) && nd->ops->xdo_dev_state_advance_esn)
            nd->ops->xdo_dev_state_advance_esn(x);
    }
    return true;
}

/* CRYPTO_DONE delivery of a crypto-offload SA: the card decrypted in place. */
static void rx_crypto_done(struct nd_netdev *nd, const struct nd_rx_pkt *p, struct nd_xfrm_state *x)
{
    if (p->status != NIC_RXS_SUCCESS) {
        if (p->status == NIC_RXS_TRANSPORT_ESP_AUTH_FAILED ||
            p->status == NIC_RXS_TUNNEL_ESP_AUTH_FAILED)
            nd->st.rx_auth_failed++;
        else
            nd->st.rx_bad_syntax++;
        return;
    }
    size_t esp;
    uint32_t spi, sn_low;
    if (nd_esp_locate(p->data, p->len, &esp, &spi, &sn_low) || spi != x->id.spi) {
        nd->st.rx_bad_syntax++;
        return;
    }
    bool esn = (x->props.flags & ND_XFRM_STATE_ESN) != 0;
    uint64_t sn = esn ? (uint64_t)p->seq_hi << 32 | sn_low : sn_low;
    if (nd_replay_check(&x->shim.replay, sn) != ND_REPLAY_OK) {
        nd->st.rx_replay++;
        return;
    }
    struct nd_esp_sa e;
    nd_xfrm_esp_sa(x, &e);
    size_t n;
    int rc = nd_esp_strip(&e, p->data, p->len, &n);
    if (rc) {
        if (rc == -ENODATA) {
            replay_advance(nd, x, sn); /* a verified dummy packet still counts (s3.4.3) */
            nd->st.rx_dummy++;
        } else {
            nd->st.rx_bad_syntax++;
        }
        return;
    }
    if (!replay_advance(nd, x, sn))
        return;
    nd->st.rx_offload++;
    deliver(nd, p->data, n, x, true, NIC_RXS_SUCCESS, false);
}

static struct nd_xfrm_state *lookup(struct nd_netdev *nd, const uint8_t *pkt, size_t len,
                                    uint32_t spi)
{
    struct nd_ip ip;
    if (nd_ip_parse(pkt, len, true, &ip))
        return NULL;
    size_t alen = ip.version == 6 ? 16 : 4;
    uint16_t fam = ip.version == 6 ? ND_AF_INET6 : ND_AF_INET;
    for (struct nd_xfrm_state *s = nd->states; s; s = s->shim.next)
        if (s->shim.dir == ND_XFRM_DEV_OFFLOAD_IN && s->id.spi == spi &&
            s->props.family == fam && !memcmp(s->id.daddr.b, ip.daddr, alen))
            return s;
    return NULL;
}

/* ESP the card did not decrypt: the stack's software path. */
static void rx_software(struct nd_netdev *nd, const struct nd_rx_pkt *p, uint32_t spi,
                        uint32_t sn_low)
{
    struct nd_xfrm_state *x = lookup(nd, p->data, p->len, spi);
    if (!x) {
        nd->st.rx_no_state++;
        return;
    }
    if (x->km.state != ND_XFRM_STATE_VALID) {
        nd->st.rx_state_invalid++;
        return;
    }
    uint64_t sn = nd_replay_infer(&x->shim.replay, sn_low);
    if (nd_replay_check(&x->shim.replay, sn) != ND_REPLAY_OK) {
        nd->st.rx_replay++;
        return;
    }
    size_t n = 0;
    enum gold_status st = gold_decap(&x->shim.gsa, (uint32_t)(sn >> 32), p->data, p->len,
                                     nd->rx_buf, nd->buf_len, &n);
    if (st == GOLD_E_DUMMY) {
        replay_advance(nd, x, sn);
        nd->st.rx_dummy++;
        return;
    }
    if (st != GOLD_OK) {
        if (st == GOLD_E_BAD_ICV)
            nd->st.rx_auth_failed++;
        else
            nd->st.rx_bad_syntax++;
        return;
    }
    if (!replay_advance(nd, x, sn))
        return;
    nd->st.rx_sw++;
    deliver(nd, nd->rx_buf, n, x, false, 0, true);
}

void nd_xfrm_rx_hook(void *ctx, const struct nd_rx_pkt *p)
{
    struct nd_netdev *nd = ctx;
    if (p->flags & NIC_RXF_IPSEC) {
        struct nd_sa_info in;
        struct nd_xfrm_state *x =
            p->sa >= 0 && !nd_sa_info(nd->dev, p->sa, &in) ? in.owner : NULL;
        if (!x) {
            nd->st.rx_no_state++;
            return;
        }
        if (x->km.state != ND_XFRM_STATE_VALID || x->xso.dev != nd) {
            nd->st.rx_state_invalid++; /* deleted while the packet was in flight */
            return;
        }
        if (p->flags & NIC_RXF_DECAPPED) { /* packet offload: the card did everything */
            nd->st.rx_offload++;
            deliver(nd, p->data, p->len, x, true, p->status, false);
        } else if (p->flags & NIC_RXF_CRYPTO_DONE) {
            rx_crypto_done(nd, p, x);
        } else {
            nd->st.rx_bad_syntax++; /* matched, but the card could not process it */
        }
        return;
    }
    size_t esp;
    uint32_t spi, sn_low;
    if (nd_esp_locate(p->data, p->len, &esp, &spi, &sn_low) == 0) {
        rx_software(nd, p, spi, sn_low);
        return;
    }
    nd->st.rx_plain++;
    deliver(nd, p->data, p->len, NULL, false, 0, false);
}

/* nd_xfrm_priv.h - the Linux personality's private state, shared by nd_xfrm.c (SA life cycle
 * and xfrmdev_ops), nd_xfrm_data.c (output and input) and nd_dump.c (debugfs text).
 */
#ifndef ND_XFRM_PRIV_H
#define ND_XFRM_PRIV_H

#include "nd_esp.h"
#include "nd_xfrm.h"

struct nd_netdev {
    struct nd_dev *dev;
    struct nd_netdev_cfg cfg;
    const struct nd_xfrmdev_ops *ops;
    struct nd_xfrm_state *states; /* every state of this netdev (the shim's SAD)             */
    nd_xfrm_rx_fn rx;
    void *rx_user;
    struct nd_netdev_stats st;
    uint8_t *tx_buf, *rx_buf;     /* ESP built / decrypted here                               */
    size_t buf_len;
};

/* The shadow slot behind an offloaded state, or -1 (stale, foreign or no handle). */
int nd_xfrm_slot(const struct nd_netdev *nd, const struct nd_xfrm_state *x);
/* The crypto-offload ESP framing parameters of a state. */
void nd_xfrm_esp_sa(const struct nd_xfrm_state *x, struct nd_esp_sa *e);
/* Lifetime check on curlft (xfrm_state_check_expire): 0 or -EKEYEXPIRED. */
int nd_xfrm_check_expire(struct nd_netdev *nd, struct nd_xfrm_state *x);
/* The upper-layer hooks of the device core (nd_xfrm_data.c). */
void nd_xfrm_rx_hook(void *ctx, const struct nd_rx_pkt *p);
void nd_xfrm_tx_done_hook(void *ctx, const struct nd_tx_done *d);

#endif

/* mac.h - the wire side of the card: TX serialisation at params.wire_gbps, RX arrival.
 *
 * tx_mac takes packets from the TX pool in order. A live packet occupies the wire for
 * nic_ctx_wire_cycles(len) cycles (Ethernet framing overhead included) and is handed to the
 * wire callback in the cycle its last byte leaves; then its token goes to dma for the
 * completion. Dropped packets go straight to dma. One token per cycle.
 * RX arrival (mac_rx_frame) is a host-side call between cycles: the frame is copied into an
 * on-card buffer and becomes visible to esp_rx when its last byte has arrived.
 */
#ifndef NICSIM_MAC_H
#define NICSIM_MAC_H

#include "fifo.h"
#include "nic_ctx.h"
#include "pkt_pool.h"

typedef void (*mac_wire_fn)(void *user, const uint8_t *frame, size_t len, uint64_t cycle);

struct tx_mac {
    struct nic_ctx *ctx;
    struct fifo *in, *out;
    mac_wire_fn wire;
    void *wire_user;
    struct { struct pkt *cur; uint64_t end; } q, d;
    /* commit actions between tx_mac_eval and tx_mac_commit (tx_mac_step keeps them local) */
    struct pkt *emit;   /* frame leaving this cycle */
    struct pkt *drop;   /* dropped token forwarded this cycle */
    uint64_t now_e;
    uint8_t moved;      /* TX_MAC_MOVED_* bits: which FIFO the last commit moved      */
    uint32_t peer_in;   /* scheduler mask of the block feeding `in` (tx_mac_set_peers) */
    uint32_t peer_out;  /* scheduler mask of the block draining `out`                 */
};
#define TX_MAC_MOVED_IN 0x1u
#define TX_MAC_MOVED_OUT 0x2u

void tx_mac_init(struct tx_mac *m, struct nic_ctx *ctx, struct fifo *in, struct fifo *out);
void tx_mac_eval(void *self, uint64_t now);
void tx_mac_commit(void *self);
uint64_t tx_mac_next_event(const void *self, uint64_t now);
/* Sparse scheduling: name the blocks (by self pointer, already registered in s) at the other
 * end of `in` and of `out`, for tx_mac_filter. 0, or -1 when one is not registered. */
int tx_mac_set_peers(struct tx_mac *m, const struct sim *s, const void *in_peer,
                     const void *out_peer);
/* Neighbour filter (sim_set_neighbour_filter): the neighbours of adj at the end of a FIFO whose
 * pointers the last commit moved; they read nothing else of this block (their next_event reads
 * their own registers and their FIFOs). Needs tx_mac_set_peers. */
static inline uint32_t tx_mac_filter(const struct tx_mac *m, uint32_t adj)
{
    uint32_t keep = (m->moved & TX_MAC_MOVED_IN ? m->peer_in : 0) |
                    (m->moved & TX_MAC_MOVED_OUT ? m->peer_out : 0);
    return adj & keep;
}
/* Whole step when due alone (sim_set_step): eval, commit, tx_mac_filter, next event. */
uint64_t tx_mac_step(void *self, uint64_t now, uint32_t adj, uint32_t *nbrs);

struct rx_mac {
    struct nic_ctx *ctx;
    struct pkt_pool *pool;
    struct fifo *out;
    uint64_t wire_free;  /* cycle the RX wire is free for the next frame's first byte */
    uint32_t next_id;
};

void rx_mac_init(struct rx_mac *m, struct nic_ctx *ctx, struct pkt_pool *pool,
                 struct fifo *out);
/* Host side, between cycles: a frame arrives now. 0, -EAGAIN (no buffer / FIFO full: counted
 * rx_fifo_full), -EINVAL (len 0 or > mtu: counted bad_syntax). */
int rx_mac_frame(struct rx_mac *m, const uint8_t *frame, size_t len, uint64_t now);

#endif

/* nd_dev.h - the device core of the driver shim: probe, rings, TX/RX, events, mailbox-backed
 * SA table with a shadow copy, reset and restore. The OS personalities (nd_xfrm.h for Linux,
 * nd_bsd.h for FreeBSD) sit on top; a harness or the nicsim CLI drives time through
 * nd_dev_run() or its own loop of nd_bus_run() + nd_dev_poll().
 *
 * Life cycle:   nd_dev_probe -> nd_dev_open (rings on, RX buffers posted) -> traffic ->
 *               nd_dev_down (every SA deleted and freed, rings off) -> nd_dev_remove.
 * Memory:       the driver allocates its rings, completion rings, head write-back words and
 *               one bounce buffer per ring slot in its own memory, and maps them through the
 *               bus once at probe (see nd_bus.h on why there are no per-packet mappings).
 * Shadow SAs:   every SA the driver installs is kept in a shadow table (configuration, key,
 *               sequence state, device handle). Slot numbers are the driver's own handles: they
 *               stay valid across a device reset, which re-installs every SA and may hand out
 *               different device handles. Device handles never leave the core.
 * SA removal:   delete stops new use (TX: the card entry goes when the SA's descriptors have
 *               completed, so none is lost; RX: the card stops matching at once); free drains
 *               the SA's completions and in-flight RX, then releases the card slot and zeroes
 *               the key in the shadow. No memory is freed while a descriptor refers to it.
 * Errors:       returned as -errno; nothing is printed. No global state.
 */
#ifndef ND_DEV_H
#define ND_DEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nd_bus.h"
#include "nd_mbox.h"

struct nd_dev;

struct nd_dev_cfg {
    uint32_t tx_ring;        /* TX descriptor (and completion) ring entries, power of two  */
    uint32_t rx_ring;        /* RX ring entries, power of two                               */
    uint32_t mtu;            /* largest IP packet the driver hands the card (after ESP)     */
    uint64_t mbox_timeout;   /* device cycles a mailbox command may take                    */
    uint64_t drain_timeout;  /* device cycles free/reset may wait for in-flight work        */
};
void nd_dev_cfg_default(struct nd_dev_cfg *c);

struct nd_dev_info {
    uint32_t id, version, caps;        /* TOP registers                                      */
    uint32_t rx_sa_max, tx_sa_max, engines, clock_mhz, window_max;
};

/* Bind to the device on `bus`: check ID and VERSION (an unknown ID or register map major
 * version is refused: -ENODEV with the reason in err), read CAPS and table sizes, allocate and
 * map rings and buffers. The device is not started (nd_dev_open). cfg may be NULL. */
int nd_dev_probe(struct nd_bus *bus, const struct nd_dev_cfg *cfg, struct nd_dev **out,
                 char *err, size_t errlen);
/* Stop the device and free the driver's memory (SAs still installed are freed first). The
 * bus is not destroyed. */
void nd_dev_remove(struct nd_dev *dev);
const struct nd_dev_info *nd_dev_info(const struct nd_dev *dev);
struct nd_bus *nd_dev_bus(struct nd_dev *dev);
/* The largest frame the driver hands the card (configuration). */
uint32_t nd_dev_mtu(const struct nd_dev *dev);

/* Program and enable the rings, post every RX buffer. 0, -EIO (the card refused the ring set-up:
 * DMA ERR_CAUSE non-zero), -EBUSY (already open). */
int nd_dev_open(struct nd_dev *dev);
/* Interface down: the upper layer's down hook runs first (it deletes and frees its SAs), then
 * every SA left is deleted and freed, then the rings are stopped. */
void nd_dev_down(struct nd_dev *dev);
bool nd_dev_is_open(const struct nd_dev *dev);

/* ---- upper layer (personality) ------------------------------------------------------------ */
struct nd_rx_pkt {
    uint8_t *data;           /* the delivered bytes (the driver's buffer: valid during the call) */
    uint32_t len;
    uint8_t flags;           /* NIC_RXF_*                                                      */
    uint8_t status;          /* NIC_RXS_* (Linux CRYPTO_* codes)                               */
    int sa;                  /* shadow slot of the SA the card matched, -1 for none            */
    uint32_t seq_hi;         /* ESN high half the card used                                    */
};
struct nd_tx_done {
    int sa;                  /* shadow slot the descriptor used, -1 for a plain frame          */
    uint16_t status;         /* NIC_TXS_*, or ND_TXS_ABORTED when a reset discarded it         */
    uint32_t wire_len;
    void *ctx;               /* the value given to nd_dev_xmit                                 */
};
#define ND_TXS_ABORTED 0xffffu

enum nd_event_kind { ND_EV_SOFT_EXPIRE = 1, ND_EV_HARD_EXPIRE = 2 };

struct nd_upper {
    void (*rx)(void *ctx, const struct nd_rx_pkt *pkt);
    void (*tx_done)(void *ctx, const struct nd_tx_done *done);
    void (*event)(void *ctx, int sa, enum nd_event_kind kind);
    void (*down)(void *ctx);  /* interface down: delete and free the personality's SAs        */
};
void nd_dev_set_upper(struct nd_dev *dev, const struct nd_upper *up, void *ctx);

/* ---- data path ---------------------------------------------------------------------------- */
/* Post one frame: sa < 0 sends it without IPsec; otherwise the descriptor carries the SA's
 * device handle (crypto offload: frame already holds ESP header, trailer and ICV room; packet
 * offload: plain frame) and seq_hi (crypto offload ESN). 0, -EAGAIN (ring full after reaping),
 * -EMSGSIZE (longer than mtu), -ENOENT (sa not live), -ENETDOWN (not open). */
int nd_dev_xmit(struct nd_dev *dev, const uint8_t *frame, size_t len, int sa, uint32_t seq_hi,
                void *ctx);
/* Free TX descriptors (after reaping completions): a caller that must not consume anything
 * (a sequence number) for a frame it cannot post checks this first. */
uint32_t nd_dev_tx_room(struct nd_dev *dev);
/* Reap TX completions, deliver RX completions (re-posting their buffers), dispatch events and
 * error causes. Returns the number of completions and events handled. */
unsigned nd_dev_poll(struct nd_dev *dev);
/* Run the device and poll until both are idle, or max_cycles of device time passed. */
bool nd_dev_run(struct nd_dev *dev, uint64_t max_cycles);

/* ---- SAs (shadow table + mailbox) ----------------------------------------------------------- */
enum nd_sa_dir { ND_SA_IN = 0, ND_SA_OUT = 1 };            /* = SAT.DIR                        */
enum nd_sa_offload { ND_OFFLOAD_CRYPTO = 0, ND_OFFLOAD_PACKET = 1 };

struct nd_sa_cfg {
    uint8_t dir;             /* enum nd_sa_dir                                                  */
    uint8_t tunnel;          /* 0 transport, 1 tunnel                                           */
    uint8_t offload;         /* enum nd_sa_offload                                              */
    bool v6;                 /* RX: daddr family; TX tunnel: outer header family                */
    bool esn;
    uint8_t icv_len;         /* bytes: 8, 12, 16                                                */
    uint8_t keymat_len;      /* 20, 28, 36: AES key || salt                                     */
    uint8_t keymat[36];
    uint32_t spi;
    uint8_t daddr[16];       /* RX match address (IPv4: first 4 bytes)                          */
    uint8_t tun_src[16], tun_dst[16]; /* TX tunnel outer addresses                              */
    uint32_t replay_window;  /* RX packet offload (0 = device default)                         */
    uint64_t seq;            /* TX: last SN used; RX: window top                                */
    uint64_t soft_packets, hard_packets;
    uint64_t soft_bytes, hard_bytes;  /* sent to the card in KiB, rounded up                   */
};

enum nd_sa_state { ND_SA_FREE = 0, ND_SA_LIVE, ND_SA_DYING, ND_SA_DEAD };

struct nd_sa_info {
    const struct nd_sa_cfg *cfg; /* the shadow copy (key included: the card never returns it) */
    uint8_t state;               /* enum nd_sa_state                                            */
    int hw;                      /* device handle, -1 when not on the card                      */
    uint32_t tx_inflight;        /* descriptors posted and not completed                        */
    uint32_t gen;                /* bumped each time the slot is freed (stale handle check)      */
    void *owner;
};

/* Install on the card and in the shadow. Returns the shadow slot (>= 0) or the mailbox error:
 * -EINVAL, -ENOSPC (card table full), -EEXIST, -EOPNOTSUPP (card lacks a capability),
 * -ETIMEDOUT, -EIO; -ENOMEM when the shadow table is full. */
int nd_sa_add(struct nd_dev *dev, const struct nd_sa_cfg *cfg, void *owner);
/* Stop using the SA (see the header comment). 0, -ENOENT (not live). */
int nd_sa_delete(struct nd_dev *dev, int sa);
/* Drain, release the card slot, forget the shadow entry. 0, -ENOENT, -EBUSY (not deleted),
 * -ETIMEDOUT (in-flight work did not drain: the entry stays, call again). */
int nd_sa_free(struct nd_dev *dev, int sa);
/* RX crypto offload with ESN: the software window's bottom (advance_esn). Sends the card an
 * update only when the bottom moved to another quarter of the 2^32 space or epoch (nd_sa.c). */
int nd_sa_advance_esn(struct nd_dev *dev, int sa, uint64_t bottom);
/* Packets and bytes the card counted for the SA, including those before a reset. */
int nd_sa_stats(struct nd_dev *dev, int sa, uint64_t *packets, uint64_t *bytes);
/* Software's highest authenticated SN of an RX SA (crypto offload): used to restore it. */
void nd_sa_set_rx_top(struct nd_dev *dev, int sa, uint64_t top);
int nd_sa_info(const struct nd_dev *dev, int sa, struct nd_sa_info *info);
/* Shadow slots in use (any state) and slot capacity; iterate slots 0 .. capacity-1. */
unsigned nd_sa_count(const struct nd_dev *dev);
unsigned nd_sa_capacity(const struct nd_dev *dev);

/* ---- reset ---------------------------------------------------------------------------------- */
enum nd_reset_kind {
    ND_RESET_MBOX = 0,  /* mailbox RESET: the card frees every SA; rings keep running          */
    ND_RESET_FLR = 1    /* function-level reset through the bus: all device state is lost     */
};
/* Quiesce, reset, re-program the rings (FLR) and restore every live SA from the shadow table
 * with its sequence state. TX descriptors lost in an FLR complete as ND_TXS_ABORTED. SAs that
 * were being deleted are not restored (their free then skips the card). 0 or -errno; a
 * restore failure of one SA does not stop the others (the first error is returned and the SA
 * stays in the shadow with hw = -1). */
int nd_dev_reset(struct nd_dev *dev, enum nd_reset_kind kind);

/* ---- statistics ------------------------------------------------------------------------------ */
struct nd_dev_stats {
    uint64_t tx_posted, tx_completed, tx_errors, tx_aborted, tx_ring_full;
    uint64_t rx_delivered, rx_errors;
    uint64_t events, events_lost, dma_errors, resets, sa_restored, sa_restore_failed;
    uint64_t esn_updates;
    struct nd_mbox_stats mbox;
};
const struct nd_dev_stats *nd_dev_stats(const struct nd_dev *dev);

#endif

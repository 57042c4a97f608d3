/* nd_xfrm.h - the Linux personality: a user-space struct xfrm_state, the driver's xfrmdev_ops,
 * and the part of the xfrm stack around them (xfrm_dev_state_add's fallback rules, output
 * through the device or in software, input after CRYPTO_DONE or in software).
 *
 * Names and numbers follow the kernel (include/net/xfrm.h, uapi/linux/xfrm.h): AF_INET 2 /
 * AF_INET6 10, XFRM_MODE_TRANSPORT 0 / TUNNEL 1, XFRM_STATE_ESN 128, XFRM_DEV_OFFLOAD_IN 1 /
 * OUT 2, XFRM_DEV_OFFLOAD_CRYPTO 1 / PACKET 2, key-manager states VALID 2 / EXPIRED 4 / DEAD 5,
 * CRYPTO_* status codes (the card's NIC_RXS_*). Differences, all deliberate: id.spi is kept in
 * host order; the struct carries the shim's software state (replay window, golden SA) after
 * the kernel fields; the caller owns the memory of every state and of its aead.
 *
 * Return codes (xdo_dev_state_add): 0 offloaded; -EOPNOTSUPP the device cannot take this SA
 * (capability missing, or its table is full by default): crypto offload then falls back to
 * software, as xfrm_dev_state_add does, and the SA works; -EINVAL bad parameters (the SA
 * fails); -ENOSPC table full with the netdevsim/ixgbe-compatible setting (the SA fails, as it
 * does with those drivers); -EEXIST, -ETIMEDOUT, -EIO from the card (the SA fails). Packet
 * offload never falls back (the kernel refuses -EOPNOTSUPP there too). An ESN SA is refused
 * with -EINVAL by the stack when the device has no advance_esn (no CAPS.ESN), before the
 * driver is asked, as net/xfrm/xfrm_device.c does ("Device doesn't support offload with ESN").
 */
#ifndef ND_XFRM_H
#define ND_XFRM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "esp_golden.h"
#include "nd_dev.h"
#include "nd_replay.h"

#define ND_AF_INET 2
#define ND_AF_INET6 10
#define ND_IPPROTO_ESP_ID 50
#define ND_XFRM_MODE_TRANSPORT 0
#define ND_XFRM_MODE_TUNNEL 1
#define ND_XFRM_STATE_ESN 128
#define ND_XFRM_DEV_OFFLOAD_UNSPECIFIED 0
#define ND_XFRM_DEV_OFFLOAD_IN 1
#define ND_XFRM_DEV_OFFLOAD_OUT 2
#define ND_XFRM_DEV_OFFLOAD_CRYPTO 1
#define ND_XFRM_DEV_OFFLOAD_PACKET 2
#define ND_XFRM_STATE_VALID 2
#define ND_XFRM_STATE_EXPIRED 4
#define ND_XFRM_STATE_DEAD 5
#define ND_XFRM_INF UINT64_MAX
#define ND_XFRM_AEAD_RFC4106 "rfc4106(gcm(aes))"

typedef union {
    uint8_t b[16];
    uint32_t a4;       /* network order */
    uint32_t a6[4];
} nd_xfrm_address_t;

struct nd_xfrm_algo_aead {
    char alg_name[64];
    unsigned alg_key_len;  /* bits, key || salt: 160, 224, 288 */
    unsigned alg_icv_len;  /* bits: 64, 96, 128 */
    uint8_t alg_key[36];
};

struct nd_netdev;

struct nd_xfrm_state {
    struct {
        nd_xfrm_address_t daddr;
        uint32_t spi;          /* host order (the kernel keeps __be32)               */
        uint8_t proto;         /* IPPROTO_ESP                                         */
    } id;
    struct {
        uint16_t family;       /* ND_AF_INET / ND_AF_INET6                             */
        uint8_t mode;          /* ND_XFRM_MODE_*                                       */
        uint8_t flags;         /* ND_XFRM_STATE_ESN                                    */
        uint32_t reqid;
        uint32_t replay_window;
        nd_xfrm_address_t saddr;
    } props;
    struct nd_xfrm_algo_aead *aead;
    struct {
        struct nd_netdev *dev; /* set while offloaded                                 */
        uint64_t offload_handle; /* the driver's opaque handle; 0 = none               */
        uint8_t dir;           /* ND_XFRM_DEV_OFFLOAD_IN / OUT                          */
        uint8_t type;          /* ND_XFRM_DEV_OFFLOAD_CRYPTO / PACKET                   */
    } xso;
    struct {
        uint64_t soft_byte_limit, hard_byte_limit, soft_packet_limit, hard_packet_limit;
    } lft;                     /* ND_XFRM_INF or 0 = none                              */
    struct {
        uint64_t bytes, packets;
    } curlft;
    struct {
        uint32_t seq, seq_hi;  /* RX: highest SN authenticated                        */
        uint32_t oseq, oseq_hi;/* TX: last SN used                                     */
        uint32_t replay_window;
    } replay_esn;
    struct {
        uint8_t state;         /* ND_XFRM_STATE_*                                      */
        bool soft_expired;
    } km;
    /* ---- shim: software state the stack keeps (not in the kernel struct) ------------------ */
    struct {
        struct nd_replay replay;     /* RX anti-replay (crypto offload and software SAs) */
        struct gold_sa gsa;          /* software ESP                                      */
        uint8_t dir;                 /* requested direction, kept when the offload fails  */
        bool offload_requested;
        struct nd_xfrm_state *next;  /* the netdev's list of states                       */
    } shim;
};

struct nd_xfrmdev_ops {
    int (*xdo_dev_state_add)(struct nd_netdev *dev, struct nd_xfrm_state *x, const char **extack);
    void (*xdo_dev_state_delete)(struct nd_netdev *dev, struct nd_xfrm_state *x);
    void (*xdo_dev_state_free)(struct nd_netdev *dev, struct nd_xfrm_state *x);
    bool (*xdo_dev_offload_ok)(const uint8_t *pkt, size_t len, struct nd_xfrm_state *x);
    void (*xdo_dev_state_advance_esn)(struct nd_xfrm_state *x);
    void (*xdo_dev_state_update_stats)(struct nd_xfrm_state *x);
};

struct nd_netdev_cfg {
    bool enospc_compat; /* table full -> -ENOSPC (netdevsim/ixgbe), else -EOPNOTSUPP */
};

/* One received packet as the stack sees it after xfrm input. */
struct nd_xfrm_rx {
    const uint8_t *pkt;
    size_t len;
    struct nd_xfrm_state *x;   /* the SA it was decrypted with, NULL for plain packets     */
    bool crypto_done;          /* the card did the crypto (CRYPTO_DONE)                    */
    uint8_t status;            /* xo->status: CRYPTO_SUCCESS (1) for offloaded deliveries   */
    bool software;             /* decrypted by the shim (golden library)                   */
};
typedef void (*nd_xfrm_rx_fn)(void *user, const struct nd_xfrm_rx *rx);

struct nd_netdev_stats {
    uint64_t tx_plain, tx_offload, tx_sw, tx_dropped, tx_offload_refused;
    uint64_t rx_plain, rx_offload, rx_sw;
    uint64_t rx_auth_failed, rx_replay, rx_no_state, rx_state_invalid, rx_bad_syntax, rx_dummy;
    uint64_t tx_completed, tx_failed;
    uint64_t soft_expired, hard_expired;
};

/* Attach the personality to an opened or closed device (it becomes the device's upper layer). */
struct nd_netdev *nd_netdev_create(struct nd_dev *dev, const struct nd_netdev_cfg *cfg);
/* Detach: every offloaded state is deleted and freed first (as at interface down). */
void nd_netdev_destroy(struct nd_netdev *nd);
const struct nd_xfrmdev_ops *nd_netdev_ops(const struct nd_netdev *nd);
struct nd_dev *nd_netdev_dev(struct nd_netdev *nd);
void nd_netdev_set_rx(struct nd_netdev *nd, nd_xfrm_rx_fn fn, void *user);
const struct nd_netdev_stats *nd_netdev_stats(const struct nd_netdev *nd);

/* ---- the stack ------------------------------------------------------------------------------- */
/* Fill *x for an RFC 4106 SA (helper for tests and the CLI; the caller may edit it after). */
void nd_xfrm_state_init(struct nd_xfrm_state *x, struct nd_xfrm_algo_aead *aead, int family,
                        const uint8_t *saddr, const uint8_t *daddr, uint32_t spi, int mode,
                        const uint8_t *keymat, size_t keymat_len, unsigned icv_bits);
/* xfrm_state_add + xfrm_dev_state_add. offload: ND_XFRM_DEV_OFFLOAD_CRYPTO/PACKET to ask for
 * offload with direction dir (ND_XFRM_DEV_OFFLOAD_IN/OUT), 0 for a software SA (dir is still
 * needed: the shim's SAD is per direction). 0 when the SA exists (offloaded or fallen back:
 * see x->xso.dev), or the error that made it fail; *extack gets a message (may be NULL). */
int nd_xfrm_state_add(struct nd_netdev *nd, struct nd_xfrm_state *x, uint8_t dir,
                      uint8_t offload, const char **extack);
/* xfrm_state_delete: device delete, then free once the device has drained. 0 or -ENOENT. */
int nd_xfrm_state_delete(struct nd_netdev *nd, struct nd_xfrm_state *x);
/* Interface down: every offloaded state is flushed (deleted, freed, marked DEAD), then the
 * device's rings stop. Software states stay. */
void nd_netdev_down(struct nd_netdev *nd);
/* Device reset (mailbox or FLR); the driver restores the offloaded SAs from its shadow. */
int nd_netdev_reset(struct nd_netdev *nd, enum nd_reset_kind kind);
/* xdo_dev_state_update_stats, then the lifetime check the stack makes on curlft. */
void nd_xfrm_state_update_stats(struct nd_xfrm_state *x);

/* Output of one IP packet: x NULL sends it plain; an offloaded x goes through the device
 * (crypto offload: the shim builds ESP with the next SN as IV; packet offload: plain frame and
 * the handle) unless xdo_dev_offload_ok refuses it, in which case crypto offload SAs use the
 * software path for this packet and packet offload SAs drop it (-EMSGSIZE / -EINVAL); a
 * software x is encrypted with the golden library and sent without the IPsec flag.
 * 0, -EAGAIN (TX ring full: nothing consumed, run the device and retry), -ENOENT (x not valid),
 * -EKEYEXPIRED (hard lifetime), -EOVERFLOW (SN space exhausted), -EINVAL, -EMSGSIZE. */
int nd_xmit(struct nd_netdev *nd, const uint8_t *pkt, size_t len, struct nd_xfrm_state *x);

/* ---- debug ------------------------------------------------------------------------------------ */
/* The netdevsim ipsec debugfs text (drivers/net/netdevsim/ipsec.c): "SA count=N tx=N" then
 * three lines per offloaded SA. Returns the length written (NUL-terminated), or -ENOSPC with
 * the text truncated. */
int nd_xfrm_dump(const struct nd_netdev *nd, char *buf, size_t cap);

#endif

/* nd_bsd.h - the FreeBSD personality: the driver's if_ipsec_accel_methods (if_sa_newkey,
 * if_sa_deinstall, if_sa_cnt, if_hwassist) and the part of sys/netipsec/ipsec_offload.c around
 * them, in user space.
 *
 * FreeBSD offloads whole SAs (packet offload, as mlx5 does): the card adds and removes ESP,
 * numbers packets and checks replay. The stack installs an SA asynchronously: nd_bsd_sa_install
 * records the decision and queues the driver call on a single-threaded work queue
 * (ipsec_accel_tq); until the work has run - nd_bsd_drain() runs it, in order - the SA is
 * processed in software, and if the driver refuses it the SA simply stays in software.
 * Removal is the same: the SA is marked de-installed at once (SADB_KEY_ACCEL_DEINST, no more
 * offloaded output) and the driver call is queued. The driver keys its shadow SAD by the 16-bit
 * driver handle (drv_spi) the stack allocated; if_sa_deinstall gets only that handle and priv,
 * and if_hwassist must not look at the sav (the stack may already have dropped it).
 * Counters: if_sa_cnt reports absolute packet and byte counts (across device resets); the stack
 * keeps the last values it saw and adds the deltas to the SA's current lifetime.
 */
#ifndef ND_BSD_H
#define ND_BSD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "esp_golden.h"
#include "nd_dev.h"
#include "nd_replay.h"

#define ND_BSD_DIR_INBOUND 1  /* IPSEC_DIR_INBOUND */
#define ND_BSD_DIR_OUTBOUND 2 /* IPSEC_DIR_OUTBOUND */
#define ND_BSD_ACCEL_INST 0x1u    /* SADB_KEY_ACCEL_INST: installed in the device         */
#define ND_BSD_ACCEL_DEINST 0x2u  /* SADB_KEY_ACCEL_DEINST: being / been removed          */
#define ND_BSD_ACCEL_PENDING 0x4u /* shim: newkey queued, not run yet                     */

struct nd_bsd_sc;

struct nd_seclifetime {
    uint64_t allocations; /* packets */
    uint64_t bytes;
    uint64_t addtime, usetime;
};

/* The stack's SA (struct secasvar, the fields a driver may read in if_sa_newkey). */
struct nd_bsd_sav {
    uint32_t spi;             /* host order                                             */
    int family;               /* 2 AF_INET, 28 AF_INET6 (FreeBSD)                        */
    uint8_t src[16], dst[16];
    bool tunnel, esn;
    uint8_t dir;              /* ND_BSD_DIR_*                                             */
    uint32_t replay_window;   /* packets                                                  */
    uint8_t keymat[36];
    uint8_t keymat_len;       /* 20, 28, 36                                               */
    uint8_t icv_len;          /* bytes                                                    */
    uint64_t seq;             /* TX: last SN used (software and installed alike)          */
    struct nd_seclifetime lft_c; /* current lifetime (deltas of if_sa_cnt added)          */
    /* ---- stack bookkeeping ---- */
    uint32_t accel_flags;     /* ND_BSD_ACCEL_*                                            */
    int accel_error;          /* last if_sa_newkey result                                 */
    uint32_t drv_spi;         /* 0 = none                                                  */
    void *priv;               /* the driver's privp                                       */
    struct nd_seclifetime last_hw; /* last absolute counters if_sa_cnt reported            */
    struct gold_sa gsa;
    struct nd_replay replay;
    struct nd_bsd_sav *next;
};

#define ND_BSD_AF_INET 2
#define ND_BSD_AF_INET6 28

typedef int (*nd_if_sa_newkey_fn)(struct nd_bsd_sc *ifp, void *sav, unsigned drv_spi,
                                  void **privp);
typedef int (*nd_if_sa_deinstall_fn)(struct nd_bsd_sc *ifp, unsigned drv_spi, void *priv);
typedef int (*nd_if_sa_cnt_fn)(struct nd_bsd_sc *ifp, void *sa, uint32_t drv_spi, void *priv,
                               struct nd_seclifetime *lt);
typedef int (*nd_if_ipsec_hwassist_fn)(struct nd_bsd_sc *ifp, void *sav, unsigned drv_spi,
                                       void *priv);

struct nd_if_ipsec_accel_methods {
    nd_if_sa_newkey_fn if_sa_newkey;
    nd_if_sa_deinstall_fn if_sa_deinstall;
    nd_if_sa_cnt_fn if_sa_cnt;
    nd_if_ipsec_hwassist_fn if_hwassist;
};

/* if_hwassist's answer for an installed SA (CSUM_IPSEC-like bit). */
#define ND_BSD_HWASSIST_IPSEC 0x1

struct nd_bsd_rx {
    const uint8_t *pkt;
    size_t len;
    struct nd_bsd_sav *sav;    /* NULL for plain packets                                 */
    uint32_t drv_spi;          /* the handle the card reported (ipsec_accel_in), 0 = sw  */
    bool software;
};
typedef void (*nd_bsd_rx_fn)(void *user, const struct nd_bsd_rx *rx);

struct nd_bsd_stats {
    uint64_t newkey_ok, newkey_failed, deinstalled, queued;
    uint64_t tx_hw, tx_sw, tx_plain, tx_dropped;
    uint64_t rx_hw, rx_sw, rx_plain, rx_drop;
};

struct nd_bsd_sc *nd_bsd_attach(struct nd_dev *dev);
/* Interface detach: drains the queue, de-installs everything. */
void nd_bsd_detach(struct nd_bsd_sc *sc);
const struct nd_if_ipsec_accel_methods *nd_bsd_methods(const struct nd_bsd_sc *sc);
void nd_bsd_set_rx(struct nd_bsd_sc *sc, nd_bsd_rx_fn fn, void *user);
const struct nd_bsd_stats *nd_bsd_stats(const struct nd_bsd_sc *sc);

/* ---- the stack ------------------------------------------------------------------------------- */
/* Add an SA to the stack's SAD and queue its installation. 0, -EINVAL (bad SA), -EEXIST. */
int nd_bsd_sa_add(struct nd_bsd_sc *sc, struct nd_bsd_sav *sav);
/* Remove an SA: de-install flag now, driver call queued; the sav leaves the SAD at once but the
 * caller must keep its memory until nd_bsd_drain() has run the queued work. */
int nd_bsd_sa_delete(struct nd_bsd_sc *sc, struct nd_bsd_sav *sav);
/* Run every queued install / de-install, in order (the work queue thread). Returns the number
 * of work items run. */
unsigned nd_bsd_drain(struct nd_bsd_sc *sc);
/* Pending work items. */
unsigned nd_bsd_queued(const struct nd_bsd_sc *sc);
/* ipsec_accel_sa_lifetime_op: ask if_sa_cnt, add the deltas to sav->lft_c. */
int nd_bsd_sa_lifetime_update(struct nd_bsd_sc *sc, struct nd_bsd_sav *sav);
/* Output: hardware when if_hwassist says so, else software (golden library). */
int nd_bsd_output(struct nd_bsd_sc *sc, const uint8_t *pkt, size_t len, struct nd_bsd_sav *sav);
/* Device reset through the driver (restores the installed SAs). */
int nd_bsd_reset(struct nd_bsd_sc *sc, enum nd_reset_kind kind);

#endif

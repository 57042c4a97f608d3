/* nd_priv.h - the device core's private state, shared by nd_dev.c (probe, open, down, reset),
 * nd_rings.c (descriptor rings and the data path) and nd_sa.c (shadow SA table). Nothing
 * outside the core includes this file.
 */
#ifndef ND_PRIV_H
#define ND_PRIV_H

#include "nd_dev.h"
#include "nicsim/desc.h"

/* One shadow SA. Slots are never freed while the device exists, so a slot number held by a
 * ring entry can always be looked at (generation numbers tell a reused slot apart). */
struct nd_sa {
    struct nd_sa_cfg cfg;
    uint8_t state;            /* enum nd_sa_state                                         */
    bool hw_delete_pending;   /* TX SA deleted in the shadow, card delete waits for drain */
    int hw;                   /* device handle or -1                                      */
    uint32_t gen;
    uint32_t tx_inflight;
    uint64_t tx_posted;       /* descriptors posted since install / restore               */
    uint64_t base_packets, base_bytes; /* card counters before the last reset             */
    uint64_t rx_top;          /* software replay window top (crypto offload RX)           */
    uint64_t esn_sent;        /* window bottom last sent with ESN_ADVANCE                 */
    bool esn_sent_valid;
    void *owner;
};

struct nd_tx_slot {
    int sa;                   /* shadow slot or -1                                        */
    uint32_t gen;
    void *ctx;
};

struct nd_ring {
    void *mem;                /* host memory of the ring                                  */
    uint64_t iova;
    uint32_t size;            /* entries                                                  */
};

struct nd_dev {
    struct nd_bus *bus;
    struct nd_dev_cfg cfg;
    struct nd_dev_info info;
    bool open;
    /* rings and buffers: one coherent block for rings and write-backs, one for buffers */
    uint8_t *ring_mem, *buf_mem;
    uint64_t ring_iova, buf_iova;
    size_t ring_len, buf_len_total;
    uint32_t buf_len;         /* bytes per buffer                                         */
    struct nd_ring txd, txc, rxd, rxc;
    uint64_t wb_iova;
    volatile uint32_t *txc_wb, *rxc_wb; /* head write-back words (the card writes them)   */
    uint32_t tx_tail, tx_clean, rx_tail, rx_clean;
    struct nd_tx_slot *tx_slot;
    bool in_reap;             /* completion handlers may post; they must not reap again   */
    /* shadow SA table and device-handle maps */
    struct nd_sa *sa;
    unsigned sa_cap, sa_used;
    unsigned deletes_pending; /* TX SAs whose card delete waits for their completions     */
    int *rx_map, *tx_map;     /* device handle -> shadow slot, -1                         */
    /* upper layer */
    struct nd_upper up;
    void *up_ctx;
    struct nd_dev_stats st;
};

/* nd_rings.c */
int nd_rings_alloc(struct nd_dev *dev);
void nd_rings_free(struct nd_dev *dev);
int nd_rings_start(struct nd_dev *dev);
void nd_rings_stop(struct nd_dev *dev);
/* Complete every TX descriptor still outstanding as ND_TXS_ABORTED (after an FLR). */
void nd_rings_abort_tx(struct nd_dev *dev);
unsigned nd_rings_reap(struct nd_dev *dev);

/* nd_sa.c */
int nd_sa_table_init(struct nd_dev *dev);
void nd_sa_table_free(struct nd_dev *dev);
struct nd_sa *nd_sa_get(struct nd_dev *dev, int sa);
int nd_sa_by_hw(const struct nd_dev *dev, unsigned dir, uint32_t hw);
/* A TX descriptor of `sa` completed: drop its in-flight count. */
void nd_sa_tx_done(struct nd_dev *dev, int sa, uint32_t gen);
/* Before a reset: fold the card's counters into the shadow. After: re-install. */
void nd_sa_save_counters(struct nd_dev *dev);
int nd_sa_restore_all(struct nd_dev *dev);
/* Card deletes that waited for TX completions (nd_dev_poll, outside reaping). */
void nd_sa_finish_deletes(struct nd_dev *dev);
/* Delete and free every SA (interface down, remove). */
void nd_sa_flush(struct nd_dev *dev);

/* nd_dev.c */
int nd_dev_mbox(struct nd_dev *dev, const struct nd_mbox_req *req, uint32_t resp[4]);

#endif

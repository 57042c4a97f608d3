/* dma.h - the dma block: descriptor rings in host memory, doorbells, completion write-back,
 * interrupt causes, and the PCIe read/write channels that carry them (docs/dma.md).
 *
 * Ports
 *   tx_out   (output, owned): TX packet tokens (struct pkt *, dir TX) for the pipeline, in
 *            descriptor order, each pushed with ready_at = the cycle its frame has fully arrived.
 *   tx_done  (input): TX tokens the pipeline finished (sent, or dropped with pkt->drop != 0),
 *            in any order; dma writes their completions in descriptor order (reorder stage).
 *   rx_in    (input): RX tokens from the pipeline, delivered to posted RX buffers in FIFO order;
 *            tokens with pkt->drop != 0 only have their buffer freed.
 *   irq      dma_irq(): level interrupt = (INTR_CAUSE & INTR_MASK) != 0.
 *   CSRs     dma_csr_read()/dma_csr_write(), called by the host between clock steps.
 * dma commits tx_out at every clock edge, and tx_done or rx_in at an edge where it popped a
 * token from it; the producer of tx_done and rx_in must commit the FIFO at the edge of a cycle
 * it pushed (fifo_commit is idempotent, so both ends committing the same FIFO is harmless).
 * The packet pool is committed by its owner.
 *
 * Rings (desc.h): index registers hold ring indices in [0, size); a ring is empty when
 * HEAD == TAIL and holds at most size - 1 entries. The device owns HEAD, the driver TAIL:
 *   TX_RING / RX_RING   TAIL = driver producer (doorbell), HEAD = device consumer
 *   TX_CPL  / RX_CPL    HEAD = device producer (also written back to WB), TAIL = driver consumer
 * Host-visible HEADs move only when the work commits, in order (Corundum): the TX ring HEAD
 * passes a descriptor when its completion has landed in host memory, not when it was fetched.
 *
 * Timing (cycles; L = latency, x(n) = ceil(n * bw_den / bw_num) = beats of an n-byte transfer):
 *   read issued in cycle t: data beats in [s, s + x(n)), s = max(t + L, rd_busy); done = s + x(n);
 *                           rd_busy = done. At most one read issued per cycle, at most
 *                           max_reads outstanding (issue .. done).
 *   TX descriptors: read in batches of up to B = txd_batch contiguous descriptors (one read of
 *              32k bytes, never across the ring wrap) into a descriptor cache (txd_cache),
 *              as soon as the cache has room for the batch; frame reads are issued from the
 *              cache in order (a descriptor arriving in cycle t can issue its frame read in t);
 *              the token is pushed with ready_at = frame done. Lone packet rung at cycle c:
 *              ready_at = c + 2L + x(32) + x(len).
 *   TX stream (uniform frames, xf = x(len), full batches of B): bandwidth-bound period
 *              B xf + x(32B) cycles per B packets (docs/dma.md has the condition).
 *   RX descriptors: prefetched in batches of up to R = rxd_batch contiguous descriptors (one
 *              read of 16k bytes, never across the ring wrap) into the RX descriptor cache
 *              (rxd_cache), as soon as the cache has room for the batch; a batch read retiring
 *              at cycle t makes its descriptors usable for a delivery from t + 1. With
 *              C = rxd_cache and D_r = L + x(16R) + 1, the prefetch keeps up with deliveries
 *              of r per cycle when r <= (C - R) / D_r (sufficient; never more than C / D_r).
 *   write job (TX completion, or RX frame + completion), posted: starts when the write channel
 *              is free, done = start + x(len) + x(16) + (wb ? x(4) : 0); at done the bytes land
 *              in host memory, HEADs move and the cause bit rises; the next job may start in the
 *              same cycle. TX completions and RX deliveries share the channel round-robin.
 */
#ifndef NICSIM_DMA_H
#define NICSIM_DMA_H

#include <stdbool.h>
#include <stdint.h>

#include "fifo.h"
#include "host_mem.h"
#include "nicsim/desc.h"
#include "nicsim/nicsim_params.h"
#include "nicsim/regs.h"
#include "pkt.h"
#include "pkt_pool.h"
#include "sim.h"

/* ---- CSRs ------------------------------------------------------------------------------------
 * X(name, access, doc). access: RW, RO (writes are errors), W1C (write 1 to clear), DB (doorbell:
 * RW, checked against the ring size). The lead maps these to MMIO offsets in regs.def. */
/* The register list lives in the register map (regs.def NICSIM_REGS_DMA): X(name, access,
 * reset, doc), register i at BAR0 NICSIM_DMA_BASE + 4 * i. */
#define DMA_REG_LIST(X) NICSIM_REGS_DMA(X)

enum dma_reg {
#define X(name, acc, reset, doc) DMA_##name,
    DMA_REG_LIST(X)
#undef X
    DMA_NREGS
};

#define DMA_CTRL_TX_EN ((uint32_t)NICSIM_DMA_CTRL_TX_EN_MASK) /* regs.def fields */
#define DMA_CTRL_RX_EN ((uint32_t)NICSIM_DMA_CTRL_RX_EN_MASK)

#define DMA_INTR_TX_CPL ((uint32_t)NICSIM_DMA_INTR_CAUSE_TX_CPL_MASK)
#define DMA_INTR_RX_CPL ((uint32_t)NICSIM_DMA_INTR_CAUSE_RX_CPL_MASK)
#define DMA_INTR_ERROR ((uint32_t)NICSIM_DMA_INTR_CAUSE_ERROR_MASK)

/* ERR_CAUSE bits: which kind of error raised INTR_CAUSE.ERROR. */
#define DMA_ERR_BAD_REG 0x001u   /* unknown register, write to RO, change while enabled     */
#define DMA_ERR_BAD_SIZE 0x002u  /* ring size not a power of two in 2..65536                 */
#define DMA_ERR_BAD_BASE 0x004u  /* enable: ring or write-back address not registered       */
#define DMA_ERR_BAD_TAIL 0x008u  /* tail >= ring size, or written while disabled             */
#define DMA_ERR_BAD_CTRL 0x010u  /* enable while the direction still has work in flight     */
#define DMA_ERR_TX_DMA 0x020u    /* TX descriptor or frame read outside registered memory   */
#define DMA_ERR_TX_DESC 0x040u   /* TX descriptor invalid (completed with NIC_TXS_BAD_DESC) */
#define DMA_ERR_RX_DMA 0x080u    /* RX descriptor read or buffer write outside registered  */
#define DMA_ERR_CPL_DMA 0x100u   /* completion or write-back address became unregistered   */
#define DMA_ERR_PORT 0x200u      /* pipeline returned a token dma does not expect           */

#define DMA_RING_MAX 65536u
#define DMA_RXD_BATCH_DEFAULT 8u
#define DMA_RXD_BATCH_MAX 256u  /* 256 x 16 B = 4 KiB, the largest PCIe read request        */
#define DMA_TXD_BATCH_DEFAULT 8u
#define DMA_TXD_BATCH_MAX 128u  /* 128 x 32 B = 4 KiB, the largest PCIe read request        */

enum dma_ring_id { DMA_TXD = 0, DMA_TXC = 1, DMA_RXD = 2, DMA_RXC = 3, DMA_NRINGS = 4 };

struct dma_cfg {
    uint32_t lat_cycles;       /* read latency, request to first beat                     */
    uint32_t bw_num, bw_den;   /* bandwidth: bw_num / bw_den bytes per cycle, each direction */
    uint32_t max_reads;        /* outstanding reads (descriptor, frame, RX descriptor)      */
    uint32_t mtu;              /* largest TX frame accepted                                */
    uint32_t rxd_batch;        /* RX descriptors per read, 1..256 (0 = default 8)          */
    uint32_t rxd_cache;        /* RX descriptor cache entries, >= rxd_batch, <= 65536
                                * (0 = default rxd_batch + max(rxd_batch, max_reads))     */
    uint32_t txd_batch;        /* TX descriptors per read, 1..128 (0 = default 8)          */
    uint32_t txd_cache;        /* TX descriptor cache entries, >= txd_batch, <= 65536
                                * (0 = default txd_batch + max(txd_batch, max_reads))     */
    struct pkt_pool *pool;
    struct host_mem *hm;
};

/* Fill cfg from the device parameters: lat = ceil(pcie_latency_ns * clock_mhz / 1000),
 * bytes/cycle = pcie_gbytes_per_s * 1000 / clock_mhz (kept as a fraction). */
void dma_cfg_from_params(struct dma_cfg *cfg, const struct nicsim_params *p,
                         struct pkt_pool *pool, struct host_mem *hm);
/* Beats (cycles) of an n-byte transfer: ceil(n * bw_den / bw_num); 0 for n = 0. */
uint64_t dma_xfer_cycles(const struct dma_cfg *cfg, uint64_t bytes);

struct dma_stats {
    uint64_t tx_desc_fetched;   /* TX descriptors read successfully                         */
    uint64_t tx_desc_reads;     /* TX descriptor batch reads issued (fetched / reads = batch) */
    uint64_t rx_desc_fetched;   /* RX descriptors read successfully (prefetch)              */
    uint64_t rx_desc_reads;     /* RX descriptor batch reads issued                         */
    uint64_t tx_cpl_written;    /* TX completions landed (any status)                       */
    uint64_t tx_ok;             /* ... of which NIC_TXS_OK                                   */
    uint64_t tx_dma_error;      /* TX descriptor/frame outside registered memory            */
    uint64_t tx_bad_desc;       /* TX len 0, len > mtu, unknown flags                       */
    uint64_t rx_delivered;      /* RX frames written with their completion                  */
    uint64_t rx_dma_error;      /* RX descriptor/buffer outside registered memory           */
    uint64_t rx_no_buffer;      /* RX live packet dropped: no descriptor posted             */
    uint64_t rx_too_small;      /* RX live packet dropped: frame > posted buffer            */
    uint64_t rx_pipeline_drop;  /* RX tokens the pipeline had dropped (buffer freed)        */
    uint64_t cpl_dma_error;     /* completion / write-back writes refused by host memory    */
    uint64_t csr_errors;        /* bad register accesses or values                         */
    uint64_t port_errors;       /* unexpected tokens on tx_done / rx_in (freed or ignored)  */
    uint64_t bytes_read;        /* data bytes moved on the read channel                     */
    uint64_t bytes_written;     /* data bytes moved on the write channel                    */
};

struct dma_ring_regs {
    uint64_t base;
    uint32_t size;  /* entries; 0 = not programmed                                      */
    uint32_t head;  /* device-owned index                                              */
    uint32_t tail;  /* driver-owned index                                              */
    uint64_t wb;    /* completion rings: head write-back IOVA, 0 = off                   */
};

enum dma_rd_kind { DMA_RD_TXD = 1, DMA_RD_FRAME = 2, DMA_RD_RXD = 3 };

/* One outstanding read (an entry of the read tracking RAM). */
struct dma_rd {
    uint8_t kind;       /* enum dma_rd_kind                                               */
    bool fault;         /* host memory refused the range: error completion at done        */
    uint32_t idx;       /* ring index of the (first) descriptor                           */
    uint32_t n;         /* TXD/RXD: descriptors in the batch (cache slots reserved)       */
    uint64_t done;      /* cycle the data (or the error) has fully arrived                */
    struct pkt *pkt;    /* FRAME: the packet buffer                                       */
};

/* One TX descriptor in the on-card descriptor cache, sampled from host memory when its batch
 * read was issued and visible to the frame-read stage once the batch has arrived. */
struct dma_txd_entry {
    struct nic_tx_desc d;
    bool fault;         /* this descriptor's bytes were refused: complete with DMA_ERROR  */
    uint8_t verdict;    /* enum nic_drop: why it will be dropped, decoded when sampled    */
    uint32_t idx;       /* its TX ring index                                              */
    uint64_t t_in;      /* cycle its batch read was issued (pkt->t_in)                    */
};

/* One prefetched RX descriptor in the on-card RX descriptor cache, sampled from host memory
 * when its batch read was issued and usable once the batch has arrived. */
struct dma_rxd_entry {
    struct nic_rx_desc d;
    bool fault;         /* the descriptor could not be read: complete with an error       */
};

enum dma_job_kind { DMA_JOB_NONE = 0, DMA_JOB_TX = 1, DMA_JOB_RX = 2 };

/* The write job in flight on the write channel. The RX fields are zero unless kind is
 * DMA_JOB_RX (an RX job's landing clears the whole job), so a TX job starts and lands by
 * kind, done and pkt alone. */
struct dma_job {
    uint8_t kind;       /* enum dma_job_kind                                              */
    uint64_t done;      /* cycle its writes land (write channel busy until)               */
    struct pkt *pkt;
    struct dma_rxd_entry rxd; /* RX: the buffer it fills                                  */
    bool rx_fault;      /* RX: buffer not writable, complete with an error, no data       */
};

/* The block's registers (flops); RAMs live outside, with write ports in dma_wr. */
struct dma_regs {
    /* Host-visible registers first (dma_commit copies them only when eval changed them). */
    struct dma_ring_regs ring[DMA_NRINGS];
    uint32_t ctrl, intr_cause, intr_mask, err_cause;
    /* Copied at every commit: the pointers and the read channel. */
    uint32_t txd_fetch;     /* next TX descriptor index to read                          */
    uint32_t txdc_rsv;      /* TX descriptor cache pointers (free-running): reserved by    */
    uint32_t txdc_wr;       /*   issued batch reads / arrived / taken by the frame stage;  */
    uint32_t txdc_rd;       /*   rd <= wr <= rsv, rsv - rd <= txd_cache                    */
    uint32_t tx_next_id;    /* pkt->id of the next TX packet                             */
    uint32_t tx_cpl_id;     /* pkt->id of the next TX completion (reorder head)          */
    uint32_t rxd_fetch;     /* next RX descriptor index to prefetch                      */
    uint32_t rq_wr, rq_rd;  /* read tracking RAM pointers (free-running)                 */
    uint32_t rxc_rsv;       /* RX descriptor cache pointers (free-running): reserved by    */
    uint32_t rxc_wr;        /*   issued batch reads / arrived / consumed by deliveries;     */
    uint32_t rxc_rd;        /*   rd <= wr <= rsv, rsv - rd <= rxd_cache                    */
    uint8_t wr_rr;          /* write arbiter: 1 = RX had the last grant                  */
    uint64_t rd_busy;       /* read channel busy until                                   */
    /* The write channel last (dma_commit copies it only when a job started or landed). */
    struct dma_job job;     /* write channel                                             */
};

/* Write enables of one cycle (struct dma_wr.we), applied at commit: the port FIFOs' pointers
 * dma moved (the DMA_PORT_* bits, below: commit commits an input FIFO only under its bit and
 * reports them as dma_port_changes()), the RAM write ports (secworks _we/_new style), and the
 * register groups that commit copies only when this cycle changed them (commit copies the
 * rest of d to q every cycle). */
#define DMA_WE_HOST 0x010u    /* d's host-visible registers (ring[] .. err_cause) changed  */
#define DMA_WE_TX_CPL 0x020u  /* of the host-visible registers only TX_CPL.HEAD, TX_RING.HEAD
                               * and INTR_CAUSE changed (a TX completion landed)            */
#define DMA_WE_JOB 0x040u     /* d.job changed (an RX write job started or landed)          */
#define DMA_WE_JOB_TX 0x080u  /* of d.job only kind, done and pkt changed (a TX job)        */
#define DMA_WE_RQ 0x100u      /* read tracking RAM: rq_new to slot rq_addr                  */
#define DMA_WE_ROB 0x200u     /* reorder buffer: rob_new[0..rob_nwe) to slots rob_addr[]    */
#define DMA_WE_ROB_CLR 0x400u /* reorder buffer: slot rob_clr_addr emptied                  */
#define DMA_WE_RXC 0x800u     /* RX descriptor cache: rxc_new[0..rxc_nwe) from rxc_addr     */
#define DMA_WE_TXDC 0x1000u   /* TX descriptor cache: txdc_new[0..txdc_nwe) from txdc_addr  */
#define DMA_WE_TXDC_RD 0x2000u /* d.txdc_rd moved (the cache head left): its head output   */
#define DMA_WE_RQ_RD 0x4000u  /* d.rq_rd moved (a read retired): the RAM's head output      */

/* RAM write ports of one cycle. The data fields are read only under their enable in `we`,
 * which commit clears with one store (rob_nwe, a count eval increments, too). */
struct dma_wr {
    uint32_t we;            /* DMA_PORT_* and DMA_WE_* bits                                */
    uint32_t rq_addr;
    struct dma_rd rq_new;
    unsigned rob_nwe;
    uint32_t rob_addr[3];
    struct pkt *rob_new[3];
    uint32_t rob_clr_addr;
    uint32_t rxc_nwe;       /* RX descriptor cache: entries rxc_new[0..nwe) go to slots    */
    uint32_t rxc_addr;      /*   rxc_addr, rxc_addr + 1, ... (free-running, wrapped)        */
    uint32_t txdc_nwe;      /* TX descriptor cache: entries txdc_new[0..nwe) go to slots   */
    uint32_t txdc_addr;     /*   txdc_addr, txdc_addr + 1, ... (free-running, wrapped)      */
};

struct dma {
    struct dma_cfg cfg;
    /* q/d discipline with one shortcut: d equals q whenever no eval is in progress (commit
     * copies d to q, and every host-side change of q through the CSR functions copies q to
     * d), so dma_eval starts from d without the hold copy d = q. Likewise the write ports
     * (wr) are idle between steps: commit applies them and clears them. */
    struct dma_regs q, d;
    struct dma_wr wr;
    /* Counters are not flops the logic reads: eval bumps them in place (nothing reads them
     * between an eval and its commit), so they stay out of the q/d copies. */
    struct dma_stats stats;
    /* RAMs */
    struct dma_rd *rq;          /* rq_mask + 1 entries                                    */
    struct pkt **rob;           /* rob_mask + 1 entries, indexed by pkt->id & rob_mask    */
    struct dma_rxd_entry *rxc;  /* rxc_mask + 1 entries; rxd_cache of them used           */
    struct dma_rxd_entry *rxc_new; /* write-port data of one batch (rxd_batch entries)    */
    struct dma_txd_entry *txdc; /* txdc_mask + 1 entries; txd_cache of them used          */
    struct dma_txd_entry *txdc_new; /* write-port data of one batch (txd_batch entries)   */
    uint32_t rq_mask, rob_mask, rxc_mask, txdc_mask; /* entries - 1 (powers of two)       */
    /* RAM head outputs, kept by commit so that eval and next_event read one field instead of
     * addressing the RAM (the CSR functions change neither the RAMs nor their head pointers;
     * -DDMA_CHECK_DQ checks all three at every eval).
     * The reorder buffer's head-valid output: rob[q.tx_cpl_id & rob_mask] != NULL, updated at
     * the commits that write the buffer (eval and next_event test it every step; the slot
     * lookup cost three dependent loads each time). */
    bool rob_head;
    /* The TX descriptor cache's head output: the slot at q.txdc_rd holds a descriptor that
     * will be dropped (verdict != NIC_DROP_NONE; meaningful once the head has arrived),
     * updated at the commits that move txdc_rd or write the cache. */
    bool txdc_head_bad;
    /* The read tracking RAM's head output: rq[q.rq_rd & rq_mask].done (the oldest read's
     * done cycle while one is outstanding), updated at the commits that move rq_rd or write
     * the RAM. */
    uint64_t rq_head_done;
    /* Beat counts, as dma_xfer_cycles(cfg, n) computes them, without its division on every
     * transfer: the fixed-size records' counts precomputed, and bw_shift = log2(bw_num) when
     * bw_num is a power of two (the defaults), else -1 (divide). Set by dma_init. */
    int bw_shift;
    uint32_t x_txc, x_rxc, x_wb;
    uint32_t port_changes;      /* DMA_PORT_* bits: what the last commit moved           */
    /* ports */
    struct fifo tx_out;
    struct fifo *tx_done;       /* never NULL: an unconnected input points at `unconnected` */
    struct fifo *rx_in;
    struct fifo unconnected;    /* always empty (nothing pushes into it, no storage)      */
};

/* 0, -EINVAL (missing pool/host_mem, bw 0, max_reads 0, mtu > pool mtu, txd_batch > 128,
 * txd_cache < txd_batch or > 65536, rxd_batch > 256, rxd_cache < rxd_batch or > 65536),
 * -ENOMEM.
 * tx_done and rx_in may be NULL (that side is not connected). The struct then points into
 * itself: it must not be copied or moved after dma_init. */
int dma_init(struct dma *dma, const struct dma_cfg *cfg, struct fifo *tx_done,
             struct fifo *rx_in);
void dma_free(struct dma *dma);

void dma_eval(void *self, uint64_t now);
void dma_commit(void *self);
uint64_t dma_next_event(const void *self, uint64_t now);
#define DMA_BLOCK(dma) {"dma", (dma), dma_eval, dma_commit, dma_next_event}
/* One whole clock step, for an owner that commits the packet pool (cfg.pool) at dma's clock
 * edge: exactly dma_eval(dma, now), dma_commit(dma), pkt_pool_commit(cfg.pool), and returns
 * dma_next_event(dma, now + 1). The same state results and the same value is returned; only
 * the cost differs (one call, for a sparse scheduler's step of a block due alone,
 * sim_set_step). Not for a pool committed by another block or at another time: next_event
 * reads the pool's committed free count. */
uint64_t dma_step(struct dma *dma, uint64_t now);

/* Host register access between clock steps. Unknown registers read 0; every bad access or
 * value sets ERR_CAUSE/INTR_CAUSE.ERROR and counts csr_errors, and changes nothing else. */
uint32_t dma_csr_read(struct dma *dma, enum dma_reg reg);
void dma_csr_write(struct dma *dma, enum dma_reg reg, uint32_t value);
const char *dma_reg_name(enum dma_reg reg);

/* Which port FIFOs the last dma_commit moved (for a sparse scheduler's neighbour filter,
 * sim_set_neighbour_filter): DMA_PORT_TX_OUT = a token pushed on tx_out (its consumer may
 * have work), DMA_PORT_TX_DONE / DMA_PORT_RX_IN = a token popped from tx_done / rx_in (their
 * producers may have room). A neighbour that shares nothing else with dma need not recompute
 * its next event when its port's bit is clear. */
#define DMA_PORT_TX_OUT 0x1u
#define DMA_PORT_TX_DONE 0x2u
#define DMA_PORT_RX_IN 0x4u
#define DMA_PORTS (DMA_PORT_TX_OUT | DMA_PORT_TX_DONE | DMA_PORT_RX_IN)
static inline uint32_t dma_port_changes(const struct dma *dma) /* inline: after every step */
{
    return dma->port_changes;
}

bool dma_irq(const struct dma *dma);
const struct dma_stats *dma_get_stats(const struct dma *dma);
/* Completion status of a TX packet the pipeline finished (table: enum nic_drop -> NIC_TXS_*). */
uint16_t dma_tx_status(uint8_t drop);

#endif

/* nicsim.h - the device model's public C API: one simulated NIC with inline IPsec offload.
 *
 * A struct nic is a whole card: MMIO registers, DMA engine, TX and RX ESP pipelines, GCM
 * engines, SA tables, statistics. It has no global state, so two cards (a TX and an RX device
 * back to back) live in one process. Time advances only inside nic_run(); host-side calls
 * (MMIO writes, wire input) act at the current cycle.
 *
 * The host talks to the card as a driver would: it registers host memory (the only memory the
 * card may DMA), programs the rings through MMIO, posts descriptors and rings doorbells. SAs are
 * installed with nic_sa_add(), the table write that the card's firmware performs for a mailbox
 * command (firmware/ drives it through the same call).
 */
#ifndef NICSIM_NICSIM_H
#define NICSIM_NICSIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nicsim/desc.h"
#include "nicsim/nicsim_params.h"

struct nic;

/* ---- lifetime ---------------------------------------------------------------------------- */
/* NULL with a one-line reason in err when the parameters are invalid or memory is short. */
struct nic *nic_create(const struct nicsim_params *p, char *err, size_t errlen);
void nic_destroy(struct nic *n);
const struct nicsim_params *nic_params(const struct nic *n);

/* ---- host memory and MMIO ------------------------------------------------------------------ */
/* The card may DMA only inside registered regions. 0, -EINVAL (overlap, zero length), -ENOSPC. */
int nic_host_register(struct nic *n, uint64_t iova, void *host, size_t len);
/* BAR0 as regs.def lays it out (docs/registers.md); NIC_MMIO_DMA_BASE is the DMA block's base
 * (= NICSIM_DMA_BASE), kept for code that addresses the dma registers by index. */
#define NIC_MMIO_DMA_BASE 0x100u
uint32_t nic_mmio_read(struct nic *n, uint32_t offset);
void nic_mmio_write(struct nic *n, uint32_t offset, uint32_t value);
/* BAR0 now follows regs.def (nicsim/regs.h, docs/registers.md): TOP at 0x000, the dma window
 * above at NIC_MMIO_DMA_BASE, MBOX (the firmware mailbox, docs/mailbox.md), EVT, STATS.
 * Unknown and misaligned offsets read 0 and ignore writes; both are counted (STATS window).
 * A mailbox command completes only while the card runs: ring MBOX.DOORBELL, then nic_run()
 * until MBOX.STATUS.DONE. */

/* Host bus (virtual platforms, hwmodel/systemc/): route the card's DMA through a platform bus.
 * Every access is still checked against the registered regions first (the IOMMU: a range
 * outside them faults and never reaches the bus); then read/write get the translated host
 * address (the registered host pointer + offset, as an integer) instead of a memcpy. A nonzero
 * return is a bus error: the access faults as an IOMMU refusal would (the dma block counts a
 * dma_error). Timing stays the dma block's (pcie_latency_ns, bandwidth); the bus only moves
 * bytes. bus NULL restores memcpy. 0, or -EINVAL (NULL card, or a bus without read or write). */
struct nic_hostbus {
    int (*read)(void *ctx, uint64_t addr, void *buf, size_t len);
    int (*write)(void *ctx, uint64_t addr, const void *buf, size_t len);
    void *ctx;
};
int nic_set_hostbus(struct nic *n, const struct nic_hostbus *bus);

/* ---- security associations ----------------------------------------------------------------- */
enum nic_sa_dir { NIC_SA_IN = 0, NIC_SA_OUT = 1 };
enum nic_sa_mode { NIC_SA_TRANSPORT = 0, NIC_SA_TUNNEL = 1 };
enum nic_offload { NIC_OFFLOAD_CRYPTO = 0, NIC_OFFLOAD_PACKET = 1 };

struct nic_sa {
    uint8_t dir;            /* enum nic_sa_dir                                            */
    uint8_t mode;           /* enum nic_sa_mode                                           */
    uint8_t offload;        /* enum nic_offload                                           */
    bool v6;                /* address family of daddr (and of the tunnel outer header)    */
    bool esn;
    uint8_t icv_len;        /* 8, 12, 16                                                  */
    uint8_t keymat_len;     /* 20, 28, 36: AES key || 4-byte salt                          */
    uint8_t keymat[36];
    uint32_t spi;
    uint8_t daddr[16];      /* RX match address (IPv4 in the first 4 bytes)               */
    uint8_t tun_src[16];    /* packet-offload TX tunnel outer addresses                   */
    uint8_t tun_dst[16];
    uint32_t replay_window; /* packet-offload RX: 0 = the device default                   */
    uint64_t soft_bytes, hard_bytes;     /* lifetime limits (0 = none): soft raises an event, */
    uint64_t soft_packets, hard_packets; /* hard also stops the SA (sa_hard_limit drops)    */
    uint64_t seq;           /* TX: last SN used (the next packet gets seq + 1); RX: highest SN
                             * seen (window top T; 0 = none), e.g. to restore after a reset */
};

/* Install an SA. Returns its handle (>= 0; TX and RX handles are separate spaces), or -EINVAL
 * (bad field), -ENOSPC (table full), -EEXIST (RX key already present). */
int nic_sa_add(struct nic *n, const struct nic_sa *sa);
/* Remove an SA: the table entry and its key RAM slot are zeroed. Packets already past the
 * lookup finish with the state they captured. 0 or -ENOENT. */
int nic_sa_delete(struct nic *n, enum nic_sa_dir dir, int handle);
/* nic_sa_delete() is the mailbox's SA_DELETE followed at once by SA_FREE (docs/mailbox.md);
 * both paths run the same table operations (hwmodel/sa_csr.c). The two halves, as the Linux
 * xdo_dev_state_delete / xdo_dev_state_free split them: after nic_sa_unlink() no new packet
 * matches the SA while packets past the lookup finish with its key; nic_sa_release() then
 * zeroes the key and frees the handle (-EBUSY if still linked, -ENOENT if free). */
int nic_sa_unlink(struct nic *n, enum nic_sa_dir dir, int handle);
int nic_sa_release(struct nic *n, enum nic_sa_dir dir, int handle);
/* Crypto offload RX with ESN: the driver's advance_esn: the bottom of the software replay
 * window as seq_hi:bottom (esn_bottom() of hwmodel/esn.h converts a window top). */
int nic_sa_advance_esn(struct nic *n, int handle, uint32_t seq_hi, uint32_t bottom);

/* ---- wire ---------------------------------------------------------------------------------- */
/* Called for every frame the card sends, at the cycle its last byte leaves. */
typedef void (*nic_wire_fn)(void *user, const uint8_t *frame, size_t len, uint64_t cycle);
void nic_set_wire_tx(struct nic *n, nic_wire_fn fn, void *user);
/* A frame arrives from the wire now. 0, or -EAGAIN when the input FIFO is full (the frame is
 * then counted as dropped: rx_fifo_full), -EINVAL for len 0 or > mtu (counted: bad_syntax). */
int nic_wire_rx(struct nic *n, const uint8_t *frame, size_t len);

/* ---- time ---------------------------------------------------------------------------------- */
uint64_t nic_cycle(const struct nic *n);
/* Run until the card is idle or `max_cycles` more cycles have passed; true when idle. */
bool nic_run(struct nic *n, uint64_t max_cycles);
/* Run every event up to `cycle` and stand the clock there, idle or not: how a testbench keeps
 * two cards in step (the TX card's wire output reaches the RX card at its own cycle). */
void nic_run_until(struct nic *n, uint64_t cycle);
/* Eval/commit rounds actually executed (the rest were skipped as idle). */
uint64_t nic_steps(const struct nic *n);

/* ---- statistics ---------------------------------------------------------------------------- */
enum nic_drop {
#define X(id, name, doc) NIC_DROP_##id,
#include "nicsim/drops.def"
#undef X
    NIC_DROP_COUNT
};
const char *nic_drop_name(enum nic_drop d);

struct nic_dir_stats {
    uint64_t in;                    /* packets that entered this direction                  */
    uint64_t out;                   /* TX: sent on the wire; RX: delivered to the host      */
    uint64_t bytes_in, bytes_out;
    uint64_t dropped[NIC_DROP_COUNT];
    uint64_t offloaded;             /* packets that went through a GCM engine               */
    uint64_t auth_failed_to_host;   /* RX crypto offload: delivered with an auth-failed status */
    uint64_t no_sa_to_host;         /* RX crypto offload: ESP without a CAM hit, passed up  */
    uint64_t latency_min, latency_max, latency_sum; /* cycles from entry to exit            */
};
struct nic_stats {
    struct nic_dir_stats tx, rx;
    uint64_t engine_busy_cycles;    /* summed over engines: utilisation = busy / (cycles * engines) */
};
const struct nic_stats *nic_get_stats(const struct nic *n);
/* Lifetime events, for the driver to poll (an interrupt cause in the register map). */
enum nic_event_type { NIC_EVENT_SOFT_EXPIRE = 1, NIC_EVENT_HARD_EXPIRE = 2 };
struct nic_event {
    uint8_t type; /* enum nic_event_type */
    uint8_t dir;  /* enum nic_sa_dir     */
    uint16_t handle;
};
/* Take the oldest event: 1 if one was taken, 0 if none is pending. */
int nic_poll_event(struct nic *n, struct nic_event *ev);
/* ---- observability ---------------------------------------------------------------------- */
#include <stdio.h>
/* Dump the registers of every block as VCD to `vcd` (names as in the RTL), from now on; call
 * before the first nic_run(). 0 or -EINVAL. The caller closes the file after nic_destroy(). */
int nic_trace_vcd(struct nic *n, FILE *vcd);
/* Event trace to `out` for the blocks in `blocks` ("all" or a comma list of dma, esp_tx,
 * gcm_tx, tx_mac, rx_mac, esp_rx, gcm_rx, esp_rx_post). 0 or -EINVAL (unknown block). */
int nic_trace_events(struct nic *n, FILE *out, const char *blocks);

/* Bytes of per-SA state the card holds (CAM, key RAM, sequence state, counters), divided by
 * the SA capacity (RX + TX): the figure behind "per-SA state under 512 bytes". */
size_t nic_sa_state_bytes(const struct nic *n);
/* Per-SA counters (packets, bytes) by handle; -ENOENT for a free handle. */
int nic_sa_stats(const struct nic *n, enum nic_sa_dir dir, int handle, uint64_t *packets,
                 uint64_t *bytes);
/* (An SA deleted through the mailbox but not yet freed still answers: its final counts.) */

#endif

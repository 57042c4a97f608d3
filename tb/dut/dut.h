/* dut.h - the testbench's view of one device: a host that owns rings and buffers in its own
 * memory, posts frames for TX, feeds frames in from the wire, and collects what comes out.
 *
 * This is the DUT interface of DESIGN.md section 6 for the C model (the RTL and lock-step
 * implementations come with the cosim work). It behaves like a minimal driver: registers one
 * host memory block with the card, programs the four rings and their head write-backs, keeps
 * every RX descriptor posted, and reaps completions whenever it runs the device. Records of
 * everything the device produced are kept in arrival order for the test to compare.
 */
#ifndef NICSIM_DUT_H
#define NICSIM_DUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nicsim/nicsim.h"

struct dut_frame {
    uint8_t *data;
    uint32_t len;
    uint64_t cycle;          /* wire: cycle the last byte left; rx: cycle the completion was reaped */
    struct nic_rx_cpl rx;    /* RX deliveries: the completion record                   */
    struct nic_tx_cpl tx;    /* TX completions (data NULL)                             */
    uint64_t k;              /* wire: the frame's number, 0-based, in wire order        */
};

struct dut_list {
    struct dut_frame *v;
    size_t n, cap;
};

struct dut {
    struct nic *nic;
    struct dut_list wire;    /* frames the card sent on the wire                        */
    struct dut_list rx;      /* frames the card delivered to the host, with completions */
    struct dut_list txc;     /* TX completions, in descriptor order                     */
    /* host memory */
    uint8_t *mem;
    size_t mem_len;
    uint64_t iova;
    uint32_t ring;           /* entries per ring (= params tx/rx ring size)             */
    uint32_t buf_len;        /* bytes per buffer                                        */
    uint32_t tx_tail, tx_clean, txc_tail, rx_tail, rx_clean, rxc_tail; /* ring indices, < ring */
    uint64_t tx_posted;
    /* wire forwarding: every frame sent is also fed to `peer` (back-to-back devices) */
    struct dut *peer;
    /* Wire recording: every frame is counted in wire_sent; with wire_keep NULL (default)
     * every frame is recorded in `wire`, else only the frames k (wire_sent before it) for
     * which wire_keep(k) is true (benchmarks that check a sample: no copy of the others). */
    uint64_t wire_sent;
    bool (*wire_keep)(uint64_t k);
    /* true: dut_tx/dut_tx_desc only write descriptors; the caller rings the TX doorbell once
     * for the batch with dut_tx_doorbell() before it runs the card (same tail, same cycle). */
    bool tx_defer_doorbell;
};

/* A device with the given parameters, rings programmed, RX buffers posted. NULL + reason. */
struct dut *dut_create(const struct nicsim_params *p, char *err, size_t errlen);
void dut_destroy(struct dut *d);
/* Post a frame for TX: sa < 0 sends it without IPsec; seq_hi goes in the descriptor (crypto
 * offload ESN). 0, or -EAGAIN when the TX ring is full, -EINVAL when the frame is too large
 * for a host buffer. */
int dut_tx(struct dut *d, const uint8_t *frame, size_t len, int sa, uint32_t seq_hi,
           uint32_t cookie);
/* Post a raw descriptor (tests of bad descriptors): written as is, then the doorbell. */
int dut_tx_desc(struct dut *d, const struct nic_tx_desc *desc);
/* Write the TX tail (the doorbell) for everything posted so far (see tx_defer_doorbell). */
void dut_tx_doorbell(struct dut *d);
/* A frame arrives from the wire now. The nic_wire_rx() return value. */
int dut_wire_rx(struct dut *d, const uint8_t *frame, size_t len);
/* Run until the device (and its peer) is idle and every completion is reaped, or max_cycles
 * passed. true when idle. */
bool dut_run(struct dut *d, uint64_t max_cycles);
/* Host buffer address of TX slot i (for raw descriptors that point at good memory). */
uint64_t dut_tx_buf_iova(const struct dut *d, uint32_t slot);
/* Drop the records (and their frame copies); the list keeps its capacity until dut_destroy. */
void dut_list_clear(struct dut_list *l);

#endif

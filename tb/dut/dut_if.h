/* dut_if.h - one DUT interface for the C model, the Verilated RTL and the lock-step pair
 * (DESIGN.md section 6): create, reset, drive, tick, sample, destroy. The stimulus runner
 * (tb/stim/stim_run.h) drives any of them from the same stimulus file.
 *
 * Transaction level ("txn" mode): a command is a control operation (SA add/delete, ESN advance)
 * or one packet. Control operations complete inside drive() and return their result. A packet
 * is accepted by drive() and, after enough tick(), comes back from sample() as one struct
 * dut_txn: sent / delivered with its status, SA handle and bytes, or dropped with the reason
 * the device counted. Every packet gives exactly one transaction (nothing lost).
 * Packets leave in the order they were driven, per direction; the runner drives one packet at
 * a time and waits for its transaction, so the two sides of a pair line up one to one.
 *
 * Handles: each DUT hands out its own; the runner keeps a map per DUT. A pair compares them.
 * Cycles are each DUT's own (intended latency differences are not mismatches in txn mode).
 */
#ifndef NICSIM_DUT_IF_H
#define NICSIM_DUT_IF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nicsim/nicsim.h"

enum dut_cmd_kind { DUT_SA_ADD, DUT_SA_DEL, DUT_ESN, DUT_TX, DUT_RX };

struct dut_cmd {
    enum dut_cmd_kind kind;
    const struct nic_sa *sa;   /* DUT_SA_ADD                                            */
    int dir;                   /* DUT_SA_DEL: enum nic_sa_dir                            */
    int handle;                /* DUT_SA_DEL, DUT_ESN, DUT_TX (-1: no IPsec)             */
    uint32_t hi, bottom;       /* DUT_ESN                                               */
    uint32_t seq_hi;           /* DUT_TX                                                */
    const uint8_t *frame;      /* DUT_TX, DUT_RX                                        */
    size_t len;
};

struct dut_txn {
    bool tx;                   /* direction of the packet                               */
    int drop;                  /* enum nic_drop; NIC_DROP_NONE: sent / delivered        */
    uint16_t status;           /* TX: NIC_TXS_*, RX: NIC_RXS_*                          */
    uint8_t flags;             /* RX: NIC_RXF_*                                         */
    int handle;                /* SA handle the device reported, -1 none                */
    uint32_t seq_hi;           /* RX: ESN high half the device used                     */
    uint8_t frame[9600];       /* TX: the wire frame; RX: the delivered frame            */
    size_t len;                /* 0 when dropped                                        */
    uint64_t latency;          /* cycles from drive to the transaction (this DUT's)      */
};

struct dut_if {
    const char *name;          /* "model", "rtl", "pair"                                 */
    void *priv;
    /* Device reset: every SA gone, counters cleared. 0 or -errno. */
    int (*reset)(struct dut_if *d);
    /* Control commands: their result (SA_ADD: handle >= 0; others 0) or -errno. Packets: 0,
     * or -EAGAIN when the DUT cannot take one now (tick and retry). */
    int (*drive)(struct dut_if *d, const struct dut_cmd *c);
    /* Let up to max_cycles pass; true when the DUT is idle. */
    bool (*tick)(struct dut_if *d, uint64_t max_cycles);
    /* 1: *t holds the next transaction; 0: none yet; -errno: the DUT failed (a pair's
     * mismatch is -EPROTO, with the report in last_error). */
    int (*sample)(struct dut_if *d, struct dut_txn *t);
    uint64_t (*cycle)(const struct dut_if *d);
    void (*destroy)(struct dut_if *d);
    char last_error[512];
};

/* The C model (struct nic with the testbench host of dut.h): SAs through the mailbox and the
 * card's firmware, packets through the rings and the wire port. NULL + reason on failure. */
struct dut_if *dut_if_model_create(const struct nicsim_params *p, char *err, size_t errlen);
struct nd_bus;
/* The control commands (DUT_SA_ADD, DUT_SA_DEL, DUT_ESN) as a driver sends them: mailbox commands
 * over the bus backend (host-driver/nd_bus.h) of any DUT; the drive() result. RESET likewise. */
int dut_if_control(struct nd_bus *bus, const struct dut_cmd *c);
int dut_if_mbox_reset(struct nd_bus *bus);
/* Lock-step pair: drives a (expected side, e.g. the model) and b (actual side, e.g. the RTL)
 * with every command and compares every result and transaction; takes ownership of both. */
struct dut_if *dut_if_pair_create(struct dut_if *a, struct dut_if *b, char *err, size_t errlen);
/* Compare two transactions; 0 when equal, else 1 and a one-line difference in why. Handles
 * compare through the maps the caller keeps, so pass them already translated (-1 / names). */
int dut_txn_diff(const struct dut_txn *a, const struct dut_txn *b, char *why, size_t whylen);

#endif

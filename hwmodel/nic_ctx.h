/* nic_ctx.h - what the pipeline stages of one device share: the tables firmware programs
 * (SA CAM, key RAMs, sequence state), the parameters and the statistics.
 *
 * Stages read the tables in eval (lookups are combinational or fixed-latency RAM reads) and
 * change them only in commit (sequence numbers, windows, counters), as registers would be.
 */
#ifndef NICSIM_NIC_CTX_H
#define NICSIM_NIC_CTX_H

#include <stdint.h>

#include "esn.h"
#include "key_ram.h"
#include "nicsim/nicsim.h"
#include "sa_cam.h"

struct sa_counters {
    uint64_t packets, bytes;
};

struct nic_ctx {
    struct nicsim_params p;
    struct sa_cam cam;
    struct key_ram *kr_tx, *kr_rx;
    struct esn_table esn_tx, esn_rx;
    struct sa_counters *sa_tx, *sa_rx; /* per-SA packets/bytes, indexed by handle */
    struct nic_stats stats;
    uint64_t wire_cycles_num;          /* wire serialisation: cycles = ceil(bytes * num / den) */
    uint64_t wire_cycles_den;
};

/* Count a packet leaving direction `ds` (sent/delivered, or dropped with reason `drop`), and
 * its latency. Called from commit functions only. */
void nic_ctx_account(struct nic_dir_stats *ds, uint8_t drop, uint32_t bytes, uint64_t t_in,
                     uint64_t now);
/* Cycles the wire needs for a frame of `bytes` (plus 20 bytes of preamble, SFD and IFG and
 * 14 of Ethernet header and 4 of FCS: the frame on the wire is an Ethernet frame). */
uint64_t nic_ctx_wire_cycles(const struct nic_ctx *c, uint32_t bytes);

#endif

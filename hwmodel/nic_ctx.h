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
#include "trace.h"

/* Per-SA counters and lifetime limits (RFC 4301 s4.4.2.1: soft and hard, in bytes and packets;
 * 0 = no limit). Counted when a packet leaves the device; a hard limit is checked at the SA
 * lookup, so packets already in flight when it is reached still complete. */
struct sa_counters {
    uint64_t packets, bytes;
    uint64_t soft_packets, hard_packets, soft_bytes, hard_bytes;
    uint8_t soft_fired, hard_fired;
};

#define NIC_EVENT_RING 256u

struct nic_ctx {
    struct nicsim_params p;
    struct sa_cam cam;
    struct key_ram *kr_tx, *kr_rx;
    struct esn_table esn_tx, esn_rx;
    struct sa_counters *sa_tx, *sa_rx; /* per-SA packets/bytes, indexed by handle */
    struct nic_stats stats;
    struct nic_event events[NIC_EVENT_RING]; /* lifetime events for the driver */
    uint32_t ev_head, ev_tail;
    uint64_t events_lost;
    struct trace *trace;               /* NULL unless tracing was switched on */
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
/* Count a packet of `bytes` on SA `sa` of direction `dir` and raise soft/hard lifetime events
 * when it crosses a limit. Commit-time only. */
void nic_ctx_sa_count(struct nic_ctx *c, enum nic_sa_dir dir, uint32_t sa, uint32_t bytes);
/* The SA reached its hard lifetime: new packets are dropped (sa_hard_limit). */
bool nic_ctx_sa_expired(const struct nic_ctx *c, enum nic_sa_dir dir, uint32_t sa);

#endif

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
 * its latency. Called from commit functions only. Inline: once per packet, drop is often a
 * constant 0 at the call. */
static inline void nic_ctx_account(struct nic_dir_stats *ds, uint8_t drop, uint32_t bytes,
                                   uint64_t t_in, uint64_t now)
{
    if (drop) {
        ds->dropped[drop < NIC_DROP_COUNT ? drop : 0]++;
        return;
    }
    uint64_t lat = now - t_in;
    ds->out++;
    ds->bytes_out += bytes;
    if (ds->out == 1 || lat < ds->latency_min)
        ds->latency_min = lat;
    if (lat > ds->latency_max)
        ds->latency_max = lat;
    ds->latency_sum += lat;
}

/* Ethernet overhead per frame on the wire: preamble+SFD 8, IFG 12, header 14, FCS 4. */
#define NIC_WIRE_OVERHEAD 38u

/* Cycles the wire needs for a frame of `bytes` (plus 20 bytes of preamble, SFD and IFG and
 * 14 of Ethernet header and 4 of FCS: the frame on the wire is an Ethernet frame). */
static inline uint64_t nic_ctx_wire_cycles(const struct nic_ctx *c, uint32_t bytes)
{
    uint64_t num = ((uint64_t)bytes + NIC_WIRE_OVERHEAD) * c->wire_cycles_num;
    return (num + c->wire_cycles_den - 1) / c->wire_cycles_den;
}

/* The limit checks of nic_ctx_sa_count, for an SA with a lifetime limit set: raise the soft and
 * hard events the counters have reached (once each). Commit-time only. */
void nic_ctx_sa_limits(struct nic_ctx *c, enum nic_sa_dir dir, uint32_t sa);

/* Count a packet of `bytes` on SA `sa` of direction `dir` and raise soft/hard lifetime events
 * when it crosses a limit. Commit-time only. Inline: once per packet, and an SA without limits
 * (all 0: none can be reached) needs no checks. */
static inline void nic_ctx_sa_count(struct nic_ctx *c, enum nic_sa_dir dir, uint32_t sa,
                                    uint32_t bytes)
{
    struct sa_counters *s = dir == NIC_SA_OUT ? &c->sa_tx[sa] : &c->sa_rx[sa];
    s->packets++;
    s->bytes += bytes;
    if (s->soft_packets | s->soft_bytes | s->hard_packets | s->hard_bytes)
        nic_ctx_sa_limits(c, dir, sa);
}
/* The SA reached its hard lifetime: new packets are dropped (sa_hard_limit). Inline: asked
 * for every packet at the SA lookup. */
static inline bool nic_ctx_sa_expired(const struct nic_ctx *c, enum nic_sa_dir dir, uint32_t sa)
{
    const struct sa_counters *s = dir == NIC_SA_OUT ? &c->sa_tx[sa] : &c->sa_rx[sa];
    return s->hard_fired;
}

#endif

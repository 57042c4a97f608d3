/* gcm_pool.h - the engine dispatcher of one direction: N gcm_units behind an in-order
 * reorder buffer.
 *
 * Packets enter from `in` in order. A packet with a job (pkt->job != NULL) waits for the
 * lowest-numbered unit whose input is free and is offered to it; a packet without a job (not
 * offloaded, or already dropped) takes no engine. Every packet takes a reorder-buffer entry at
 * entry, and packets leave on `out` in entry order, one per cycle, as soon as they and every
 * packet before them are finished: engines of different speed never reorder a flow.
 *
 * Timing: entry and dispatch in one cycle (the unit takes the job one cycle later, registered
 * handshake); a finished job is collected the cycle its unit shows it; a packet leaves the cycle
 * after it and its predecessors are finished. Head-of-line: if no unit is free the head packet
 * waits, and so do the packets behind it.
 */
#ifndef NICSIM_GCM_POOL_H
#define NICSIM_GCM_POOL_H

#include <stdbool.h>
#include <stdint.h>

#include "fifo.h"
#include "gcm_unit.h"
#include "pkt.h"
#include "sim.h"
#include "trace.h"

#define GCM_POOL_MAX_UNITS 64u

struct gcm_pool_regs {
    uint32_t rob_head, rob_tail; /* free-running: entries [head, tail) are in flight */
};

struct gcm_pool {
    struct gcm_unit *unit[GCM_POOL_MAX_UNITS];
    unsigned nunits;
    struct fifo *in, *out;
    struct pkt **rob;            /* rob_size entries */
    uint8_t *rob_done;           /* 1 when the entry's packet is finished (written at commit;
                                  * 0 for the entries not in flight)                       */
    uint32_t rob_size;           /* power of two */
    struct gcm_pool_regs q, d;
    /* commit actions decided in eval */
    struct pkt *enter;           /* packet taking the ROB entry at rob_tail_q */
    bool enter_done;
    uint32_t ndone;
    uint32_t done_idx[GCM_POOL_MAX_UNITS];
    int dispatch;                /* unit offered the entering packet's job, -1 if none */
    uint32_t unit_rob[GCM_POOL_MAX_UNITS]; /* ROB entry of the job each unit holds */
    uint64_t busy_cycles;        /* engine busy cycles, summed over jobs */
    char names[GCM_POOL_MAX_UNITS][24];
    struct trace *const *trace;  /* event trace of the device (may point at NULL) */
    enum trace_block tblock;
    uint64_t now_e;
    /* sparse scheduling: the neighbour filter's mask (nbr_keep), worked out by each commit
     * from what it changed and the masks below, set by gcm_pool_add_to_sim and
     * gcm_pool_set_fifo_peers */
    int blk_unit0;               /* scheduler index of unit[0] (units follow in order), -1 */
    unsigned unit_shift;         /* blk_unit0 once known: unit i's mask is 1 << (shift + i)  */
    uint32_t in_peers, out_peers; /* scheduler masks of the blocks at the other end of in and
                                  * out (gcm_pool_set_fifo_peers); both 0 = not known      */
    uint32_t in_keep, out_keep;  /* refreshed when the pool moves its end of in / out: the
                                  * peers, or (not known) every neighbour not a unit        */
    uint32_t nbr_keep;           /* the neighbour filter's mask, worked out by the commit   */
    /* The ROB head entry is in flight and finished (rob_done[rob_head_q], which is 0 outside
     * the entries in flight): a function of q and rob_done, both changed only at the pool's
     * clock edge, so the commit works it out once for the next eval and every next_event. */
    bool head_done;
    /* Bit i mirrors unit i's out.valid_q (the unit keeps it, gcm_unit.out_valid_vec): the
     * jobs shown for collection, read with one load instead of one per unit. */
    uint64_t out_valid;
    /* Bit i: unit i's in link is free (in.ready_q && !in.valid_q), the units to offer to. The
     * unit sets it when its job leaves, our commit clears it with an offer (gcm_unit.h). */
    uint64_t in_free;
    uint64_t unready;            /* units whose out.ready the pool has not raised yet (reset) */
};

/* 0, -EINVAL, -ENOMEM. The pool creates its units with `ucfg`; rob_entries >= packets in
 * flight in this direction (the packet pool size is a safe value). The units point back at
 * gp (out_valid), so gp must not move after this call. */
int gcm_pool_init(struct gcm_pool *gp, unsigned nunits, const struct gcm_unit_cfg *ucfg,
                  uint32_t rob_entries, struct fifo *in, struct fifo *out);
void gcm_pool_free(struct gcm_pool *gp);
void gcm_pool_eval(void *self, uint64_t now);
void gcm_pool_commit(void *self);
uint64_t gcm_pool_next_event(const void *self, uint64_t now);
/* Register the pool and its units with the scheduler. 0 or -1 (too many blocks). */
int gcm_pool_add_to_sim(struct gcm_pool *gp, struct sim *s, const char *name);
/* Optional, after gcm_pool_add_to_sim: the scheduler masks of the blocks that share the in
 * and the out FIFO. The pool's neighbour filter then refreshes only the side whose FIFO its
 * commit moved, instead of every linked block that is not one of its units. */
void gcm_pool_set_fifo_peers(struct gcm_pool *gp, uint32_t in_peers, uint32_t out_peers);

#endif

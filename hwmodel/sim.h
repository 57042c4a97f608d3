/* sim.h - the clock, the blocks and the scheduler of the RTL-style C model.
 *
 * Every block of the device is a struct of registers kept twice, as `q` (the current value, what
 * the flops hold) and `d` (the next value), plus three functions:
 *   X_eval(X *)    starts with d = q (hold), reads only q and its input ports, writes d and its
 *                  outputs; it never changes q, so blocks may be evaluated in any order.
 *   X_commit(X *)  the clock edge: q = d.
 *   X_next_event(const X *, now)  the earliest cycle >= now whose eval can change the block's
 *                  state or outputs: now while it works (or a beat is offered on one of its
 *                  ports), a later cycle while it only waits out a latency, SIM_NEVER when idle.
 * The scheduler evaluates every block, commits every block, and then, if no block needs the
 * next cycle, jumps the cycle counter to the earliest pending event: an idle device costs nothing
 * and a block that waits out a latency costs one step, not one step per cycle.
 *
 * Determinism: blocks are evaluated and committed in registration order; no block may depend on
 * that order (outputs are Moore: taken from q only). No global state: a device is one struct sim
 * plus its blocks, and several devices live in one process.
 */
#ifndef NICSIM_SIM_H
#define NICSIM_SIM_H

#include <stdbool.h>
#include <stdint.h>

#define SIM_NEVER UINT64_MAX
#define SIM_MAX_BLOCKS 32

struct sim_block {
    const char *name;
    void *self;
    void (*eval)(void *self, uint64_t now);
    void (*commit)(void *self);
    uint64_t (*next_event)(const void *self, uint64_t now);
};

/* A block's whole step when it is due alone: eval(self, now), commit(self), then *nbrs = the
 * linked neighbours to refresh (what its neighbour filter returns for adj, or adj without one),
 * and the return value is next_event(self, now + 1). See sim_set_step. */
typedef uint64_t sim_step_fn(void *self, uint64_t now, uint32_t adj, uint32_t *nbrs);

struct sim {
    uint64_t cycle;          /* cycles elapsed since reset                                  */
    uint64_t steps;          /* eval/commit rounds actually run (cycle - steps were skipped) */
    unsigned nblocks;
    /* The registered blocks (struct sim_block), one array per field: every access in the
     * scheduler is then one load at base + 8 * index, with no address arithmetic for a
     * 40-byte record before each indirect call. */
    void *self[SIM_MAX_BLOCKS];
    void (*eval[SIM_MAX_BLOCKS])(void *self, uint64_t now);
    void (*commit[SIM_MAX_BLOCKS])(void *self);
    uint64_t (*next_event[SIM_MAX_BLOCKS])(const void *self, uint64_t now);
    const char *name[SIM_MAX_BLOCKS];
    /* Optional observer called after every executed step with the new cycle (waveform dumps);
     * it may read any block's q but must change nothing. Set it between runs: sim_run looks
     * it up once, not at every step. */
    void (*after_step)(void *ctx, uint64_t cycle);
    void *after_ctx;
    /* sparse scheduling (sim_set_sparse) */
    bool sparse;
    uint64_t t_next[SIM_MAX_BLOCKS]; /* each block's next event, kept up to date */
    uint32_t adj[SIM_MAX_BLOCKS];    /* blocks to refresh when block i steps       */
    uint32_t active;                 /* blocks whose t_next is not SIM_NEVER        */
    /* optional per-block neighbour filter (sim_set_neighbour_filter), NULL = all of adj */
    uint32_t (*nfilter[SIM_MAX_BLOCKS])(void *self, uint32_t adj);
    /* optional per-block whole step (sim_set_step), NULL = none */
    sim_step_fn *step[SIM_MAX_BLOCKS];
};

void sim_init(struct sim *s);
/* Register a block; returns 0, or -1 when SIM_MAX_BLOCKS are already registered. */
int sim_add(struct sim *s, const struct sim_block *b);
/* Index of the block whose self pointer is `self`, or -1. */
int sim_find(const struct sim *s, const void *self);
/* Declare that blocks a and b (by self pointer) share a link or read each other's registers:
 * in sparse mode each recomputes its next event whenever the other steps. 0 or -1. */
int sim_link(struct sim *s, const void *a, const void *b);
/* Optional, sparse mode: after block `self` steps, only the neighbours fn(self, adj) (a subset
 * of its linked blocks adj, called after the step's commits) recompute their next event. fn
 * must keep every neighbour whose next event the step may have changed (one whose shared link
 * registers changed at self's commit); leaving out the others saves next_event calls and
 * changes nothing else. 0, or -1 for an unknown block. */
int sim_set_neighbour_filter(struct sim *s, const void *self, uint32_t (*fn)(void *self, uint32_t adj));
/* Optional, sparse mode: when block `self` is due alone, the scheduler makes one call to fn
 * instead of eval, commit, the neighbour filter and next_event. fn must make exactly those calls
 * in that order (see sim_step_fn): it changes nothing but the cost (one indirect call per step
 * instead of four, and the compiler sees the block's functions together). Most steps under
 * traffic have one block due. 0, or -1 for an unknown block. */
int sim_set_step(struct sim *s, const void *self, sim_step_fn *fn);
/* Sparse mode: evaluate and commit only the blocks whose next event is due. Requires exact
 * next_event functions and every neighbour pair declared with sim_link(); a skipped block
 * keeps q as it is, which is what its eval would have done. Off by default. */
void sim_set_sparse(struct sim *s, bool on);
/* One clock: eval all, commit all, cycle + 1. */
void sim_step(struct sim *s);
/* Earliest cycle >= s->cycle whose eval can change any block (SIM_NEVER if all idle). */
uint64_t sim_next_event(const struct sim *s);
/* Step, skipping idle cycles, until every block is idle or the cycle counter reaches `limit`:
 * the steps of cycles < limit run, that of cycle `limit` does not (the limit is exclusive, so
 * that splitting a run into several changes nothing). Returns true if the device went idle
 * (the clock then stands after its last step), false if the limit was hit first (the clock
 * then stands at `limit`). */
bool sim_run(struct sim *s, uint64_t limit);

#endif

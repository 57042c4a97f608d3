/* stim_run.h - drive any DUT (tb/dut/dut_if.h) from a stimulus file (stim.h).
 *
 * Records run in file order. SA names map to the handles this DUT handed out. A packet is
 * driven, then the DUT ticks until its transaction comes back (at most max_cycles); an
 * `expect` record after it is checked against that transaction. A missing transaction, an
 * expect that does not hold, an SA command whose result differs from its result= field, or a
 * DUT failure (a pair's mismatch) stops the run with a one-line reason.
 */
#ifndef NICSIM_STIM_RUN_H
#define NICSIM_STIM_RUN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "dut_if.h"

struct stim_run_opts {
    uint64_t max_cycles;   /* per packet; 0 = 1000000                                   */
    FILE *trace;           /* one line per transaction, or NULL                          */
    bool trace_frames;     /* the trace line ends with frame=HEX (the transaction's bytes)  */
};

struct stim_run_result {
    uint64_t records, packets, delivered, dropped, sa_ops, expects;
    uint64_t cycles;       /* the DUT's cycle at the end                                  */
    char error[640];       /* why the run stopped ("" when it ran to the end)             */
};

/* 0: ran to the end, every check held; 1: a check failed or the DUT failed (error says
 * which, with the stimulus line); 2: the stimulus is malformed (error is "LINE: reason"). */
int stim_run(FILE *in, struct dut_if *d, const struct stim_run_opts *o, struct stim_run_result *r);

#endif

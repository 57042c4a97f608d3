// cosim.h - what every block-level lock-step program shares: options, the stimulus random
// generator, the per-cycle compare with the first-mismatch report, and the waveform window.
//
// A lock-step program (tb/cosim/blk_<block>.cpp, built as build/cosim/bin/cosim_<block>)
// Verilates rtl/<block>.v as its top and instantiates the C model block of the same name. Every
// cycle it drives identical inputs into both, clocks both (C: <block>_eval + <block>_commit;
// RTL: a rising edge of clk_i), and compares every output port with cosim_check*(). The C model
// is the expected side, the RTL the actual side.
//
// Contract of the body (cosim_body): it builds its own model and RTL instance from cs (seed,
// budget, Verilated context), runs until the budget is spent or cosim_failed(cs), and returns 0
// when it ran to the end, non-zero when it could not run (a setup error, already printed). It
// must be a pure function of cs->seed and the budget: cosim_main replays it to dump the window
// around a mismatch, and the replay must reach the same cycle.
//
// Random reset: the RTL is built with --x-assign unique --x-initial unique; cosim_main seeds
// Verilator's random reset values with the run seed (printed), so a register the RTL forgets to
// reset shows up as a mismatch that `--seed N` replays.
//
// Waveforms: on a mismatch (or with --trace FILE for the whole run) the body is run again with
// tracing on for cycles [c - window, c + 2]: the RTL goes to FILE (default
// build/cosim/<block>-<seed>.fst, every RTL signal) and the C model's side of every compared
// port to FILE with ".c.fst" in place of ".fst", under the same hierarchical names
// (<block>.<port>), so GTKWave shows them side by side.
#ifndef NICSIM_COSIM_H
#define NICSIM_COSIM_H

#include <cstddef>
#include <cstdint>
#include <string>

#include "verilated.h"
#include "verilated_fst_c.h"
#if VM_COVERAGE
#include "verilated_cov.h"
#endif

struct cosim_wave; // the C model's side of the window (cosim.cpp)

struct cosim {
    // ---- options (cosim_main fills them) ----
    const char *block;        // "aes_pipe": names the report and the files
    uint64_t seed;            // stimulus and random-reset seed, never 0
    uint64_t cycles;          // budget in cycles (--cycles), 0 = the body's default
    uint64_t packets;         // budget in jobs / packets (--packets), 0 = the body's default
    bool quiet;
    // ---- run state ----
    VerilatedContext *ctx;
    uint64_t cycle;           // the cycle being compared (cosim_tick advances it)
    uint64_t checks;          // port comparisons made
    uint64_t rng;             // splitmix64 state of the stimulus
    // ---- first mismatch ----
    bool failed;
    uint64_t fail_cycle;
    std::string fail_report;
    // ---- waveform window ----
    uint64_t win_lo, win_hi;  // trace cycles in [win_lo, win_hi] (win_lo > win_hi: none)
    VerilatedFstC *fst;       // RTL waveform while tracing
    cosim_wave *wave;         // C model's compared ports while tracing
    std::string trace_path;
    // ---- what the body reports ----
    std::string summary;      // if set: printed as the last line of a passing run
    bool c_wave;              // the replay wrote the C model's side (.c.fst)
};

typedef int (*cosim_body)(cosim *cs);

// Parse the options (--seed N, --cycles N, --packets N, --trace FILE, --window N, --quiet,
// --help), run the body, on a mismatch print the report and replay the window into FST files.
// Returns the process exit status: 0 all compared equal; 1 a mismatch; 2 usage or setup error.
int cosim_main(int argc, char **argv, const char *block, const char *help, cosim_body body);

// ---- stimulus randomness: deterministic in cs->seed ----
uint64_t cosim_rand(cosim *cs);
uint32_t cosim_below(cosim *cs, uint32_t n);          // uniform in [0, n), n >= 1
void cosim_bytes(cosim *cs, uint8_t *p, size_t n);

// ---- compare (expected = C model, actual = RTL); false on a mismatch (recorded once) ----
bool cosim_check(cosim *cs, const char *signal, uint64_t expected, uint64_t actual);
bool cosim_check_bytes(cosim *cs, const char *signal, const uint8_t *expected,
                       const uint8_t *actual, size_t n);
// A transaction-level mismatch (top-level cosim): recorded at the current cycle, like a port
// mismatch (report names what differed; the seed is added).
void cosim_fail(cosim *cs, const char *report);
static inline bool cosim_failed(const cosim *cs) { return cs->failed; }

// ---- 128-bit ports: byte i of a block is bits [127-8i -: 8] (rtl/README.md) ----
void cosim_to_wide(const uint8_t b[16], uint32_t w[4]);
void cosim_from_wide(const uint32_t w[4], uint8_t b[16]);
// n consecutive 128-bit blocks in one wide port: block r is bits [128r +: 128].
void cosim_to_wide_n(const uint8_t *b, uint32_t *w, size_t nblocks);

// ---- clocking ----
void cosim_trace_open(cosim *cs); // cosim_attach opens the RTL waveform with it
// Attach the RTL to the waveform if this run traces (call once after creating the model).
template <class Top> void cosim_attach(cosim *cs, Top *top)
{
#if VM_COVERAGE
    cs->ctx->coveragep()->zero(); // the counters are not zeroed when the model is built
#endif
    if (cs->fst) {
        top->trace(cs->fst, 99);
        cosim_trace_open(cs);
    }
}
// make coverage: leave the run's counts (COSIM_COVERAGE_DIR) while the model still exists.
void cosim_coverage_write(cosim *cs);
// The end of a run: coverage written, final blocks run. Call it before deleting the model.
template <class Top> void cosim_done(cosim *cs, Top *top)
{
    cosim_coverage_write(cs);
    top->final();
}
// Reset: rst_ni low for two cycles with clk_i toggling, then high.
template <class Top> void cosim_reset(cosim *cs, Top *top)
{
    top->rst_ni = 0;
    for (int i = 0; i < 2; i++) {
        top->clk_i = 0;
        top->eval();
        top->clk_i = 1;
        top->eval();
    }
    top->clk_i = 0;
    top->eval();
    top->rst_ni = 1;
    top->eval();
    cs->cycle = 0;
}
void cosim_dump(cosim *cs, uint64_t t); // waveform sample at time t (window only)
// One rising edge of clk_i (the C side commits at the same edge), then cycle + 1.
template <class Top> void cosim_tick(cosim *cs, Top *top)
{
    top->eval();                 // settle the inputs the body just drove
    cosim_dump(cs, 2 * cs->cycle);
    top->clk_i = 1;
    top->eval();
    cosim_dump(cs, 2 * cs->cycle + 1);
    top->clk_i = 0;
    top->eval();
    cs->cycle++;
}

#endif

// top.cpp - cosim_top: the top-level cosim. One stimulus (vectors/stim/README.md) drives the C
// model and the Verilated crypto_top through the same DUT interface; the lock-step pair
// compares every SA operation's result and every packet's transaction (bytes, SA handle,
// status, flags, ESN high half, drop reason). The stimulus is a file (--stim) or generated
// from the seed (--packets; tb/stim/stim_gen.h: every key and ICV size, ESN, transport and
// tunnel, v4/v6, corrupted and unknown-SPI packets, SA delete/add during traffic), and carries
// golden-library expectations, which are checked too.
//
//   cosim_top [--seed N] [--packets N] [--stim FILE] [--dut pair|rtl|model] [--trace F.fst]
//   cosim_top --serve   (records on stdin, transactions on stdout: see serve())
// The last line of a passing run is "N packets, N cycles, 0 mismatches" (RTL cycles). On a
// mismatch: the transaction, the field, expected (C model) and actual (RTL), the stimulus
// line, the seed, and an FST of the RTL around it; exit 1.
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <string>

#include "cosim.h"
#include "dut_rtl.h"

extern "C" {
#include "nicsim/nicsim_params.h"
#include "stim_gen.h"
#include "stim_run.h"
}

namespace {

const char kHelp[] =
    "Top-level cosim of rtl/crypto_top.v against the C model, per transaction.\n"
    "--packets N   generated stimulus of N packets from --seed (default 2000)\n"
    "--stim FILE   run FILE instead of generating\n"
    "--dut D       pair (default: model vs RTL), rtl or model alone";

const char *g_stim;
const char *g_dut = "pair";

int body(cosim *cs)
{
    char err[256];
    nicsim_params p;
    nicsim_params_default(&p);
    p.rx_sa_entries = p.tx_sa_entries = DUT_RTL_SA_ENTRIES; // the RTL's table sizes
    p.max_replay_window = 128;
    dut_if *d = nullptr;
    if (strcmp(g_dut, "model") == 0) {
        d = dut_if_model_create(&p, err, sizeof err);
    } else if (strcmp(g_dut, "rtl") == 0) {
        d = dut_rtl_create(cs, err, sizeof err);
    } else {
        dut_if *m = dut_if_model_create(&p, err, sizeof err);
        dut_if *r = m ? dut_rtl_create(cs, err, sizeof err) : nullptr;
        d = r ? dut_if_pair_create(m, r, err, sizeof err) : nullptr;
        if (!d) {
            if (m)
                m->destroy(m);
            if (r)
                r->destroy(r);
        }
    }
    if (!d) {
        fprintf(stderr, "cosim_top: %s\n", err);
        return 2;
    }
    FILE *in = g_stim ? fopen(g_stim, "r") : tmpfile();
    if (!in) {
        fprintf(stderr, "cosim_top: %s: %s\n", g_stim ? g_stim : "tmpfile", strerror(errno));
        d->destroy(d);
        return 2;
    }
    if (!g_stim) {
        stim_gen_opts o{};
        o.seed = cs->seed;
        o.packets = cs->packets ? cs->packets : 2000;
        o.sas = 6;
        if (stim_gen(in, &o) != 0) {
            fprintf(stderr, "cosim_top: stimulus generator failed\n");
            fclose(in);
            d->destroy(d);
            return 2;
        }
        rewind(in);
    }
    stim_run_opts ro{};
    stim_run_result rr;
    int rc = stim_run(in, d, &ro, &rr);
    fclose(in);
    d->destroy(d);
    if (rc == 2) {
        fprintf(stderr, "cosim_top: %s:%s\n", g_stim ? g_stim : "generated stimulus", rr.error);
        return 2;
    }
    if (rc == 1) {
        std::string why = std::string("stimulus line ") + rr.error;
        cosim_fail(cs, why.c_str());
        return 0;
    }
    char line[160];
    snprintf(line, sizeof line, "%" PRIu64 " packets, %" PRIu64 " cycles, 0 mismatches",
             rr.packets, cs->cycle);
    cs->summary = line;
    if (!cs->quiet)
        printf("cosim crypto_top (%s): %" PRIu64 " SA operations, %" PRIu64 " delivered, %" PRIu64
               " dropped, %" PRIu64 " expects held\n",
               g_dut, rr.sa_ops, rr.delivered, rr.dropped, rr.expects);
    return 0;
}

// --serve: stimulus records on stdin, run on the RTL alone as they arrive; one line per SA
// operation and per packet transaction on stdout (the runner's trace, with the frame), flushed.
// `nicsim vectors --engine rtl` sends ESP vector records this way (tb/vectors/engine_rtl_esp.c).
// The run ends at EOF, or at the first record the RTL refuses (the runner's reason on stderr).
int serve()
{
    VerilatedContext ctx;
    cosim cs{};
    cs.block = "crypto_top";
    cs.seed = 1;
    cs.ctx = &ctx;
    cs.win_lo = 1; // no waveform window
    char err[256];
    dut_if *d = dut_rtl_create(&cs, err, sizeof err);
    if (!d) {
        fprintf(stderr, "cosim_top --serve: %s\n", err);
        return 2;
    }
    stim_run_opts o{};
    o.trace = stdout;
    o.trace_frames = true;
    stim_run_result r;
    int rc = stim_run(stdin, d, &o, &r);
    d->destroy(d);
    if (rc)
        fprintf(stderr, "cosim_top --serve: %s\n", r.error);
    return rc;
}

} // namespace

int main(int argc, char **argv)
{
    if (argc == 2 && !strcmp(argv[1], "--serve"))
        return serve();
    // --stim and --dut are this program's; the rest goes to cosim_main
    char **rest = new char *[argc + 3];
    int n = 0;
    for (int i = 0; i < argc; i++) {
        if ((!strcmp(argv[i], "--stim") || !strcmp(argv[i], "--dut")) && i + 1 < argc) {
            (argv[i][2] == 's' ? g_stim : g_dut) = argv[i + 1];
            i++;
            continue;
        }
        rest[n++] = argv[i];
    }
    // a transaction spans hundreds of cycles: trace a window that holds a few of them
    static char window_opt[] = "--window", window_val[] = "3000";
    bool has_window = false;
    for (int i = 0; i < n; i++)
        has_window |= !strcmp(rest[i], "--window");
    if (!has_window) {
        rest[n++] = window_opt;
        rest[n++] = window_val;
    }
    rest[n] = nullptr;
    if (strcmp(g_dut, "pair") && strcmp(g_dut, "rtl") && strcmp(g_dut, "model")) {
        fprintf(stderr, "cosim_top: --dut pair|rtl|model, not '%s'\n", g_dut);
        delete[] rest;
        return 2;
    }
    int rc = cosim_main(n, rest, "crypto_top", kHelp, body);
    delete[] rest;
    return rc;
}

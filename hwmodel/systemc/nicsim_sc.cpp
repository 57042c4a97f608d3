// nicsim_sc.cpp - sc_main of the virtual platform: `nicsim run` inside SystemC.
//
//   nicsim_sc [platform options] [nicsim run options]
// runs the scenario `nicsim run` would run with the same options (default: the built-in
// scenario) with both cards, host memory and the wire as TLM-2.0 modules; outputs (pcaps,
// JSON report, esp_sa, table) are the ones `nicsim run` writes, byte for byte except the host
// seconds. --bench runs the same scenario as pure C and in the platform, in this process, and
// writes packets per second of both (a flat JSON fragment for `make bench`).
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

#include "platform.h"

extern "C" {
int cmd_run(int argc, char **argv);
}

using nicsim_sc::platform;
using nicsim_sc::platform_cfg;

namespace {

void help(FILE *f)
{
    std::fprintf(
        f,
        "usage: nicsim_sc [platform options] [nicsim run options]\n\n"
        "Run `nicsim run` (same options, same outputs) in the SystemC TLM-2.0 virtual platform:\n"
        "the driver shim in an SC_THREAD, two cards (MMIO target, DMA initiator, irq), host\n"
        "memory as a TLM target, a wire between the cards; loosely timed with a quantum.\n\n"
        "  --quantum NS       global quantum in ns (default 1000)\n"
        "  --no-dmi           DMA by b_transport only (no direct memory pointers)\n"
        "  --rtl-gcm          GCM engines as Verilated RTL (rtl/gcm_engine.v); the cards run\n"
        "                     cycle-locked and need data_mode = 1 (a --config file)\n"
        "  --sc-stats         platform counters on stderr at the end\n"
        "  --bench[=FILE]     pure C vs SystemC packets/s on the same scenario (default 20000\n"
        "                     generated packets), JSON to FILE (default build/bench-sc.json)\n"
        "  --bench-packets N  packets per benchmark run (default 20000)\n"
        "  --bench-reps N     runs of each, best taken (default 3)\n"
        "  --help             this text; `nicsim_sc --help-run` for the run options\n");
}

double now_s()
{
    using clk = std::chrono::steady_clock;
    return std::chrono::duration<double>(clk::now().time_since_epoch()).count();
}

struct argv_list {
    std::vector<std::string> s;
    std::vector<char *> p;
    char **get()
    {
        p.clear();
        for (auto &x : s)
            p.push_back(&x[0]);
        p.push_back(nullptr);
        return p.data();
    }
    int argc() const { return static_cast<int>(s.size()); }
};

// stdout off while a benchmark run prints its loopback line
struct quiet_stdout {
    int saved = -1;
    quiet_stdout()
    {
        std::fflush(stdout);
        saved = dup(1);
        int nul = open("/dev/null", O_WRONLY);
        if (nul >= 0) {
            dup2(nul, 1);
            close(nul);
        }
    }
    ~quiet_stdout()
    {
        std::fflush(stdout);
        if (saved >= 0) {
            dup2(saved, 1);
            close(saved);
        }
    }
};

int bench(argv_list &run, const platform_cfg &cfg, const char *out, unsigned long packets,
          unsigned reps)
{
    run.s.push_back("--quiet");
    run.s.push_back("--packets");
    run.s.push_back(std::to_string(packets));
    double best_c = 1e30, best_sc = 1e30;
    int bad = 0;
    {
        quiet_stdout q;
        for (unsigned i = 0; i < reps; i++) {
            double t0 = now_s();
            bad |= cmd_run(run.argc(), run.get());
            double dt = now_s() - t0;
            if (dt < best_c)
                best_c = dt;
        }
    }
    platform pf("platform", cfg);
    pf.set_job([&] {
        quiet_stdout q;
        for (unsigned i = 0; i < reps; i++) {
            double t0 = now_s();
            bad |= cmd_run(run.argc(), run.get());
            double dt = now_s() - t0;
            if (dt < best_sc)
                best_sc = dt;
        }
    });
    sc_core::sc_start();
    if (bad) {
        std::fprintf(stderr, "nicsim_sc --bench: a run failed\n");
        return 1;
    }
    double c_pps = static_cast<double>(packets) / best_c;
    double sc_pps = static_cast<double>(packets) / best_sc;
    FILE *f = std::fopen(out, "w");
    if (!f) {
        std::fprintf(stderr, "nicsim_sc --bench: %s: %s\n", out, std::strerror(errno));
        return 2;
    }
    std::fprintf(f,
                 "{\n  \"sc_packets\": %lu,\n  \"sc_quantum_ns\": %.0f,\n  \"c_pps\": %.0f,\n"
                 "  \"sc_pps\": %.0f,\n  \"sc_vs_c\": %.3f\n}\n",
                 packets, cfg.quantum_ns, c_pps, sc_pps, best_sc / best_c);
    std::fclose(f);
    std::printf("bench (default scenario, %lu packets, best of %u): pure C %.0f pkt/s, SystemC "
                "LT (quantum %.0f ns%s) %.0f pkt/s: SystemC costs %.2fx the C run -> %s\n",
                packets, reps, c_pps, cfg.quantum_ns, cfg.dmi ? ", DMI" : ", no DMI", sc_pps,
                best_sc / best_c, out);
    return 0;
}

}  // namespace

int sc_main(int argc, char **argv)
{
    platform_cfg cfg;
    argv_list run;
    run.s.push_back("run");
    bool stats = false, do_bench = false;
    std::string bench_out = "build/bench-sc.json";
    unsigned long bench_packets = 20000;
    unsigned bench_reps = 3;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        auto num = [&](const char *what, double lo, double hi) -> double {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "nicsim_sc: %s wants a number (try --help)\n", what);
                std::exit(2);
            }
            char *end;
            double v = std::strtod(argv[++i], &end);
            if (*end || !(v >= lo && v <= hi)) {
                std::fprintf(stderr, "nicsim_sc: %s wants %g..%g, not '%s' (try --help)\n", what,
                             lo, hi, argv[i]);
                std::exit(2);
            }
            return v;
        };
        if (!std::strcmp(a, "--help") || !std::strcmp(a, "-h")) {
            help(stdout);
            return 0;
        } else if (!std::strcmp(a, "--help-run")) {
            run.s.push_back("--help");
        } else if (!std::strcmp(a, "--quantum")) {
            cfg.quantum_ns = num("--quantum", 1, 1e9);
        } else if (!std::strcmp(a, "--no-dmi")) {
            cfg.dmi = false;
        } else if (!std::strcmp(a, "--rtl-gcm")) {
            cfg.rtl_gcm = true;
        } else if (!std::strcmp(a, "--sc-stats")) {
            stats = true;
        } else if (!std::strcmp(a, "--bench")) {
            do_bench = true;
        } else if (!std::strncmp(a, "--bench=", 8)) {
            do_bench = true;
            bench_out = a + 8;
        } else if (!std::strcmp(a, "--bench-packets")) {
            bench_packets = static_cast<unsigned long>(num("--bench-packets", 1, 1e9));
        } else if (!std::strcmp(a, "--bench-reps")) {
            bench_reps = static_cast<unsigned>(num("--bench-reps", 1, 100));
        } else {
            run.s.push_back(a);
        }
    }
    if (do_bench)
        return bench(run, cfg, bench_out.c_str(), bench_packets, bench_reps);
    platform pf("platform", cfg);
    int status = 0;
    pf.set_job([&] { status = cmd_run(run.argc(), run.get()); });
    sc_core::sc_start();
    if (stats)
        pf.print_stats(stderr);
    return status;
}

// SystemC's own main() prints its banner before sc_main(); this one asks it not to (stdout and
// stderr are the run's), then hands over as SystemC's main() does.
int main(int argc, char **argv)
{
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
    return sc_core::sc_elab_and_sim(argc, argv);
}

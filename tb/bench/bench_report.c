/* bench_report.c - the bench's output: a readable table on stdout and, with --json FILE, one
 * flat JSON object of named numbers (keys documented in docs/performance.md; see bench.h). */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "bench.h"

void bench_report_table(FILE *f, const struct bench_opts *o, const struct bench_row *rows,
                        unsigned n)
{
    unsigned mhz, engines;
    bench_model_params(0, &mhz, &engines);
    fprintf(f, "nicsim_bench: TX packet-offload ESP (AES-128-GCM, ICV 16, transport, 1 SA), "
               "IPv4 UDP packets\n");
    fprintf(f, "model: default parameters (%u MHz, %u engines); reference: raw OpenSSL EVP "
               "AES-128-GCM, same packets; %u rounds of %.2f s measurements%s\n\n",
            mhz, engines, o->reps, o->min_time, o->quick ? " (--quick: smoke run, noisy)" : "");

    fprintf(f, "host throughput (wall clock, plaintext IP bytes; MB = 1e6 bytes): the best round "
               "of each;\nratios: median over the rounds of the ratio within a round "
               "(lowest - highest round)\n");
    fprintf(f, "%6s %9s %8s | %9s %8s %21s | %8s %7s %8s\n", "size", "OpenSSL", "kpps",
            "FAST MB/s", "kpps", "FAST/OSL (range)", "BIT MB/s", "kpps", "BIT/FAST");
    for (unsigned i = 0; i < n; i++) {
        const struct bench_row *r = &rows[i];
        fprintf(f, "%6u %9.1f %8.1f | %9.1f %8.1f %7.3f (%5.3f - %5.3f) | %8.2f %7.2f %8.4f\n",
                r->size, r->ossl.mbps, r->ossl.pps / 1e3, r->fast.mbps, r->fast.pps / 1e3,
                r->fast_vs_ossl.median, r->fast_vs_ossl.lo, r->fast_vs_ossl.hi, r->bit.mbps,
                r->bit.pps / 1e3, r->bit_vs_fast.median);
    }
    fprintf(f, "\nFAST mode: where the host time goes, and the simulated device\n");
    fprintf(f, "%6s %8s %6s %6s | %9s %9s %9s %9s | %10s %10s\n", "size", "nic_run%", "post%",
            "reap%", "cyc/pkt", "steps/pkt", "sim Gbps", "sim Mpps", "FAST Mc/s", "BIT Mc/s");
    for (unsigned i = 0; i < n; i++) {
        const struct bench_row *r = &rows[i];
        fprintf(f, "%6u %8.1f %6.1f %6.1f | %9.2f %9.2f %9.2f %9.3f | %10.2f %10.3f\n", r->size,
                100 * r->fast.share_run, 100 * r->fast.share_post, 100 * r->fast.share_reap,
                r->fast.cycles_per_pkt, r->fast.steps_per_pkt, r->fast.sim_gbps,
                r->fast.sim_mpps, r->fast.cycles_per_s / 1e6, r->bit.cycles_per_s / 1e6);
    }
    uint64_t v = 0;
    for (unsigned i = 0; i < n; i++)
        v += rows[i].verified;
    fprintf(f, "\n%llu sampled wire frames verified against the golden library "
               "(gold_decap + gold_encap)\n", (unsigned long long)v);
}

static void num(FILE *f, bool *first, const char *key, uint32_t size, double v)
{
    if (!isfinite(v))
        v = 0;
    fprintf(f, "%s\n  \"%s", *first ? "{" : ",", key);
    if (size)
        fprintf(f, "_%u", size);
    fprintf(f, "\": %.6g", v);
    *first = false;
}

int bench_report_json(const char *path, const struct bench_opts *o, const struct bench_row *rows,
                      unsigned n, char *err, size_t errlen)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
        return -1;
    }
    unsigned mhz, engines;
    bench_model_params(0, &mhz, &engines);
    bool first = true;
    num(f, &first, "clock_mhz", 0, mhz);
    num(f, &first, "engines", 0, engines);
    num(f, &first, "min_time_s", 0, o->min_time);
    num(f, &first, "reps", 0, o->reps);
    num(f, &first, "quick", 0, o->quick);
    for (unsigned i = 0; i < n; i++) {
        const struct bench_row *r = &rows[i];
        uint32_t s = r->size;
        num(f, &first, "openssl_mbps", s, r->ossl.mbps);
        num(f, &first, "openssl_pps", s, r->ossl.pps);
        num(f, &first, "model_fast_mbps", s, r->fast.mbps);
        num(f, &first, "model_fast_pps", s, r->fast.pps);
        num(f, &first, "fast_vs_openssl", s, r->fast_vs_ossl.median);
        num(f, &first, "fast_vs_openssl_lo", s, r->fast_vs_ossl.lo);
        num(f, &first, "fast_vs_openssl_hi", s, r->fast_vs_ossl.hi);
        num(f, &first, "fast_share_nic_run", s, r->fast.share_run);
        num(f, &first, "fast_share_post", s, r->fast.share_post);
        num(f, &first, "fast_share_reap", s, r->fast.share_reap);
        num(f, &first, "sim_cycles_per_pkt", s, r->fast.cycles_per_pkt);
        num(f, &first, "sim_steps_per_pkt", s, r->fast.steps_per_pkt);
        num(f, &first, "sim_gbps", s, r->fast.sim_gbps);
        num(f, &first, "sim_mpps", s, r->fast.sim_mpps);
        num(f, &first, "fast_cycles_per_s", s, r->fast.cycles_per_s);
        num(f, &first, "model_bit_mbps", s, r->bit.mbps);
        num(f, &first, "model_bit_pps", s, r->bit.pps);
        num(f, &first, "bit_cycles_per_s", s, r->bit.cycles_per_s);
        num(f, &first, "bit_vs_fast", s, r->bit_vs_fast.median);
        num(f, &first, "verified_frames", s, (double)r->verified);
    }
    fprintf(f, "\n}\n");
    if (fclose(f) != 0) {
        snprintf(err, errlen, "cannot write %s", path);
        return -1;
    }
    return 0;
}

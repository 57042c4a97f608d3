// cosim.cpp - options, first-mismatch report and the waveform replay of the block-level
// lock-step programs (contract in cosim.h).
#include "cosim.h"

#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <vector>

#include <sys/stat.h>

#include "gtkwave/fstapi.h"
#if VM_COVERAGE
#include "verilated_cov.h"
#endif

// The C model's side of the window: per compared signal, its width and (time, value) changes.
struct cosim_wave {
    struct sig {
        unsigned bits;
        std::vector<std::pair<uint64_t, std::string>> v; // (time, binary string)
    };
    std::map<std::string, sig> sigs;
};

static bool tracing(const cosim *cs)
{
    return cs->win_lo <= cs->win_hi && cs->cycle >= cs->win_lo && cs->cycle <= cs->win_hi;
}

uint64_t cosim_rand(cosim *cs)
{
    uint64_t z = (cs->rng += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

uint32_t cosim_below(cosim *cs, uint32_t n)
{
    return (uint32_t)(cosim_rand(cs) % n);
}

void cosim_bytes(cosim *cs, uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)cosim_rand(cs);
}

void cosim_to_wide(const uint8_t b[16], uint32_t w[4])
{
    for (int k = 0; k < 4; k++)
        w[3 - k] = (uint32_t)b[4 * k] << 24 | (uint32_t)b[4 * k + 1] << 16 |
                   (uint32_t)b[4 * k + 2] << 8 | b[4 * k + 3];
}

void cosim_from_wide(const uint32_t w[4], uint8_t b[16])
{
    for (int i = 0; i < 16; i++)
        b[i] = (uint8_t)(w[3 - i / 4] >> (24 - 8 * (i % 4)));
}

void cosim_to_wide_n(const uint8_t *b, uint32_t *w, size_t nblocks)
{
    for (size_t r = 0; r < nblocks; r++)
        cosim_to_wide(b + 16 * r, w + 4 * r);
}

static std::string hex(const uint8_t *p, size_t n)
{
    static const char d[] = "0123456789abcdef";
    std::string s;
    for (size_t i = 0; i < n; i++) {
        s += d[p[i] >> 4];
        s += d[p[i] & 15];
    }
    return s;
}

static void wave_record(cosim *cs, const char *signal, const uint8_t *be, size_t n)
{
    if (!cs->wave || !tracing(cs))
        return;
    std::string name = std::string(cs->block) + "." + signal;
    cosim_wave::sig &s = cs->wave->sigs[name];
    s.bits = (unsigned)(8 * n);
    std::string bits;
    for (size_t i = 0; i < n; i++)
        for (int b = 7; b >= 0; b--)
            bits += (be[i] >> b & 1) ? '1' : '0';
    uint64_t t = 2 * cs->cycle;
    if (s.v.empty() || s.v.back().second != bits)
        s.v.emplace_back(t, bits);
}

static void mismatch(cosim *cs, const char *signal, const std::string &e, const std::string &a)
{
    cs->failed = true;
    cs->fail_cycle = cs->cycle;
    char buf[512];
    snprintf(buf, sizeof buf,
             "MISMATCH cycle %" PRIu64 " block %s signal %s expected(C) %s actual(RTL) %s seed %"
             PRIu64,
             cs->cycle, cs->block, signal, e.c_str(), a.c_str(), cs->seed);
    cs->fail_report = buf;
}

bool cosim_check(cosim *cs, const char *signal, uint64_t expected, uint64_t actual)
{
    uint8_t be[8];
    for (int i = 0; i < 8; i++)
        be[i] = (uint8_t)(expected >> (56 - 8 * i));
    wave_record(cs, signal, be, 8);
    cs->checks++;
    if (expected == actual || cs->failed)
        return expected == actual;
    char e[32], a[32];
    snprintf(e, sizeof e, "0x%" PRIx64, expected);
    snprintf(a, sizeof a, "0x%" PRIx64, actual);
    mismatch(cs, signal, e, a);
    return false;
}

bool cosim_check_bytes(cosim *cs, const char *signal, const uint8_t *expected,
                       const uint8_t *actual, size_t n)
{
    wave_record(cs, signal, expected, n);
    cs->checks++;
    bool eq = memcmp(expected, actual, n) == 0;
    if (!eq && !cs->failed)
        mismatch(cs, signal, hex(expected, n), hex(actual, n));
    return eq;
}

void cosim_fail(cosim *cs, const char *report)
{
    if (cs->failed)
        return;
    cs->failed = true;
    cs->fail_cycle = cs->cycle;
    char buf[1024];
    snprintf(buf, sizeof buf, "MISMATCH cycle %" PRIu64 " block %s: %s seed %" PRIu64, cs->cycle,
             cs->block, report, cs->seed);
    cs->fail_report = buf;
}

void cosim_coverage_write(cosim *cs)
{
#if VM_COVERAGE
    if (const char *dir = getenv("COSIM_COVERAGE_DIR")) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s-%" PRIu64 ".dat", dir, cs->block, cs->seed);
        cs->ctx->coveragep()->write(path);
    }
#else
    (void)cs;
#endif
}

void cosim_dump(cosim *cs, uint64_t t)
{
    if (cs->fst && tracing(cs))
        cs->fst->dump(t);
}

void cosim_trace_open(cosim *cs)
{
    if (cs->fst)
        cs->fst->open(cs->trace_path.c_str());
}

// Write the C model's side of the window as FST next to the RTL's.
static int wave_write(const cosim_wave *w, const std::string &path)
{
    void *f = fstWriterCreate(path.c_str(), 1);
    if (!f)
        return -1;
    fstWriterSetTimescale(f, -9);
    fstWriterSetScope(f, FST_ST_VCD_MODULE, "cmodel", NULL);
    std::map<std::string, fstHandle> h;
    for (const auto &kv : w->sigs)
        h[kv.first] = fstWriterCreateVar(f, FST_VT_VCD_WIRE, FST_VD_IMPLICIT, kv.second.bits,
                                         kv.first.c_str(), 0);
    fstWriterSetUpscope(f);
    std::map<uint64_t, std::vector<std::pair<fstHandle, const std::string *>>> by_time;
    for (const auto &kv : w->sigs)
        for (const auto &tv : kv.second.v)
            by_time[tv.first].emplace_back(h[kv.first], &tv.second);
    for (const auto &tv : by_time) {
        fstWriterEmitTimeChange(f, tv.first);
        for (const auto &hv : tv.second)
            fstWriterEmitValueChange(f, hv.first, hv.second->c_str());
    }
    fstWriterClose(f);
    return 0;
}

static bool parse_u64(const char *s, uint64_t *v)
{
    char *end;
    errno = 0;
    unsigned long long x = strtoull(s, &end, 0);
    if (errno || end == s || *end || s[0] == '-')
        return false;
    *v = x;
    return true;
}

// One run of the body with a fresh Verilated context seeded for random reset.
static int run_once(cosim *cs, cosim_body body)
{
    VerilatedContext ctx;
#if VM_COVERAGE
    ctx.randReset(0); // random reset would randomise the coverage counters themselves
#else
    ctx.randReset(2);
#endif
    ctx.randSeed((int)(cs->seed & 0x7fffffff) ? (int)(cs->seed & 0x7fffffff) : 1);
    if (cs->win_lo <= cs->win_hi)
        ctx.traceEverOn(true);
    cs->ctx = &ctx;
    cs->cycle = 0;
    cs->checks = 0;
    cs->rng = cs->seed;
    cs->failed = false;
    cs->fail_report.clear();
    VerilatedFstC *fst = nullptr;
    cosim_wave *wave = nullptr;
    if (cs->win_lo <= cs->win_hi) {
        fst = new VerilatedFstC;
        wave = new cosim_wave;
    }
    cs->fst = fst;
    cs->wave = wave;
    int rc = body(cs);
    if (fst) {
        fst->close();
        std::string cpath = cs->trace_path;
        size_t dot = cpath.rfind(".fst");
        cpath = (dot == std::string::npos ? cpath : cpath.substr(0, dot)) + ".c.fst";
        cs->c_wave = !wave->sigs.empty();
        if (cs->c_wave && wave_write(wave, cpath) != 0)
            fprintf(stderr, "cosim %s: cannot write %s\n", cs->block, cpath.c_str());
        delete fst;
        delete wave;
    }
    cs->fst = nullptr;
    cs->wave = nullptr;
    cs->ctx = nullptr;
    return rc;
}

int cosim_main(int argc, char **argv, const char *block, const char *help, cosim_body body)
{
    cosim cs{};
    cs.block = block;
    cs.seed = 1;
    cs.win_lo = 1;
    cs.win_hi = 0;
    uint64_t window = 40;
    const char *trace = nullptr;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : nullptr;
        uint64_t x = 0;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            printf("usage: cosim_%s [--seed N] [--cycles N] [--packets N] [--trace FILE.fst]"
                   " [--window N] [--quiet]\n%s\n", block, help);
            return 0;
        } else if (!strcmp(a, "--quiet")) {
            cs.quiet = true;
            continue;
        } else if (!v) {
            fprintf(stderr, "cosim_%s: %s needs a value (--help)\n", block, a);
            return 2;
        } else if (!strcmp(a, "--trace")) {
            trace = v;
        } else if (!parse_u64(v, &x)) {
            fprintf(stderr, "cosim_%s: %s: not a number: '%s'\n", block, a, v);
            return 2;
        } else if (!strcmp(a, "--seed")) {
            if (x == 0) {
                fprintf(stderr, "cosim_%s: --seed must be nonzero\n", block);
                return 2;
            }
            cs.seed = x;
        } else if (!strcmp(a, "--cycles")) {
            cs.cycles = x;
        } else if (!strcmp(a, "--packets")) {
            cs.packets = x;
        } else if (!strcmp(a, "--window")) {
            window = x;
        } else {
            fprintf(stderr, "cosim_%s: unknown option '%s' (--help)\n", block, a);
            return 2;
        }
        i++;
    }
    if (trace) { // trace the whole run
        cs.win_lo = 0;
        cs.win_hi = UINT64_MAX;
        cs.trace_path = trace;
    }
    if (!cs.quiet)
        printf("cosim %s: seed %" PRIu64 "\n", block, cs.seed);
    if (run_once(&cs, body) != 0)
        return 2;
    if (!cs.failed) {
        if (!cs.quiet)
            printf("cosim %s: %" PRIu64 " cycles, %" PRIu64 " checks, 0 mismatches\n", block,
                   cs.cycle, cs.checks);
        if (!cs.summary.empty())
            printf("%s\n", cs.summary.c_str());
        return 0;
    }
    printf("%s\n", cs.fail_report.c_str());
    if (!trace) { // replay with the window traced
        cs.win_lo = cs.fail_cycle > window ? cs.fail_cycle - window : 0;
        cs.win_hi = cs.fail_cycle + 2;
        mkdir("build", 0755); // the default place; errors show when the file is opened
        mkdir("build/cosim", 0755);
        char path[256];
        snprintf(path, sizeof path, "build/cosim/%s-%" PRIu64 ".fst", block, cs.seed);
        cs.trace_path = path;
        std::string first = cs.fail_report;
        run_once(&cs, body);
        if (cs.fail_report != first)
            printf("cosim %s: the replay did not reproduce the mismatch (body not deterministic)\n",
                   block);
    }
    printf("waveform: %s (RTL)%s, cycles %" PRIu64 "..%" PRIu64 "\n", cs.trace_path.c_str(),
           cs.c_wave ? ", C model side in the .c.fst next to it" : "", cs.win_lo, cs.win_hi);
    return 1;
}

/* bench_main.c - nicsim_bench: options and the sequence of measurements (see bench.h and
 * docs/performance.md). Per packet size: OpenSSL reference, model FAST, model BIT; then the
 * table on stdout and the JSON file. Exit 0, or 1 with a one-line reason (2 for bad usage). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

static const uint32_t default_sizes[] = {64, 512, 1500, 9000};

static void usage(FILE *f)
{
    fprintf(f,
            "usage: nicsim_bench [--packets N] [--quick] [--sizes S,S,...] [--only WHAT] [--json FILE]\n"
            "Raw OpenSSL AES-128-GCM vs the nicsim model (TX packet-offload ESP, FAST and BIT\n"
            "data modes) on the same IPv4 UDP packets; prints ratios measured in this run.\n"
            "  --packets N   at least N packets per model measurement (default 2000)\n"
            "  --quick       smoke run: short measurements, one repetition\n"
            "  --sizes LIST  packet sizes in bytes, 28..9000 (default 64,512,1500,9000)\n"
            "  --json FILE   also write one flat JSON object of named numbers to FILE\n"
            "  --only WHAT   measure only openssl, fast or bit (e.g. under perf); ratios that\n"
            "                need a skipped measurement are then 0\n"
            "  --help        this text\n"
            "Not a test: no figure makes it fail. It fails (exit 1) only when it cannot measure,\n"
            "e.g. a model output frame that does not verify against the golden library.\n");
}

static int parse_u64(const char *s, uint64_t lo, uint64_t hi, uint64_t *v)
{
    char *end;
    errno = 0;
    unsigned long long x = strtoull(s, &end, 10);
    if (errno || end == s || *end || s[0] == '-' || x < lo || x > hi)
        return -1;
    *v = x;
    return 0;
}

static int parse_sizes(const char *s, struct bench_opts *o)
{
    char buf[256];
    snprintf(buf, sizeof(buf), "%s", s);
    o->nsizes = 0;
    for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        uint64_t v;
        if (o->nsizes == BENCH_MAX_SIZES || parse_u64(tok, 28, 9000, &v))
            return -1;
        o->sizes[o->nsizes++] = (uint32_t)v;
    }
    return o->nsizes ? 0 : -1;
}

/* 0 = run, 1 = --help printed, -1 = bad usage (reason printed). */
static int parse_args(int argc, char **argv, struct bench_opts *o)
{
    memset(o, 0, sizeof(*o));
    o->min_packets = 2000;
    o->min_time = 0.3;
    o->reps = 3;
    o->only = BENCH_RUN_ALL;
    o->nsizes = sizeof(default_sizes) / sizeof(default_sizes[0]);
    memcpy(o->sizes, default_sizes, sizeof(default_sizes));
    bool packets_set = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool has_val = i + 1 < argc;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return 1;
        } else if (!strcmp(a, "--quick")) {
            o->quick = true;
        } else if (!strcmp(a, "--packets") && has_val) {
            if (parse_u64(argv[++i], 1, 100000000, &o->min_packets)) {
                fprintf(stderr, "nicsim_bench: --packets wants 1..100000000, not '%s'\n", argv[i]);
                return -1;
            }
            packets_set = true;
        } else if (!strcmp(a, "--sizes") && has_val) {
            if (parse_sizes(argv[++i], o)) {
                fprintf(stderr, "nicsim_bench: --sizes wants up to %d sizes in 28..9000, not "
                        "'%s'\n", BENCH_MAX_SIZES, argv[i]);
                return -1;
            }
        } else if (!strcmp(a, "--only") && has_val) {
            const char *w = argv[++i];
            o->only = !strcmp(w, "openssl") ? BENCH_RUN_OPENSSL
                      : !strcmp(w, "fast")  ? BENCH_RUN_FAST
                      : !strcmp(w, "bit")   ? BENCH_RUN_BIT
                                            : 0;
            if (!o->only) {
                fprintf(stderr, "nicsim_bench: --only wants openssl, fast or bit, not '%s'\n", w);
                return -1;
            }
        } else if (!strcmp(a, "--json") && has_val) {
            o->json = argv[++i];
        } else {
            fprintf(stderr, "nicsim_bench: unknown option or missing value: '%s' (see --help)\n",
                    a);
            return -1;
        }
    }
    if (o->quick) {
        o->min_time = 0.02;
        o->reps = 1;
        if (!packets_set)
            o->min_packets = 256;
    }
    return 0;
}

int main(int argc, char **argv)
{
    struct bench_opts o;
    int pa = parse_args(argc, argv, &o);
    if (pa)
        return pa > 0 ? 0 : 2;
    static struct bench_row rows[BENCH_MAX_SIZES];
    char err[256] = "";
    for (unsigned i = 0; i < o.nsizes; i++) {
        struct bench_traffic t;
        struct bench_row *r = &rows[i];
        r->size = o.sizes[i];
        if (bench_traffic_make(&t, r->size, 0xbe9c0000u + r->size)) {
            fprintf(stderr, "nicsim_bench: cannot build %u-byte packets\n", r->size);
            return 1;
        }
        fprintf(stderr, "nicsim_bench: %u bytes...\n", r->size);
        int rc = 0;
        if (o.only & BENCH_RUN_OPENSSL)
            rc = bench_openssl(&t, &o, &r->ossl, err, sizeof(err));
        if (!rc && (o.only & BENCH_RUN_FAST))
            rc = bench_model_run(&t, 0, &o, &r->fast, err, sizeof(err));
        if (!rc && (o.only & BENCH_RUN_BIT))
            rc = bench_model_run(&t, 1, &o, &r->bit, err, sizeof(err));
        bench_traffic_free(&t);
        if (rc) {
            fprintf(stderr, "nicsim_bench: %u bytes: %s\n", r->size, err);
            return 1;
        }
    }
    bench_report_table(stdout, &o, rows, o.nsizes);
    if (o.json) {
        if (bench_report_json(o.json, &o, rows, o.nsizes, err, sizeof(err))) {
            fprintf(stderr, "nicsim_bench: %s\n", err);
            return 1;
        }
        printf("wrote %s\n", o.json);
    }
    return 0;
}

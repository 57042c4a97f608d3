/* bench_main.c - nicsim_bench: options and the sequence of measurements (see bench.h and
 * docs/performance.md). Per packet size: `reps` rounds, each measuring the OpenSSL reference,
 * model FAST and model BIT back to back; then the table on stdout and the JSON file. Exit 0, or
 * 1 with a one-line reason (2 for bad usage). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

static const uint32_t default_sizes[] = {64, 512, 1500, 9000};

static void usage(FILE *f)
{
    fprintf(f,
            "usage: nicsim_bench [--packets N] [--reps N] [--quick] [--sizes S,S,...] [--only WHAT]\n"
            "                    [--json FILE]\n"
            "Raw OpenSSL AES-128-GCM vs the nicsim model (TX packet-offload ESP, FAST and BIT\n"
            "data modes) on the same IPv4 UDP packets; prints ratios measured in this run.\n"
            "  --packets N   at least N packets per model measurement (default 2000)\n"
            "  --reps N      rounds of measurements, 1..31 (default 7); a ratio is the median\n"
            "                of the rounds' ratios, each of two measurements taken back to back\n"
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
    o->min_time = 0.2;
    o->reps = 7;
    o->only = BENCH_RUN_ALL;
    o->nsizes = sizeof(default_sizes) / sizeof(default_sizes[0]);
    memcpy(o->sizes, default_sizes, sizeof(default_sizes));
    bool packets_set = false, reps_set = false;
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
        } else if (!strcmp(a, "--reps") && has_val) {
            uint64_t v;
            if (parse_u64(argv[++i], 1, BENCH_MAX_REPS, &v)) {
                fprintf(stderr, "nicsim_bench: --reps wants 1..%d, not '%s'\n", BENCH_MAX_REPS,
                        argv[i]);
                return -1;
            }
            o->reps = (unsigned)v;
            reps_set = true;
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
        if (!reps_set)
            o->reps = 1;
        if (!packets_set)
            o->min_packets = 256;
    }
    return 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static struct bench_spread spread(double *v, unsigned n)
{
    struct bench_spread s = {0, 0, 0};
    if (!n)
        return s;
    qsort(v, n, sizeof(*v), cmp_double);
    s.lo = v[0];
    s.hi = v[n - 1];
    s.median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    return s;
}

/* The measurements of one size, in rounds. Within a round the order alternates (OpenSSL, FAST,
 * BIT, then BIT, FAST, OpenSSL): FAST is next to OpenSSL and to BIT in every round, and a
 * steady drift of the machine's speed favours neither side of a ratio over the rounds. */
static int measure_size(const struct bench_opts *o, const struct bench_traffic *t,
                        struct bench_row *r, char *err, size_t errlen)
{
    enum { OSSL, FAST, BIT, KINDS };
    static const unsigned want[KINDS] = {BENCH_RUN_OPENSSL, BENCH_RUN_FAST, BENCH_RUN_BIT};
    struct bench_ossl *ossl = NULL;
    struct bench_dev *dev[KINDS] = {NULL, NULL, NULL};
    double fo[BENCH_MAX_REPS], bf[BENCH_MAX_REPS];
    unsigned nfo = 0, nbf = 0;
    int rc = 0;
    if (o->only & want[OSSL])
        rc = (ossl = bench_openssl_open(t, err, errlen)) ? 0 : -1;
    for (unsigned k = FAST; !rc && k <= BIT; k++)
        if (o->only & want[k])
            rc = (dev[k] = bench_model_open(t, k == BIT, o->min_time / 10, err, errlen)) ? 0
                                                                                          : -1;
    for (unsigned rep = 0; !rc && rep < o->reps; rep++) {
        struct bench_rate ro = {0, 0, 0};
        struct bench_model rm[KINDS];
        memset(rm, 0, sizeof(rm));
        for (unsigned s = 0; !rc && s < KINDS; s++) {
            unsigned k = rep % 2 ? KINDS - 1 - s : s;
            if (!(o->only & want[k]))
                continue;
            if (k == OSSL)
                rc = bench_openssl_measure(ossl, o->min_time, &ro, err, errlen);
            else
                rc = bench_model_measure(dev[k], o->min_time, o->min_packets, &rm[k]);
        }
        if (rc)
            break;
        if (ro.mbps > r->ossl.mbps)
            r->ossl = ro;
        if (rm[FAST].mbps > r->fast.mbps)
            r->fast = rm[FAST];
        if (rm[BIT].mbps > r->bit.mbps)
            r->bit = rm[BIT];
        if (ro.mbps > 0 && rm[FAST].mbps > 0)
            fo[nfo++] = rm[FAST].mbps / ro.mbps;
        if (rm[FAST].cycles_per_s > 0 && rm[BIT].cycles_per_s > 0)
            bf[nbf++] = rm[BIT].cycles_per_s / rm[FAST].cycles_per_s;
    }
    r->fast_vs_ossl = spread(fo, nfo);
    r->bit_vs_fast = spread(bf, nbf);
    for (unsigned k = FAST; k <= BIT; k++) {
        if (dev[k])
            r->verified += bench_model_verified(dev[k]);
        bench_model_close(dev[k]);
    }
    bench_openssl_close(ossl);
    return rc;
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
        int rc = measure_size(&o, &t, r, err, sizeof(err));
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

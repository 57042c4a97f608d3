/* cmd_stim.c - `nicsim stim`: make a seeded random stimulus file, or run stimulus files on the
 * C model (the RTL and the lock-step pair run the same files: build/cosim/bin/cosim_top).
 *
 *   nicsim stim gen --seed N --packets N [--sas N] [--packet-rx] [--max-len N] [-o FILE]
 *   nicsim stim run [--trace] FILE...
 * `run` prints one summary line per file and, last, "N packets, N cycles, 0 mismatches" (or
 * the first failure with its stimulus line) and exits 0 / 1 (a check failed) / 2 (usage or a
 * malformed file).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "dut_if.h"
#include "nicsim/nicsim_params.h"
#include "stim_gen.h"
#include "stim_run.h"

static const char usage[] =
    "usage: nicsim stim gen --seed N --packets N [--sas N] [--packet-rx] [--max-len N] [-o FILE]\n"
    "       nicsim stim run [--trace] FILE...\n"
    "gen: a self-checking random stimulus (vectors/stim/README.md): SAs of every key and ICV\n"
    "     size, ESN, transport/tunnel, v4/v6, corrupted and unknown-SPI packets, SA churn;\n"
    "     expected results from the golden library.\n"
    "run: every file through the C model (SAs through the mailbox and the firmware).\n";

static int parse_num(const char *opt, const char *v, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long x = v ? strtoull(v, &end, 0) : 0;
    if (!v || errno || *end || v[0] == '-' || !*v) {
        fprintf(stderr, "nicsim stim: %s needs a number%s%s\n", opt, v ? ", not " : "",
                v ? v : "");
        return -1;
    }
    *out = x;
    return 0;
}

static int gen(int argc, char **argv)
{
    struct stim_gen_opts o = {0};
    const char *path = NULL;
    uint64_t x;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--packet-rx")) {
            o.packet_rx = true;
            continue;
        }
        if (!strcmp(a, "-o")) {
            if (!v) {
                fprintf(stderr, "nicsim stim gen: -o needs a file\n");
                return EXIT_USAGE;
            }
            path = v;
        } else if (!strcmp(a, "--seed") || !strcmp(a, "--packets") || !strcmp(a, "--sas") ||
                   !strcmp(a, "--max-len")) {
            if (parse_num(a, v, &x))
                return EXIT_USAGE;
            if (a[2] == 's' && a[3] == 'e')
                o.seed = x;
            else if (a[2] == 'p')
                o.packets = x;
            else if (a[2] == 's')
                o.sas = (unsigned)(x > 1000 ? 1000 : x);
            else
                o.max_len = (unsigned)(x > 100000 ? 100000 : x);
        } else {
            fprintf(stderr, "nicsim stim gen: unknown option '%s'\n%s", a, usage);
            return EXIT_USAGE;
        }
        i++;
    }
    if (!o.seed) {
        fprintf(stderr, "nicsim stim gen: --seed N (nonzero) is required\n");
        return EXIT_USAGE;
    }
    FILE *out = path ? fopen(path, "w") : stdout;
    if (!out) {
        fprintf(stderr, "nicsim stim gen: %s: %s\n", path, strerror(errno));
        return EXIT_USAGE;
    }
    int rc = stim_gen(out, &o);
    if (path && fclose(out) && !rc)
        rc = -EIO;
    if (rc) {
        fprintf(stderr, "nicsim stim gen: %s\n",
                rc == -EINVAL ? "bad options (--sas 1..64, --max-len 64..8000)" : strerror(-rc));
        return rc == -EINVAL ? EXIT_USAGE : EXIT_CHECK_FAILED;
    }
    return 0;
}

static int run(int argc, char **argv)
{
    struct stim_run_opts o = {0};
    int first = 1;
    if (argc > 1 && !strcmp(argv[1], "--trace")) {
        o.trace = stdout;
        first = 2;
    }
    if (first >= argc) {
        fprintf(stderr, "nicsim stim run: no stimulus file\n");
        return EXIT_USAGE;
    }
    uint64_t packets = 0, cycles = 0;
    for (int i = first; i < argc; i++) {
        FILE *in = fopen(argv[i], "r");
        if (!in) {
            fprintf(stderr, "nicsim stim run: %s: %s\n", argv[i], strerror(errno));
            return EXIT_USAGE;
        }
        struct nicsim_params p;
        nicsim_params_default(&p);
        char err[256];
        struct dut_if *d = dut_if_model_create(&p, err, sizeof err);
        if (!d) {
            fclose(in);
            fprintf(stderr, "nicsim stim run: %s\n", err);
            return EXIT_CHECK_FAILED;
        }
        struct stim_run_result r;
        int rc = stim_run(in, d, &o, &r);
        fclose(in);
        d->destroy(d);
        packets += r.packets;
        cycles += r.cycles;
        printf("%s: %" PRIu64 " records, %" PRIu64 " packets (%" PRIu64 " delivered, %" PRIu64
               " dropped), %" PRIu64 " SA operations, %" PRIu64 " expects held\n",
               argv[i], r.records, r.packets, r.delivered, r.dropped, r.sa_ops, r.expects);
        if (rc) {
            fprintf(stderr, "nicsim stim run: %s:%s\n", argv[i], r.error);
            printf("%" PRIu64 " packets, %" PRIu64 " cycles, 1 mismatches\n", packets, cycles);
            return rc == 2 ? EXIT_USAGE : EXIT_CHECK_FAILED;
        }
    }
    printf("%" PRIu64 " packets, %" PRIu64 " cycles, 0 mismatches\n", packets, cycles);
    return 0;
}

int cmd_stim(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        fputs(usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : 0;
    }
    if (!strcmp(argv[1], "gen"))
        return gen(argc - 1, argv + 1);
    if (!strcmp(argv[1], "run"))
        return run(argc - 1, argv + 1);
    fprintf(stderr, "nicsim stim: unknown action '%s' (gen or run)\n", argv[1]);
    return EXIT_USAGE;
}

/* cmd_vectors.c - `nicsim vectors [--engine NAME|all] [--quiet] FILE...`
 *
 * Runs conformance-vector files (format detected from content) through one engine or all of
 * them. Per file and engine one line "FILE [engine]: N passed, N failed, N skipped"; then
 * "N skipped (unsupported by engine)"; the very last line is "N passed, N failed", which is
 * what scripts and the Makefile read. Exit 0 only if nothing failed.
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"

static void help(FILE *out)
{
    fprintf(out,
            "usage: nicsim vectors [--engine NAME|all] [--quiet] FILE...\n"
            "\n"
            "Run known-answer vector files through AES-GCM/ESP engines. The format of each file\n"
            "is detected from its content: NIST CAVP GCM .rsp, Wycheproof AEAD JSON, or the\n"
            "nicsim ESP format (vectors/README.md).\n"
            "\n"
            "  --engine NAME  engine to test, or 'all' (default: all). Engines:\n");
    for (size_t i = 0; vec_engines[i] != NULL; i++)
        fprintf(out, "                   %-10s %s\n", vec_engines[i]->name, vec_engines[i]->desc);
    fprintf(out,
            "  --quiet        no per-file lines (failures and errors still print)\n"
            "  --help         this text\n"
            "\n"
            "Prints FILE:LINE: FAIL [engine] record: what differed for a failing record (20 per\n"
            "file at most), FILE:LINE: error: reason for a malformed file, and last\n"
            "'N passed, N failed'. Records an engine does not support are counted skipped.\n"
            "Exit status: 0 nothing failed, 1 something failed, 2 usage error.\n");
}

int vectors_report(const char *const *paths, size_t n_paths,
                   const struct vec_engine *const *engines, size_t n_engines, unsigned flags)
{
    struct vec_tally total = { 0, 0, 0 };
    unsigned long failed = vec_run_files(paths, n_paths, engines, n_engines, stdout, flags, &total);
    vec_run_print_totals(stdout, &total);
    fflush(stdout);
    return failed == 0 ? 0 : EXIT_CHECK_FAILED;
}

int cmd_vectors(int argc, char **argv)
{
    const char *engine = "all";
    unsigned flags = 0;
    int i = 1;

    for (; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0) {
            i++;
            break;
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            help(stdout);
            return 0;
        } else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
            flags |= VEC_RUN_QUIET;
        } else if (strcmp(a, "--engine") == 0) {
            if (i + 1 >= argc) {
                fprintf(stderr, "nicsim vectors: --engine needs a name (try --help)\n");
                return EXIT_USAGE;
            }
            engine = argv[++i];
        } else if (strncmp(a, "--engine=", 9) == 0) {
            engine = a + 9;
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "nicsim vectors: unknown option '%s' (try --help)\n", a);
            return EXIT_USAGE;
        } else {
            break;
        }
    }
    if (i >= argc) {
        fprintf(stderr, "nicsim vectors: no vector files given (try --help)\n");
        return EXIT_USAGE;
    }

    size_t n_engines = 0;
    while (vec_engines[n_engines] != NULL)
        n_engines++;
    const struct vec_engine *const *engines = vec_engines;
    const struct vec_engine *one[1];
    if (strcmp(engine, "all") != 0) {
        one[0] = vec_engine_find(engine);
        if (one[0] == NULL) {
            fprintf(stderr, "nicsim vectors: unknown engine '%s' (try --help)\n", engine);
            return EXIT_USAGE;
        }
        engines = one;
        n_engines = 1;
    }
    return vectors_report((const char *const *)(argv + i), (size_t)(argc - i), engines,
                          n_engines, flags);
}

/* nicsim.c - the nicsim command: one binary, subcommands dispatched through a table.
 *
 *   nicsim --help            list the subcommands
 *   nicsim SUB [--help] ...  run one (each handles its own options)
 * An unknown subcommand is one line on stderr and exit status 2, so scripts fail loudly.
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"

struct subcommand {
    const char *name;
    const char *summary;
    int (*main)(int argc, char **argv);
};

static const struct subcommand subcommands[] = {
    { "run", "run the main job: SAs from an ip xfrm script, traffic through TX and RX cards",
      cmd_run },
    { "regress", "every shipped conformance vector through every engine", cmd_regress },
    { "vectors", "run NIST CAVP, Wycheproof and nicsim ESP vector files through the engines",
      cmd_vectors },
    { "stim", "make a seeded stimulus file, or run stimulus files on the C model", cmd_stim },
};

#define N_SUBCOMMANDS (sizeof subcommands / sizeof subcommands[0])

static void usage(FILE *out)
{
    fprintf(out, "usage: nicsim SUBCOMMAND [--help] [ARGS...]\n\nsubcommands:\n");
    for (size_t i = 0; i < N_SUBCOMMANDS; i++)
        fprintf(out, "  %-10s %s\n", subcommands[i].name, subcommands[i].summary);
    fprintf(out, "\n`nicsim SUBCOMMAND --help` describes one. Exit status: 0 success, 1 a check "
                 "failed, 2 usage error.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "nicsim: missing subcommand (try nicsim --help)\n");
        return EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return 0;
    }
    for (size_t i = 0; i < N_SUBCOMMANDS; i++)
        if (strcmp(argv[1], subcommands[i].name) == 0)
            return subcommands[i].main(argc - 1, argv + 1);
    fprintf(stderr, "nicsim: unknown subcommand '%s' (try nicsim --help)\n", argv[1]);
    return EXIT_USAGE;
}

/* cmd.h - the subcommands of the nicsim binary, one cmd_<name>.c file each.
 *
 * A subcommand gets argv with argv[0] = its own name, handles its own --help, prints results on
 * stdout and a one-line reason on stderr when it fails. Exit status: 0 success, 1 a check
 * failed, 2 usage error.
 */
#ifndef NICSIM_CLI_CMD_H
#define NICSIM_CLI_CMD_H

#include <stddef.h>

#include "vec_run.h"

#define EXIT_CHECK_FAILED 1
#define EXIT_USAGE 2

int cmd_run(int argc, char **argv);
int cmd_regress(int argc, char **argv);
int cmd_vectors(int argc, char **argv);
int cmd_stim(int argc, char **argv);

/* Shared by `run` and `vectors`: every file through every engine, the per-file lines, then the
 * totals (last line "N passed, N failed"); returns the exit status. */
int vectors_report(const char *const *paths, size_t n_paths,
                   const struct vec_engine *const *engines, size_t n_engines, unsigned flags);

#endif

/* vec_run.h - run conformance-vector files through engines and tally the results.
 *
 * The format of a file is detected from its content (vec_detect): Wycheproof AEAD JSON, the
 * nicsim ESP format (vectors/README.md) or NIST CAVP GCM .rsp. Every line the runner prints goes
 * to the caller's FILE*:
 *   FILE:LINE: error: reason                          the file is malformed (one failure)
 *   FILE: error: reason                               the file cannot be read at all (one failure)
 *   FILE:LINE: FAIL [engine] record-id: what differed  a record failed (at most VEC_FAIL_CAP)
 *   FILE [engine]: N passed, N failed, N skipped        per file and engine (not with QUIET)
 * A malformed file stops at its first error; records that ran before it keep their verdicts.
 * Nothing aborts the run: the next file always gets its turn.
 */
#ifndef NICSIM_VEC_RUN_H
#define NICSIM_VEC_RUN_H

#include <stddef.h>
#include <stdio.h>

#include "vec_engine.h"

struct vec_tally {
    unsigned long passed;
    unsigned long failed;
    unsigned long skipped; /* the engine reported VEC_UNSUPPORTED */
};

enum vec_format {
    VEC_FORMAT_UNKNOWN = 0,
    VEC_FORMAT_CAVP,
    VEC_FORMAT_WYCHEPROOF,
    VEC_FORMAT_ESP,
};

/* Record failure lines printed per file and engine; the rest are only counted. */
#define VEC_FAIL_CAP 20u

/* Flags for vec_run_file / vec_run_files. */
#define VEC_RUN_QUIET 1u /* no per-file summary lines (errors and FAIL lines still print) */

/* Format of a file from its first n bytes (a prefix is enough; 64 KiB is plenty). */
enum vec_format vec_detect(const char *head, size_t n);
const char *vec_format_name(enum vec_format f);

/* Run one file through one engine, add its verdicts to *total (when not NULL) and return the
 * number of failures of this file (0: everything passed or was skipped). */
unsigned long vec_run_file(const char *path, const struct vec_engine *eng, FILE *out,
                           unsigned flags, struct vec_tally *total);

/* Every file through every engine (file-major order); returns the number of failures. */
unsigned long vec_run_files(const char *const *paths, size_t n_paths,
                            const struct vec_engine *const *engines, size_t n_engines, FILE *out,
                            unsigned flags, struct vec_tally *total);

/* The closing lines: "N skipped (unsupported by engine)", then always last "N passed, N failed". */
void vec_run_print_totals(FILE *out, const struct vec_tally *t);

#endif

/* vec_job.h - what a format parser gets from the runner for one file and one engine.
 *
 * Internal to libvec. Parsers never print: a malformed file is returned as a struct vec_err
 * (line + reason) and each record's verdict goes to the report sink, which owns the FILE* and the
 * failure cap. That keeps the parsers testable and the output format in one place.
 */
#ifndef NICSIM_VEC_JOB_H
#define NICSIM_VEC_JOB_H

#include <stdio.h>

#include "vec_engine.h"
#include "vec_run.h"

#define VEC_MSG_LEN 384

#if defined(__GNUC__)
#define VEC_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define VEC_PRINTF(f, a)
#endif

/* A malformed file: where and why (the reason names the record). */
struct vec_err {
    unsigned long line;
    char msg[VEC_MSG_LEN];
};

enum vec_verdict { VEC_PASS, VEC_FAIL, VEC_SKIP };

/* The verdict of one record and, for a failure, what differed. */
struct vec_outcome {
    enum vec_verdict verdict;
    char why[VEC_MSG_LEN];
};

/* Per file and engine: where lines go, what has been counted. */
struct vec_report {
    FILE *out;
    const char *path;
    const char *engine;
    unsigned long fail_shown;
    unsigned long fail_hidden;
    struct vec_tally tally;
};

struct vec_job {
    const struct vec_engine *eng;
    void *ctx;
    struct vec_report *rep;
    struct vec_err err; /* filled when a parser returns -1 */
};

/* Parser entry points (one file each). 0: the file was read to its end; -1: malformed, see
 * job->err. Records that ran before the error have been reported already. */
int vec_cavp_run(FILE *in, struct vec_job *job);
int vec_wycheproof_run(FILE *in, struct vec_job *job);
int vec_esp_run(FILE *in, struct vec_job *job);

/* vec_outcome.c: building verdicts and errors. */
void vec_err_set(struct vec_err *e, unsigned long line, const char *fmt, ...) VEC_PRINTF(3, 4);
void vec_outcome_pass(struct vec_outcome *o);
void vec_outcome_skip(struct vec_outcome *o, const char *fmt, ...) VEC_PRINTF(2, 3);
void vec_outcome_fail(struct vec_outcome *o, const char *fmt, ...) VEC_PRINTF(2, 3);
/* Name of an engine status: gold names, "unsupported" for VEC_UNSUPPORTED. */
const char *vec_status_name(int status);
/* 0 if got equals want; otherwise 1 and a one-line description of the first difference, e.g.
 * "CT differs at byte 5 of 60 (got 1f, want 2e)" or "Tag got 00ff.., want 11ee..". */
int vec_diff(char *buf, size_t n, const char *what, const uint8_t *got, size_t got_len,
             const uint8_t *want, size_t want_len);

/* vec_report.c: the sink. */
void vec_report_init(struct vec_report *r, FILE *out, const char *path, const char *engine);
void vec_report_record(struct vec_report *r, unsigned long line, const char *id,
                       const struct vec_outcome *o);
void vec_report_error(struct vec_report *r, const struct vec_err *e);
/* Closes the file: the count of failure lines held back by the cap. */
void vec_report_end(struct vec_report *r);

#endif

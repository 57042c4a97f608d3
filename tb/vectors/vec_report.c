/* vec_report.c - the report sink of one file run through one engine.
 *
 * Counts every verdict and prints the lines of vec_run.h. Failure lines are capped per file so
 * that a broken engine on a 7000-record NIST file gives a readable report, but never silently:
 * the number held back is printed when the file ends.
 */
#include "vec_job.h"

void vec_report_init(struct vec_report *r, FILE *out, const char *path, const char *engine)
{
    r->out = out;
    r->path = path;
    r->engine = engine;
    r->fail_shown = 0;
    r->fail_hidden = 0;
    r->tally.passed = r->tally.failed = r->tally.skipped = 0;
}

void vec_report_record(struct vec_report *r, unsigned long line, const char *id,
                       const struct vec_outcome *o)
{
    switch (o->verdict) {
    case VEC_PASS:
        r->tally.passed++;
        return;
    case VEC_SKIP:
        r->tally.skipped++;
        return;
    case VEC_FAIL:
        break;
    }
    r->tally.failed++;
    if (r->fail_shown >= VEC_FAIL_CAP) {
        r->fail_hidden++;
        return;
    }
    r->fail_shown++;
    if (r->out != NULL)
        fprintf(r->out, "%s:%lu: FAIL [%s] %s: %s\n", r->path, line, r->engine, id, o->why);
}

void vec_report_error(struct vec_report *r, const struct vec_err *e)
{
    r->tally.failed++;
    if (r->out == NULL)
        return;
    /* Line 0: the file as a whole (cannot be opened, engine missing), as compilers print it. */
    if (e->line == 0)
        fprintf(r->out, "%s: error: %s\n", r->path, e->msg);
    else
        fprintf(r->out, "%s:%lu: error: %s\n", r->path, e->line, e->msg);
}

void vec_report_end(struct vec_report *r)
{
    if (r->fail_hidden > 0 && r->out != NULL)
        fprintf(r->out, "%s: FAIL [%s] %lu more failing records not shown\n", r->path, r->engine,
                r->fail_hidden);
}

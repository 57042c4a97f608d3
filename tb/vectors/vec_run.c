/* vec_run.c - the runner: detect each file's format, feed it to its parser with an engine, and
 * print the per-file and total lines of vec_run.h.
 *
 * Robustness is the point here: whatever a file contains (nothing, binary, a broken JSON), the
 * result is one error line and one counted failure, and the next file runs.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "vec_job.h"

/* Enough of a file to recognise it: NIST headers and the ESP format line come first. */
#define DETECT_BYTES 65536u

const char *vec_format_name(enum vec_format f)
{
    switch (f) {
    case VEC_FORMAT_CAVP:
        return "cavp";
    case VEC_FORMAT_WYCHEPROOF:
        return "wycheproof";
    case VEC_FORMAT_ESP:
        return "nicsim-esp";
    case VEC_FORMAT_UNKNOWN:
        break;
    }
    return "unknown";
}

/* Is the first significant line (not blank, not a # comment) "format = ..."? */
static int esp_format_line(const char *p, size_t n)
{
    size_t i = 0;
    while (i < n) {
        while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
            i++;
        if (i < n && p[i] == '#') {
            while (i < n && p[i] != '\n')
                i++;
            continue;
        }
        break;
    }
    static const char kw[] = "format";
    if (n - i < sizeof kw - 1 || memcmp(p + i, kw, sizeof kw - 1) != 0)
        return 0;
    i += sizeof kw - 1;
    while (i < n && (p[i] == ' ' || p[i] == '\t'))
        i++;
    return i < n && p[i] == '=';
}

static int contains(const char *p, size_t n, const char *needle)
{
    size_t m = strlen(needle);
    for (size_t i = 0; i + m <= n; i++)
        if (memcmp(p + i, needle, m) == 0)
            return 1;
    return 0;
}

enum vec_format vec_detect(const char *head, size_t n)
{
    if (memchr(head, '\0', n) != NULL)
        return VEC_FORMAT_UNKNOWN; /* binary */
    size_t i = 0;
    if (n >= 3 && memcmp(head, "\xef\xbb\xbf", 3) == 0)
        i = 3; /* UTF-8 byte order mark, as some editors write it */
    while (i < n && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n'))
        i++;
    if (i < n && head[i] == '{')
        return VEC_FORMAT_WYCHEPROOF;
    if (esp_format_line(head + i, n - i))
        return VEC_FORMAT_ESP;
    if (contains(head, n, "[Keylen") || contains(head, n, "Count =") ||
        contains(head, n, "Count="))
        return VEC_FORMAT_CAVP;
    return VEC_FORMAT_UNKNOWN;
}

/* Open, recognise and parse; -1 with *err set when the file cannot be run at all or is
 * malformed. */
static int run_open_file(const char *path, struct vec_job *job)
{
    struct stat st;
    char *head;

    FILE *in = fopen(path, "rb");
    if (in == NULL) {
        vec_err_set(&job->err, 0, "cannot open: %s", strerror(errno));
        return -1;
    }
    if (fstat(fileno(in), &st) == 0 && S_ISDIR(st.st_mode)) {
        fclose(in);
        vec_err_set(&job->err, 0, "is a directory");
        return -1;
    }
    head = malloc(DETECT_BYTES);
    if (head == NULL) {
        fclose(in);
        vec_err_set(&job->err, 0, "out of memory");
        return -1;
    }
    size_t n = fread(head, 1, DETECT_BYTES, in);
    if (ferror(in)) {
        free(head);
        fclose(in);
        vec_err_set(&job->err, 0, "read error");
        return -1;
    }
    if (n == 0) {
        free(head);
        fclose(in);
        vec_err_set(&job->err, 1, "empty file");
        return -1;
    }
    enum vec_format fmt = vec_detect(head, n);
    bool binary = memchr(head, '\0', n) != NULL;
    free(head);
    if (fmt == VEC_FORMAT_UNKNOWN || fseek(in, 0, SEEK_SET) != 0) {
        fclose(in);
        vec_err_set(&job->err, 1, "unknown vector format%s", binary ? " (binary data)" : "");
        return -1;
    }
    int rc;
    switch (fmt) {
    case VEC_FORMAT_CAVP:
        rc = vec_cavp_run(in, job);
        break;
    case VEC_FORMAT_WYCHEPROOF:
        rc = vec_wycheproof_run(in, job);
        break;
    default:
        rc = vec_esp_run(in, job);
        break;
    }
    fclose(in);
    return rc;
}

unsigned long vec_run_file(const char *path, const struct vec_engine *eng, FILE *out,
                           unsigned flags, struct vec_tally *total)
{
    struct vec_report rep;
    struct vec_job job;

    memset(&job, 0, sizeof job);
    vec_report_init(&rep, out, path, eng->name);
    job.eng = eng;
    job.rep = &rep;
    job.ctx = eng->create != NULL ? eng->create() : NULL;
    if (eng->create != NULL && job.ctx == NULL) {
        vec_err_set(&job.err, 0, "engine %s could not be created", eng->name);
        vec_report_error(&rep, &job.err);
    } else {
        if (run_open_file(path, &job) != 0) {
            vec_report_error(&rep, &job.err);
        } else if (rep.tally.passed + rep.tally.failed + rep.tally.skipped == 0) {
            /* A vector file that tests nothing is a mistake, not a success. */
            vec_err_set(&job.err, 1, "no records");
            vec_report_error(&rep, &job.err);
        }
        if (eng->destroy != NULL)
            eng->destroy(job.ctx);
    }
    vec_report_end(&rep);
    if (!(flags & VEC_RUN_QUIET) && out != NULL)
        fprintf(out, "%s [%s]: %lu passed, %lu failed, %lu skipped\n", path, eng->name,
                rep.tally.passed, rep.tally.failed, rep.tally.skipped);
    if (total != NULL) {
        total->passed += rep.tally.passed;
        total->failed += rep.tally.failed;
        total->skipped += rep.tally.skipped;
    }
    return rep.tally.failed;
}

unsigned long vec_run_files(const char *const *paths, size_t n_paths,
                            const struct vec_engine *const *engines, size_t n_engines, FILE *out,
                            unsigned flags, struct vec_tally *total)
{
    unsigned long failed = 0;
    for (size_t f = 0; f < n_paths; f++)
        for (size_t e = 0; e < n_engines; e++)
            failed += vec_run_file(paths[f], engines[e], out, flags, total);
    return failed;
}

void vec_run_print_totals(FILE *out, const struct vec_tally *t)
{
    fprintf(out, "%lu skipped (unsupported by engine)\n", t->skipped);
    fprintf(out, "%lu passed, %lu failed\n", t->passed, t->failed);
}

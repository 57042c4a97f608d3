/* cmd_regress.c - `nicsim regress`: the conformance regression over the shipped vectors.
 *
 * Every shipped vector file
 * (the .rsp files in vectors/cavp, .json in vectors/wycheproof, .vec in vectors/esp) through
 * every engine, with the output of `nicsim vectors`. The vectors are found relative to the
 * repository root: ./vectors first (make runs from the root), then next to the executable
 * (build/bin/../../vectors, or build/asan/bin/../../../vectors), so the binary also works when
 * started from elsewhere.
 */
#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"

static const char *const patterns[] = { "cavp/*.rsp", "wycheproof/*.json", "esp/*.vec" };

static void help(FILE *out)
{
    fprintf(out,
            "usage: nicsim regress [--help]\n"
            "\n"
            "The conformance regression: every shipped vector file (vectors/cavp/*.rsp,\n"
            "vectors/wycheproof/*.json, vectors/esp/*.vec) through every engine, printed as by\n"
            "`nicsim vectors`, last line 'N passed, N failed'.\n"
            "\n"
            "The vectors folder is looked up as ./vectors, then relative to the executable\n"
            "(<exe dir>/../../vectors). Exit status: 0 all passed, 1 a failure or no vectors\n"
            "found, 2 usage error.\n");
}

static int is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The vectors folder into buf; 0 if found. */
static int find_vectors(char *buf, size_t n)
{
    static const char *const from_exe[] = { "/../../vectors", "/../../../vectors" };
    char exe[PATH_MAX];

    if (is_dir("vectors")) {
        snprintf(buf, n, "vectors");
        return 0;
    }
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len <= 0)
        return -1;
    exe[len] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash == NULL)
        return -1;
    *slash = '\0';
    for (size_t i = 0; i < sizeof from_exe / sizeof from_exe[0]; i++) {
        char cand[PATH_MAX + 32];
        snprintf(cand, sizeof cand, "%s%s", exe, from_exe[i]);
        /* realpath gives the report readable paths instead of bin/../../ chains. */
        if (is_dir(cand) && realpath(cand, buf) != NULL && strlen(buf) < n)
            return 0;
    }
    return -1;
}

int cmd_regress(int argc, char **argv)
{
    char dir[PATH_MAX];
    glob_t g;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            help(stdout);
            return 0;
        }
        fprintf(stderr, "nicsim regress: unexpected argument '%s' (try --help)\n", argv[i]);
        return EXIT_USAGE;
    }
    if (find_vectors(dir, sizeof dir) != 0) {
        fprintf(stderr, "nicsim regress: vectors folder not found (looked in ./vectors and next to "
                        "the executable)\n");
        return EXIT_CHECK_FAILED;
    }
    memset(&g, 0, sizeof g);
    for (size_t i = 0; i < sizeof patterns / sizeof patterns[0]; i++) {
        char pat[PATH_MAX + 32];
        snprintf(pat, sizeof pat, "%s/%s", dir, patterns[i]);
        int rc = glob(pat, i == 0 ? 0 : GLOB_APPEND, NULL, &g);
        if (rc != 0 && rc != GLOB_NOMATCH) {
            fprintf(stderr, "nicsim regress: cannot list %s\n", pat);
            globfree(&g);
            return EXIT_CHECK_FAILED;
        }
    }
    if (g.gl_pathc == 0) {
        fprintf(stderr, "nicsim regress: no vector files in %s/{cavp,wycheproof,esp}\n", dir);
        globfree(&g);
        return EXIT_CHECK_FAILED;
    }
    size_t n_engines = 0;
    while (vec_engines[n_engines] != NULL)
        n_engines++;
    printf("nicsim regress: conformance vectors in %s\n", dir);
    int rc = vectors_report((const char *const *)g.gl_pathv, g.gl_pathc, vec_engines, n_engines,
                            0);
    globfree(&g);
    return rc;
}

/* test_regs_doc.c - docs/registers.md and rtl/nicsim_pkg.sv are generated: each must equal what
 * build/bin/regs_gen (--verilog) prints now, byte for byte, so neither can drift from regs.def. The generator is
 * taken from the directory of the running test binary (build/ or build/asan/), else either.
 */
#include <criterion/criterion.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Whole stream into a malloc'd buffer; *len its size. */
static char *slurp(FILE *f, size_t *len)
{
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    cr_assert(buf);
    size_t got;
    while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            cap *= 2;
            buf = realloc(buf, cap);
            cr_assert(buf);
        }
    }
    *len = n;
    return buf;
}

/* The generator next to this test binary, or the first of build/ and build/asan/ that exists. */
static void gen_path(char *out, size_t cap)
{
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
    if (n > 0) {
        self[n] = 0;
        char *slash = strrchr(self, '/');
        if (slash) {
            snprintf(out, cap, "%.*s/regs_gen", (int)(slash - self), self);
            if (access(out, X_OK) == 0)
                return;
        }
    }
    static const char *const dirs[] = {"build/bin/regs_gen", "build/asan/bin/regs_gen"};
    for (size_t i = 0; i < 2; i++)
        if (access(dirs[i], X_OK) == 0) {
            snprintf(out, cap, "%s", dirs[i]);
            return;
        }
    cr_assert_fail("regs_gen not built (make build/bin/regs_gen)");
}

/* The file at `path` must equal the output of `regs_gen args`. */
static void check_generated(const char *args, const char *path)
{
    char gen[PATH_MAX + 32];
    gen_path(gen, sizeof(gen) - 16);
    strcat(gen, args);
    FILE *p = popen(gen, "r");
    cr_assert(p, "cannot run %s", gen);
    size_t glen, dlen;
    char *want = slurp(p, &glen);
    cr_assert_eq(pclose(p), 0, "%s failed", gen);
    FILE *d = fopen(path, "rb");
    cr_assert(d, "%s missing (tests run from the repository root)", path);
    char *have = slurp(d, &dlen);
    fclose(d);
    size_t i = 0;
    while (i < glen && i < dlen && want[i] == have[i])
        i++;
    cr_assert(i == glen && i == dlen,
              "%s differs from `%s` at byte %zu: regenerate it with `%s > %s`", path, gen, i,
              gen, path);
    free(want);
    free(have);
}

Test(regs_doc, registers_md_is_the_generator_output)
{
    check_generated("", "docs/registers.md");
}

/* The RTL reads register offsets, fields and codes from the same source. */
Test(regs_doc, rtl_package_is_the_generator_output)
{
    check_generated(" --verilog", "rtl/nicsim_pkg.sv");
}

Test(regs_doc, verilog_package_is_complete)
{
    char gen[PATH_MAX + 32];
    gen_path(gen, sizeof(gen) - 16);
    strcat(gen, " --verilog");
    FILE *p = popen(gen, "r");
    cr_assert(p);
    size_t len;
    char *sv = slurp(p, &len);
    cr_assert_eq(pclose(p), 0);
    sv = realloc(sv, len + 1);
    sv[len] = 0;
    cr_assert(strstr(sv, "package nicsim_pkg;"));
    cr_assert(strstr(sv, "endpackage"));
    cr_assert(strstr(sv, "localparam logic [31:0] MBOX_DOORBELL_OFFSET = 32'h00000204;"));
    cr_assert(strstr(sv, "localparam int unsigned SAT_CFG_ICV_LEN_WIDTH = 5;"));
    cr_assert(strstr(sv, "localparam logic [31:0] MBOX_CMD_SA_ADD = 32'h00000010;"));
    free(sv);
}

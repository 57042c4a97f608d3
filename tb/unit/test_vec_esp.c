/* test_vec_esp.c - the nicsim ESP vector format (vectors/README.md) through the runner: both
 * ops at both levels (transport and tunnel, IPv4 and IPv6 outer, ESN, ICV 8/12/16, alignment),
 * expected error results, continuation lines; wrong expectations counted as failed; every
 * malformed case with its line (unknown field, duplicate record name, bad hex, odd length,
 * missing field, wrong key size, and the cross-field rules). Data: tb/unit/data/esp_*.vec. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vec_engine.h"
#include "vec_run.h"

#define DATA "tb/unit/data/"

struct run {
    char *text;
    size_t len;
    struct vec_tally t;
};

static void run_ref(const char *const *paths, size_t n, struct run *r)
{
    const struct vec_engine *ref = vec_engine_find("ref");
    cr_assert_not_null(ref);
    memset(r, 0, sizeof *r);
    FILE *f = open_memstream(&r->text, &r->len);
    cr_assert_not_null(f);
    vec_run_files(paths, n, &ref, 1, f, 0, &r->t);
    fclose(f);
}

static unsigned count(const char *text, const char *needle)
{
    unsigned n = 0;
    for (const char *p = text; (p = strstr(p, needle)) != NULL; p++)
        n++;
    return n;
}

#define HAS(r, s) \
    cr_assert_not_null(strstr((r)->text, (s)), "missing: %s\noutput:\n%s", (s), (r)->text)

Test(vec_esp, good_file_passes)
{
    const char *p[] = { DATA "esp_good.vec" };
    struct run r;
    run_ref(p, 1, &r);
    cr_assert_eq(r.t.failed, 0, "%s", r.text);
    cr_assert_eq(r.t.passed, 11, "%s", r.text);
    HAS(&r, DATA "esp_good.vec [ref]: 11 passed, 0 failed, 0 skipped\n");
    free(r.text);
}

Test(vec_esp, wrong_expectations_are_counted_failed)
{
    const char *p[] = { DATA "esp_wrong.vec" };
    struct run r;
    run_ref(p, 1, &r);
    cr_assert_eq(r.t.passed, 1, "%s", r.text);
    cr_assert_eq(r.t.failed, 2, "%s", r.text);
    HAS(&r, DATA "esp_wrong.vec:21: FAIL [ref] enc-wrong-esp: esp differs at byte 63 of 64 "
                 "(got b4, want b5)\n");
    HAS(&r, DATA "esp_wrong.vec:38: FAIL [ref] dec-wrong-result: decap returned ok, want "
                 "bad-icv\n");
    free(r.text);
}

static void malformed(const char *file, const char *where_what)
{
    const char *p[] = { file, DATA "esp_good.vec" };
    struct run r;
    run_ref(p, 2, &r);
    HAS(&r, where_what);
    cr_assert_eq(count(r.text, "error:"), 1, "%s", r.text);
    cr_assert_eq(r.t.failed, 1, "%s", r.text);
    cr_assert_eq(r.t.passed, 1 + 11, "[good] ran, then all of the next file:\n%s", r.text);
    HAS(&r, DATA "esp_good.vec [ref]: 11 passed, 0 failed, 0 skipped\n");
    free(r.text);
}

Test(vec_esp, unknown_field)
{
    malformed(DATA "esp_unknown_field.vec",
              DATA "esp_unknown_field.vec:28: error: [bad] unknown field 'colour'\n");
}

Test(vec_esp, duplicate_record_name)
{
    malformed(DATA "esp_dup_name.vec",
              DATA "esp_dup_name.vec:21: error: duplicate record name [good]\n");
}

Test(vec_esp, bad_hex)
{
    malformed(DATA "esp_bad_hex.vec",
              DATA "esp_bad_hex.vec:24: error: [bad] keymat: bad hex digit 'g'");
}

Test(vec_esp, odd_length_in_continuation)
{
    malformed(DATA "esp_odd.vec",
              DATA "esp_odd.vec:32: error: [bad] esp: odd number of hex digits (127)\n");
}

Test(vec_esp, missing_field)
{
    malformed(DATA "esp_missing.vec",
              DATA "esp_missing.vec:21: error: [bad] missing field 'spi'\n");
}

Test(vec_esp, wrong_key_size)
{
    malformed(DATA "esp_keysize.vec",
              DATA "esp_keysize.vec:24: error: [bad] keymat: 16 bytes, want 20, 28 or 36");
}

/* A small file in a temporary place: the error must name it and the right line. */
static void malformed_text(const char *text, unsigned long line, const char *what)
{
    char path[] = "/tmp/nicsim-unit-XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    const char *p[] = { path, DATA "esp_good.vec" };
    struct run r;
    run_ref(p, 2, &r);
    char want[256];
    snprintf(want, sizeof want, "%s:%lu: error: %s", path, line, what);
    HAS(&r, want);
    cr_assert_eq(count(r.text, "error:"), 1, "%s", r.text);
    cr_assert_eq(r.t.failed, 1, "%s", r.text);
    cr_assert_eq(r.t.passed, 11, "%s", r.text);
    unlink(path);
    free(r.text);
}

#define REC "op = decap\nlevel = esp\nkeymat = 0011223344556677889900112233445566778899\n" \
            "icv = 16\nspi = 1\n"

Test(vec_esp, format_line_rules)
{
    malformed_text("format = nicsim-esp-2\n", 1, "unsupported format 'nicsim-esp-2'");
    malformed_text("# only a comment\nformat = nicsim-esp-1\n", 1, "no records");
    malformed_text("format = nicsim-esp-1\nformat = nicsim-esp-1\n", 2,
                   "field 'format' outside a record");
}

Test(vec_esp, structure_errors)
{
    malformed_text("format = nicsim-esp-1\nop = encap\n", 2,
                   "field 'op' outside a record (no [NAME] before it)");
    malformed_text("format = nicsim-esp-1\n[a]\n  00\n", 3,
                   "continuation line without a field before it");
    malformed_text("format = nicsim-esp-1\n[a b]\n", 2, "bad record name [a b]");
    malformed_text("format = nicsim-esp-1\n[a\n", 2, "record header without closing ']'");
    malformed_text("format = nicsim-esp-1\n[a]\nop encap\n", 3,
                   "'op encap' is neither [NAME] nor key = value");
    malformed_text("format = nicsim-esp-1\n[a]\nop = encap\nop = decap\n", 4,
                   "[a] duplicate field 'op' (first on line 3)");
}

Test(vec_esp, value_errors)
{
    malformed_text("format = nicsim-esp-1\n[a]\nop = seal\n", 3,
                   "[a] op: 'seal' is neither encap nor decap");
    malformed_text("format = nicsim-esp-1\n[a]\nicv = 10\n", 3, "[a] icv: 10, want 8, 12 or 16");
    malformed_text("format = nicsim-esp-1\n[a]\nspi = 0x100000000\n", 3,
                   "[a] spi: 4294967296 is out of range");
    malformed_text("format = nicsim-esp-1\n[a]\niv = 0001020304\n", 3, "[a] iv: 5 bytes, want 8");
    malformed_text("format = nicsim-esp-1\n[a]\nalign = 6\n", 3,
                   "[a] align: 6 is not a positive multiple of 4");
    malformed_text("format = nicsim-esp-1\n[a]\nresult = broken\n", 3,
                   "[a] result: unknown result 'broken'");
    malformed_text("format = nicsim-esp-1\n[a]\nouter-src = 10.0.0.300\n", 3,
                   "[a] outer-src: '10.0.0.300' is not a dotted IPv4 or an IPv6 address");
}

Test(vec_esp, cross_field_rules)
{
    malformed_text("format = nicsim-esp-1\n[a]\n" REC "sn = 0x100000000\nresult = bad-icv\n"
                   "esp = 00\n", 8, "[a] sn 0x100000000 does not fit in 32 bits without esn");
    malformed_text("format = nicsim-esp-1\n[a]\n" REC "sn = 1\nesp = 00\n", 2,
                   "[a] missing field 'result'");
    malformed_text("format = nicsim-esp-1\n[a]\n" REC "sn = 1\nresult = ok\nesp = 00\n", 2,
                   "[a] missing field 'plain'");
    malformed_text("format = nicsim-esp-1\n[a]\nop = decap\nlevel = ip\n"
                   "keymat = 0011223344556677889900112233445566778899\nicv = 16\nspi = 1\n"
                   "sn = 1\nresult = bad-icv\nesp = 00\n", 2, "[a] missing field 'mode'");
    malformed_text("format = nicsim-esp-1\n[a]\nop = encap\nlevel = ip\nmode = tunnel\n"
                   "keymat = 0011223344556677889900112233445566778899\nicv = 16\nspi = 1\n"
                   "sn = 1\niv = 0001020304050607\nplain = 00\nesp = 00\nouter-src = 10.0.0.1\n"
                   "outer-dst = ::1\n", 14,
                   "[a] outer-src and outer-dst are of different address families");
    malformed_text("format = nicsim-esp-1\n[a]\nop = encap\nlevel = esp\nnext-header = 4\n"
                   "keymat = 0011223344556677889900112233445566778899\nicv = 16\nspi = 1\n"
                   "sn = 1\niv = 0001020304050607\nplain = 00\nesp = 00\nresult = bad-icv\n", 13,
                   "[a] result of an encap must be ok");
}

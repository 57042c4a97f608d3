/* test_vec_hex.c - the field helpers of the vector parsers: hex with blanks and 0x, numbers,
 * trimming, and the one-line renderings used in failure messages. */
#include <criterion/criterion.h>
#include <string.h>

#include "vec_hex.h"
#include "vec_job.h"

static int decode(const char *s, struct vec_bytes *b, char *why, size_t n)
{
    return vec_hex_decode(s, strlen(s), b, why, n);
}

Test(vec_hex, plain_digits_both_cases)
{
    struct vec_bytes b;
    char why[128];
    cr_assert_eq(decode("00aBcDeF", &b, why, sizeof why), 0);
    cr_assert_eq(b.len, 4);
    cr_assert_eq(memcmp(b.p, "\x00\xab\xcd\xef", 4), 0);
    vec_bytes_free(&b);
    cr_assert_null(b.p);
}

Test(vec_hex, blanks_between_digits_and_0x_prefix)
{
    struct vec_bytes b;
    char why[128];
    cr_assert_eq(decode("  0x0a0b 0c0d\t0e 0 f", &b, why, sizeof why), 0, "%s", why);
    cr_assert_eq(b.len, 6);
    cr_assert_eq(memcmp(b.p, "\x0a\x0b\x0c\x0d\x0e\x0f", 6), 0);
    vec_bytes_free(&b);
}

Test(vec_hex, empty_values_are_legal)
{
    struct vec_bytes b;
    char why[128];
    cr_assert_eq(decode("", &b, why, sizeof why), 0);
    cr_assert_eq(b.len, 0);
    cr_assert_not_null(b.p, "an empty value still gets a buffer, so engines never see NULL");
    vec_bytes_free(&b);
    cr_assert_eq(decode("0x", &b, why, sizeof why), 0);
    cr_assert_eq(b.len, 0);
    vec_bytes_free(&b);
    cr_assert_eq(decode("   ", &b, why, sizeof why), 0);
    cr_assert_eq(b.len, 0);
    vec_bytes_free(&b);
}

Test(vec_hex, odd_digit_count_is_an_error)
{
    struct vec_bytes b;
    char why[128];
    cr_assert_eq(decode("abc", &b, why, sizeof why), -1);
    cr_assert_not_null(strstr(why, "odd number of hex digits (3)"), "%s", why);
    cr_assert_null(b.p);
    cr_assert_eq(decode("0a 0b 0", &b, why, sizeof why), -1);
}

Test(vec_hex, bad_digit_is_an_error_with_its_position)
{
    struct vec_bytes b;
    char why[128];
    cr_assert_eq(decode("00g1", &b, why, sizeof why), -1);
    cr_assert_not_null(strstr(why, "bad hex digit 'g' (value character 3)"), "%s", why);
    cr_assert_eq(decode("0x0x00", &b, why, sizeof why), -1, "only one leading 0x");
    cr_assert_eq(decode("00\x01", &b, why, sizeof why), -1);
    cr_assert_not_null(strstr(why, "bad hex byte 0x01"), "%s", why);
    cr_assert_eq(vec_hex_decode("0011", 3, &b, why, sizeof why), -1, "length is honoured");
}

Test(vec_hex, numbers_decimal_and_hex)
{
    uint64_t v;
    char why[128];
    cr_assert_eq(vec_parse_u64("42", &v, why, sizeof why), 0);
    cr_assert_eq(v, 42);
    cr_assert_eq(vec_parse_u64(" 0x1F ", &v, why, sizeof why), 0);
    cr_assert_eq(v, 31);
    cr_assert_eq(vec_parse_u64("18446744073709551615", &v, why, sizeof why), 0);
    cr_assert_eq(v, UINT64_MAX);
    cr_assert_eq(vec_parse_u64("0xffffffffffffffff", &v, why, sizeof why), 0);
    cr_assert_eq(v, UINT64_MAX);
}

Test(vec_hex, bad_numbers)
{
    uint64_t v;
    char why[128];
    cr_assert_eq(vec_parse_u64("18446744073709551616", &v, why, sizeof why), -1);
    cr_assert_not_null(strstr(why, "64 bits"), "%s", why);
    cr_assert_eq(vec_parse_u64("0x10000000000000000", &v, why, sizeof why), -1);
    cr_assert_eq(vec_parse_u64("", &v, why, sizeof why), -1);
    cr_assert_eq(vec_parse_u64("0x", &v, why, sizeof why), -1);
    cr_assert_eq(vec_parse_u64("-1", &v, why, sizeof why), -1);
    cr_assert_eq(vec_parse_u64("12ab", &v, why, sizeof why), -1);
    cr_assert_eq(vec_parse_u64("1 2", &v, why, sizeof why), -1);
}

Test(vec_hex, trim)
{
    char s[] = " \t key = v \r\n";
    cr_assert_str_eq(vec_trim(s), "key = v");
    char e[] = "   ";
    cr_assert_str_eq(vec_trim(e), "");
}

Test(vec_hex, render_cuts_visibly)
{
    char buf[64];
    const uint8_t b[4] = { 0xde, 0xad, 0xbe, 0xef };
    cr_assert_str_eq(vec_hex_render(b, 4, 16, buf, sizeof buf), "deadbeef");
    cr_assert_str_eq(vec_hex_render(b, 4, 2, buf, sizeof buf), "dead...");
    cr_assert_str_eq(vec_hex_render(b, 0, 2, buf, sizeof buf), "(empty)");
    cr_assert_str_eq(vec_hex_render(b, 4, 16, buf, 8), "dead...", "a small buffer shows the cut");
}

Test(vec_hex, diff_names_the_first_difference)
{
    char buf[VEC_MSG_LEN];
    uint8_t a[40], b[40];
    memset(a, 1, sizeof a);
    memset(b, 1, sizeof b);
    cr_assert_eq(vec_diff(buf, sizeof buf, "CT", a, 40, b, 40), 0);
    b[37] = 2;
    cr_assert_eq(vec_diff(buf, sizeof buf, "CT", a, 40, b, 40), 1);
    cr_assert_str_eq(buf, "CT differs at byte 37 of 40 (got 01, want 02)");
    cr_assert_eq(vec_diff(buf, sizeof buf, "CT", a, 40, b, 39), 1);
    cr_assert_str_eq(buf, "CT length got 40, want 39");
    cr_assert_eq(vec_diff(buf, sizeof buf, "Tag", a, 2, b, 3), 1);
    cr_assert_str_eq(buf, "Tag got 0101, want 010101");
}

/* vec_hex.h - field helpers shared by the vector parsers: hex strings, numbers, trimming.
 *
 * Vector files are transcribed by hand from RFCs and NIST documents, so hex may carry spaces
 * between digits ("0a0b 0c0d") and a leading 0x; numbers are decimal or 0x hex. Every function
 * reports a short reason in a caller buffer instead of printing, so the runner can prefix it with
 * FILE:LINE.
 */
#ifndef NICSIM_VEC_HEX_H
#define NICSIM_VEC_HEX_H

#include <stddef.h>
#include <stdint.h>

/* A heap byte string; p is never NULL after a successful decode (even for length 0). */
struct vec_bytes {
    uint8_t *p;
    size_t len;
};

/* Decode n characters of hex text s (not NUL-terminated necessarily). Spaces and tabs between
 * digits are ignored, an optional leading 0x / 0X is skipped, an odd digit count is an error.
 * On success out->p is malloc'ed (caller frees with vec_bytes_free) and 0 is returned; on
 * failure -1 with the reason in why (e.g. "bad hex digit 'g' (value character 5)"). */
int vec_hex_decode(const char *s, size_t n, struct vec_bytes *out, char *why, size_t why_len);

void vec_bytes_free(struct vec_bytes *b);

/* Parse a NUL-terminated unsigned number: decimal, or hex after 0x. Surrounding white space is
 * allowed; signs, empty strings, trailing junk and overflow are errors (-1, reason in why). */
int vec_parse_u64(const char *s, uint64_t *v, char *why, size_t why_len);

/* Trim white space (space, tab, CR, LF) from both ends in place; returns the new start. */
char *vec_trim(char *s);

/* Render up to max bytes as lower-case hex into buf (always NUL-terminated, "..." appended when
 * cut); used for one-line failure messages. */
const char *vec_hex_render(const uint8_t *p, size_t len, size_t max, char *buf, size_t buf_len);

#endif

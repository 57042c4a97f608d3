/* ghash.h - GF(2^128) multiplication (NIST SP 800-38D 6.3) and the ghash block: the GHASH
 * accumulator of a GCM engine.
 *
 * Bit order is the spec's: byte 0 bit 7 is the coefficient of x^0, the field polynomial is
 * x^128 + x^7 + x^2 + x + 1 (R = 0xe1 || 0^120). Two implementations with identical results
 * (tested): the PCLMULQDQ carry-less multiply with a shift-and-reduce, and a portable bitwise
 * loop that is SP 800-38D Algorithm 1 verbatim. gf128_mul_select(force_portable) picks one.
 *
 * ghash block timing: one 16-byte block per cycle. In the eval of cycle t with in_valid_i,
 * y_d = ((clear_i ? 0 : y_q) ^ in_data_i) * h_i; the new Y is in y_q at t + 1. With clear_i and
 * no block, y_d = 0. Otherwise Y holds. y_d is visible to the parent after eval (a parent that
 * chains a combinational step after the multiplier, like the engine's tag XOR, reads it).
 */
#ifndef NICSIM_GHASH_H
#define NICSIM_GHASH_H

#include <stdbool.h>
#include <stdint.h>

typedef void (*gf128_mul_fn)(uint8_t z[16], const uint8_t x[16], const uint8_t y[16]);

/* z = x * y in GF(2^128); z may alias x or y. */
void gf128_mul_portable(uint8_t z[16], const uint8_t x[16], const uint8_t y[16]);
/* Same with PCLMULQDQ; only when gf128_clmul_available(). */
void gf128_mul_clmul(uint8_t z[16], const uint8_t x[16], const uint8_t y[16]);
bool gf128_clmul_available(void);
gf128_mul_fn gf128_mul_select(bool force_portable);

struct ghash {
    gf128_mul_fn mul;
    /* inputs */
    const uint8_t *h_i;      /* hash subkey H = E_K(0^128), stable during a job */
    bool clear_i;            /* start a new hash: Y taken as 0                 */
    bool in_valid_i;
    uint8_t in_data_i[16];
    /* register */
    uint8_t y_q[16], y_d[16];
};

void ghash_init(struct ghash *g, gf128_mul_fn mul);
void ghash_eval(struct ghash *g, uint64_t now);
void ghash_commit(struct ghash *g);
uint64_t ghash_next_event(const struct ghash *g, uint64_t now);

#endif

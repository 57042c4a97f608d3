/* pktgen.h - seeded generator of plain IP packets for tests, benchmarks and the default
 * scenario: IPv4 (optionally with options) or IPv6 UDP packets of a chosen or IMIX size,
 * with valid lengths and IPv4 checksums. Deterministic: the same seed gives the same bytes.
 */
#ifndef NICSIM_PKTGEN_H
#define NICSIM_PKTGEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pktgen {
    uint64_t s; /* xorshift64* state */
};

void pktgen_seed(struct pktgen *g, uint64_t seed);
uint64_t pktgen_u64(struct pktgen *g);
/* Uniform in [0, n) (n > 0). */
uint32_t pktgen_below(struct pktgen *g, uint32_t n);
void pktgen_bytes(struct pktgen *g, uint8_t *p, size_t n);
/* IMIX (7:4:1 of 64, 576, 1500 bytes, the classic simple IMIX). */
uint32_t pktgen_imix(struct pktgen *g);
/* Build an IP packet of exactly `len` bytes (>= 28 for v4, 48 for v6; clamped up) into out.
 * v4 packets get `opt_words` 32-bit words of NOP options (0..10). Addresses: v4 10.0.x.y /
 * v6 2001:db8::x, chosen from `flow`. Returns the length written. */
size_t pktgen_ip(struct pktgen *g, uint8_t *out, size_t len, bool v6, unsigned opt_words,
                 uint32_t flow);

#endif

/* stim_gen.h - seeded random stimulus (stim.h) for cosim regressions, self-checking: every
 * packet is followed by an `expect` record computed with the golden library (tb/golden), never
 * with the code under test.
 *
 * What it makes: SAs of every key size (128/192/256), ICV length (8/12/16), ESN on and off,
 * transport and tunnel, IPv4 and IPv6, in both directions (crypto offload, plus packet-offload
 * RX SAs when packet_rx is set); TX frames as a crypto-offload driver builds them (ESP header,
 * plaintext, pad and trailer in place, ICV space zero; seq_hi in the descriptor); RX frames
 * sealed by the golden library, some with a corrupted ciphertext or ICV byte, some for an SPI
 * no SA has, some replayed (packet offload); SAs deleted and re-added during traffic and ESN
 * window bottoms advanced (advance_esn).
 */
#ifndef NICSIM_STIM_GEN_H
#define NICSIM_STIM_GEN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct stim_gen_opts {
    uint64_t seed;          /* nonzero                                                    */
    uint64_t packets;       /* packets to generate                                        */
    unsigned sas;           /* SAs per direction at any time (1..64); 0 = 6               */
    bool packet_rx;         /* also packet-offload RX SAs (replay window, decap)          */
    unsigned max_len;       /* largest inner packet; 0 = 1400                             */
};

/* Writes the stimulus; 0, or -EINVAL (options) / -EIO (golden library refused: a bug). */
int stim_gen(FILE *out, const struct stim_gen_opts *o);

#endif

/* esp_host.h - the host stack's side of ESP around a crypto-offload card, shared by the engines
 * that run ESP vectors through a device (engine_model_esp.c: the C model, engine_rtl_esp.c: the
 * Verilated RTL top): where ESP is in a received packet, the plaintext frame a Linux-like stack
 * hands the card for TX, and a synthetic IPv4 wrapper for ESP-level records.
 *
 * Internal to libvec. The headers a frame gets are the golden library's (gold_encap), so the
 * wire can be compared with the vectors byte for byte; the card's work (encryption, ICV) is not
 * done here.
 */
#ifndef NICSIM_ESP_HOST_H
#define NICSIM_ESP_HOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "esp_golden.h"

#define V4_HDR 20u
#define V6_HDR 40u
#define ESP_HDR_IV 16u /* SPI | SN | IV */
#define MIN_CT 4u      /* the smallest ciphertext: pad length, next header, 4-aligned */
#define PROTO_ESP 50u

static inline uint32_t ld16(const uint8_t *b) { return (uint32_t)b[0] << 8 | b[1]; }
static inline uint32_t ld32(const uint8_t *b) { return ld16(b) << 16 | ld16(b + 2); }
static inline void st16(uint8_t *b, uint32_t v)
{
    b[0] = (uint8_t)(v >> 8);
    b[1] = (uint8_t)v;
}
static inline void st32(uint8_t *b, uint32_t v)
{
    st16(b, v >> 16);
    st16(b + 2, v);
}

/* The SA's ciphertext alignment (4 when unset). */
unsigned sa_align(const struct gold_sa *sa);
/* A 20-byte IPv4 header (192.0.2.1 -> 192.0.2.2, no options, checksum set) for a packet of
 * `total` bytes, and `body` behind such a header (malloc'd; NULL when out of memory). */
void put_v4(uint8_t *f, uint8_t proto, size_t total);
uint8_t *wrap_v4(uint8_t proto, const uint8_t *body, size_t body_len, size_t *len);
/* IPv6 extension headers a packet may carry in front of ESP, and the length of one. */
bool v6_ext(uint8_t nh);
size_t v6_ext_len(const uint8_t *p, size_t off, uint8_t nh);

struct esp_loc {
    size_t esp_off; /* SPI */
    size_t ip_len;  /* from the IP header */
};
/* The ESP header of an IP packet, by the length rules the device's parser applies: GOLD_OK,
 * GOLD_E_TRUNCATED, GOLD_E_BAD_HEADER or GOLD_E_NOT_ESP. */
int locate_esp(const uint8_t *p, size_t len, struct esp_loc *l);
/* Transport mode: the bytes that stay in front of ESP and the next header of what follows. 0,
 * or -1 for a packet too short to walk. */
int plain_split(const uint8_t *p, size_t len, size_t *keep, uint8_t *nh_out);
/* Plaintext ESP from `e` on: SPI | SN-low | IV | payload | pad | pad length | nh | 0 x ICV;
 * returns its length. */
size_t put_esp_plain(uint8_t *e, const struct gold_sa *sa, uint64_t sn, const uint8_t iv[8],
                     const uint8_t *payload, size_t plen, uint8_t nh);
/* The crypto-offload frame of an IP packet: the host stack's headers (the golden library's
 * encapsulation) with the plaintext payload and trailer in place of the ciphertext and zeros in
 * place of the ICV. GOLD_OK and *frame (malloc'd), or the stack's refusal. */
int crypto_frame(const struct gold_sa *sa, uint64_t sn, const uint8_t iv[8], const uint8_t *pkt,
                 size_t len, uint8_t **frame, size_t *flen);

#endif

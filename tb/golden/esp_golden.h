/* esp_golden.h - the golden ESP / AES-GCM reference (RFC 4106, RFC 4303) on OpenSSL EVP.
 *
 * Every nicsim engine (C model fast and bit-accurate, Verilated RTL) is checked against this
 * library. It shares no code with hwmodel/ or rtl/ and keeps no state between calls: the caller
 * owns sequence numbers, IVs and replay windows. All functions are thread-compatible (no globals).
 *
 * Conventions
 *  - Return values are enum gold_status; GOLD_OK is 0. Nothing is printed.
 *  - Output buffers are caller-owned with an explicit capacity; GOLD_E_NOSPACE if too small.
 *  - On any decap error the plaintext output is zeroed up to its capacity: no unverified byte
 *    leaves the library (the hardware rule "no plaintext before the tag verifies").
 *
 * RFC 4106 rules implemented exactly
 *  - key material = AES key (16/24/32) || 4-byte salt; nonce = salt || 8-byte explicit IV.
 *  - AAD = SPI || SN(32), or SPI || SN-high(32) || SN-low(32) with ESN; the IV is not in the AAD;
 *    SN-high is never on the wire.
 *  - plaintext = payload || pad (1,2,3,...) || pad length || next header, padded so that the
 *    ciphertext length is a multiple of 4 (or of a larger caller-chosen alignment).
 *  - ICV is 8, 12 or 16 bytes (the leftmost bytes of the GCM tag).
 * RFC 4303 rules: decap checks the pad bytes are 1,2,3,... (RFC 4303 s2.4 says a receiver MAY
 * check; we always do and report GOLD_E_BAD_PAD); next header 59 is a dummy packet that is
 * reported as GOLD_E_DUMMY after it verified.
 */
#ifndef NICSIM_ESP_GOLDEN_H
#define NICSIM_ESP_GOLDEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum gold_status {
    GOLD_OK = 0,
    GOLD_E_PARAM,      /* bad SA or argument: key length, ICV length, NULL, alignment      */
    GOLD_E_NOSPACE,    /* output buffer too small                                           */
    GOLD_E_TRUNCATED,  /* packet shorter than the headers it claims (IP, ESP, IV, ICV)     */
    GOLD_E_BAD_LENGTH, /* IP length fields disagree with the buffer, or ciphertext not %4  */
    GOLD_E_NOT_ESP,    /* IP protocol / next header is not 50, or IP version unknown        */
    GOLD_E_BAD_HEADER, /* malformed IP header (IHL < 5, bad IPv6 extension chain, ...)       */
    GOLD_E_SPI,        /* SPI on the wire differs from the SA's                             */
    GOLD_E_BAD_ICV,    /* tag did not verify                                                */
    GOLD_E_BAD_PAD,    /* pad length exceeds payload, or pad bytes are not 1,2,3,...        */
    GOLD_E_DUMMY,      /* next header 59: verified dummy packet, to be dropped              */
    GOLD_E_BAD_INNER,  /* tunnel mode: next header is not 4/41 or inner packet malformed    */
    GOLD_E_CRYPTO,     /* OpenSSL failed or out of memory (should not happen)               */
    GOLD_STATUS_COUNT
};

/* Stable lower-case names, e.g. "bad-icv"; used by the vector format and reports. */
const char *gold_status_name(enum gold_status s);
/* Inverse of gold_status_name; returns -1 for an unknown name. */
int gold_status_from_name(const char *name);

enum gold_mode { GOLD_TRANSPORT = 0, GOLD_TUNNEL = 1 };

#define GOLD_SPI_LEN 4u
#define GOLD_SN_LEN 4u
#define GOLD_IV_LEN 8u
#define GOLD_ESP_HDR_LEN (GOLD_SPI_LEN + GOLD_SN_LEN + GOLD_IV_LEN) /* SPI|SN|IV = 16 */
#define GOLD_MAX_ICV 16u
#define GOLD_MAX_PAD 255u

struct gold_sa {
    uint8_t key[32];
    size_t key_len;     /* 16, 24, 32 */
    uint8_t salt[4];
    uint32_t spi;
    unsigned icv_len;   /* 8, 12, 16 */
    bool esn;           /* extended (64-bit) sequence numbers */
    enum gold_mode mode;
    unsigned align;     /* ciphertext alignment in bytes: 4 (default when 0) or a multiple of 4 */
    /* tunnel mode outer header (ignored in transport mode) */
    bool outer_v6;
    uint8_t outer_src[16]; /* IPv4 uses the first 4 bytes */
    uint8_t outer_dst[16];
};

/* Fill *sa from RFC 4106 key material (key||salt, 20/28/36 bytes) and ICV length in bytes.
 * Mode transport, no ESN, align 4, outer addresses zero. */
enum gold_status gold_sa_init(struct gold_sa *sa, const uint8_t *keymat, size_t keymat_len,
                              uint32_t spi, unsigned icv_len);

/* ---- Raw AES-GCM (NIST SP 800-38D), IV of 1 byte or more, tag 1..16 bytes ---------------- */
/* IV length 0 (or beyond SP 800-38D's 2^64 - 1 bits) is GOLD_E_PARAM. IVs up to 128 bytes go
 * through OpenSSL EVP; longer ones, which the OpenSSL 3 provider refuses, through OpenSSL's
 * GCM128 mode API (gold_gcm.c). pt/ct/aad may be NULL when their length is 0; ct may equal pt
 * (in place). A short tag is the leftmost bytes. */
enum gold_status gold_gcm_encrypt(const uint8_t *key, size_t key_len, const uint8_t *iv,
                                  size_t iv_len, const uint8_t *aad, size_t aad_len,
                                  const uint8_t *pt, size_t len, uint8_t *ct, uint8_t *tag,
                                  size_t tag_len);
/* GOLD_E_BAD_ICV if the tag does not verify (pt is then zeroed; also on every other error). */
enum gold_status gold_gcm_decrypt(const uint8_t *key, size_t key_len, const uint8_t *iv,
                                  size_t iv_len, const uint8_t *aad, size_t aad_len,
                                  const uint8_t *ct, size_t len, const uint8_t *tag,
                                  size_t tag_len, uint8_t *pt);

/* ---- ESP payload level: the bytes from SPI to ICV ---------------------------------------- */
/* Length of the ESP packet (SPI..ICV) that sealing payload_len bytes produces; 0 if the SA is
 * invalid (see GOLD_E_PARAM) or the length would overflow. */
size_t gold_esp_len(const struct gold_sa *sa, size_t payload_len);

/* esp = SPI | SN-low | IV | E(payload | pad | padlen | nh) | ICV.
 * sn is the full 64-bit sequence number (high half must be 0 unless sa->esn, else GOLD_E_PARAM).
 * sa->align is 0 (means 4) or a multiple of 4 up to 256 (pad length is one byte). payload may
 * lie inside esp (it is moved first). *esp_len is 0 unless GOLD_OK. */
enum gold_status gold_esp_seal(const struct gold_sa *sa, uint64_t sn, const uint8_t iv[8],
                               const uint8_t *payload, size_t payload_len, uint8_t next_header,
                               uint8_t *esp, size_t esp_cap, size_t *esp_len);

/* Verify and decrypt an ESP packet (SPI..ICV). seq_hi is the SN high half the receiver inferred
 * (used only with ESN). On success *payload_len excludes the trailer and *next_header is set.
 * The SN low half on the wire is returned in *sn_low when sn_low is not NULL (also on errors
 * after the header was read, so that a caller can count per SN).
 * Checks in this order: fewer than 8 bytes -> TRUNCATED; SPI -> SPI; shorter than SPI|SN|IV +
 * 4 bytes of ciphertext (the smallest aligned trailer) + ICV -> TRUNCATED; ciphertext not a
 * multiple of 4 -> BAD_LENGTH; tag -> BAD_ICV; pad length beyond the payload or pad bytes not
 * 1,2,3.. -> BAD_PAD; next header 59 -> DUMMY; payload_cap too small -> NOSPACE.
 * payload_len and next_header must not be NULL. */
enum gold_status gold_esp_open(const struct gold_sa *sa, uint32_t seq_hi, const uint8_t *esp,
                               size_t esp_len, uint8_t *payload, size_t payload_cap,
                               size_t *payload_len, uint8_t *next_header, uint32_t *sn_low);

/* ---- IP packet level --------------------------------------------------------------------- */
/* Transport mode: the IP header stays (IPv4 options kept; IPv6 hop-by-hop, routing and fragment
 * headers stay in front of ESP), protocol/next header becomes 50, lengths and the IPv4 header
 * checksum are recomputed; the ESP next header is the original protocol.
 * Tunnel mode: a new outer header is built from sa->outer_* : IPv4 with TOS copied from the
 * inner packet, ID 0, DF copied from an inner IPv4 packet (0 for an inner IPv6 packet), TTL 64;
 * or IPv6 with traffic class copied, flow label 0, hop limit 64. Next header 4 (IPv4) or
 * 41 (IPv6). */
enum gold_status gold_encap(const struct gold_sa *sa, uint64_t sn, const uint8_t iv[8],
                            const uint8_t *pkt, size_t pkt_len, uint8_t *out, size_t out_cap,
                            size_t *out_len);
/* Input packets must fill pkt_len exactly (IPv4 total length / IPv6 payload length == buffer,
 * else BAD_LENGTH; no jumbograms); a result that would not fit the 16-bit length field is
 * BAD_LENGTH. IPv6 transport mode keeps hop-by-hop, routing, fragment headers and destination
 * options that precede one of them in front of ESP; final destination options are encrypted.
 * out must not overlap pkt; on error *out_len is 0 and out is zeroed. */

/* Inverse of gold_encap. Transport: restores protocol, lengths, checksum. Tunnel: returns the
 * inner packet (validated: version matches next header, length fields agree; the inner IPv4
 * checksum is not checked). The outer IPv4 header checksum is verified (BAD_HEADER); IPv6
 * extension headers in front of ESP are skipped; anything else than ESP there is NOT_ESP. */
enum gold_status gold_decap(const struct gold_sa *sa, uint32_t seq_hi, const uint8_t *pkt,
                            size_t pkt_len, uint8_t *out, size_t out_cap, size_t *out_len);

/* Upper bound of bytes gold_encap adds to a packet (outer header, ESP header, IV, max pad,
 * trailer, ICV) for sizing buffers. */
#define GOLD_ENCAP_OVERHEAD (40u + GOLD_ESP_HDR_LEN + GOLD_MAX_PAD + 2u + GOLD_MAX_ICV)

#endif

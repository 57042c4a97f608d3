/* nd_esp.h - ESP framing the Linux stack does around a crypto-offload device, in the shim.
 *
 * TX (nd_esp_build): what esp_output_head / esp_xmit do before the packet reaches the driver:
 * transport mode keeps the IP header (protocol/next header -> 50, lengths, IPv4 checksum),
 * tunnel mode prepends an outer header (IPv4: TOS copied, ID 0, DF copied from an inner IPv4
 * packet, TTL 64; IPv6: traffic class copied, flow label 0, hop limit 64 - the conventions of
 * the golden library, so the wire can be compared with gold_encap byte for byte); then the ESP
 * header SPI | SN low | IV, where the explicit IV is the 64-bit SN big-endian (unique per key
 * because an SN is never reused, RFC 4106 s3.1), the plaintext payload, the pad 1, 2, 3, ...
 * to a 4-byte aligned ciphertext, pad length, next header, and ICV room (zeros) that the card
 * fills. The card encrypts in place.
 * RX (nd_esp_strip): what esp_input_done2 does after CRYPTO_DONE | CRYPTO_SUCCESS: check and
 * remove the trailer and the ESP header (transport: restore protocol and lengths; tunnel: the
 * inner packet becomes the packet), in place.
 */
#ifndef ND_ESP_H
#define ND_ESP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ND_ESP_HDR_IV 16u /* SPI | SN | IV */

struct nd_esp_sa {
    uint32_t spi;
    uint8_t icv_len;
    bool tunnel;
    bool outer_v6;
    uint8_t outer_src[16], outer_dst[16];
};

/* Largest growth of a packet by nd_esp_build (outer header, ESP header, pad, trailer, ICV). */
size_t nd_esp_overhead(const struct nd_esp_sa *sa);
/* 0, -EINVAL (not an IP packet the shim can frame: malformed, IPv6 extension headers in
 * transport mode), -EMSGSIZE (out_cap too small or the result exceeds 65535). */
int nd_esp_build(const struct nd_esp_sa *sa, uint64_t sn, const uint8_t *pkt, size_t len,
                 uint8_t *out, size_t out_cap, size_t *out_len);
/* Locate ESP in a received packet: offset of the ESP header, SPI and SN low half. 0 or
 * -EINVAL (not IP, not ESP, truncated). */
int nd_esp_locate(const uint8_t *pkt, size_t len, size_t *esp_off, uint32_t *spi,
                  uint32_t *sn_low);
/* Strip the decrypted ESP in place. 0, -EINVAL (bad trailer, pad, lengths, inner packet),
 * -ENODATA (next header 59: a dummy packet, RFC 4303 s2.6, to be dropped). */
int nd_esp_strip(const struct nd_esp_sa *sa, uint8_t *pkt, size_t len, size_t *out_len);

#endif

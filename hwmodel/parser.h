/* parser.h - the packet parser: IPv4/IPv6 headers, IPv6 extension headers, the ESP header.
 *
 * Contract. A frame starts with its IP header (no L2 header, so l3_off is 0). The parser is a
 * pure function of (bytes, length): it owns no state, reads every byte through a bounds check,
 * never writes the buffer and never prints; the result says what it found or why it stopped.
 * Three entry points, one per place the pipeline needs it:
 *   parser_rx()         RX: find the ESP header of an inbound packet and the CAM lookup key
 *                       (SPI, protocol, destination address, IPv6 flag), SN (low 32 bits, as on
 *                       the wire), IV and payload offsets.
 *   parser_tx_crypto()  TX crypto offload: the stack already built ESP header and trailer;
 *                       the walk is the RX walk (find the ESP offset, SPI, SN, IV, payload).
 *   parser_tx_plain()   TX packet offload: a plain packet; find where the device inserts the
 *                       ESP header (after the IPv4 header incl. options; after IPv6 hop-by-hop,
 *                       routing, fragment headers and destination options that precede a
 *                       routing header: RFC 4303 s3.1.1, RFC 8200 s4.1) and the next-header
 *                       byte the device rewrites to 50.
 * parser_at() parses a plain IP packet at any offset; the pipeline uses it for the inner packet
 * of a tunnel-mode SA once it is visible (RX after decryption, at payload_off).
 *
 * What is rejected (status, checked in walk order; the first problem found is reported):
 *   PARSER_NOT_IP        version nibble not 4 or 6, or an empty buffer.
 *   PARSER_TRUNCATED     a header, or the ESP header + IV, runs past the buffer or past the IP
 *                        length; IPv4 total length or IPv6 40 + payload length > buffer.
 *   PARSER_BAD_HEADER    IPv4 IHL < 5 or total length < IHL * 4; IPv6 payload length 0
 *                        (jumbograms are not supported); hop-by-hop not first (RFC 8200 s4.1).
 *   PARSER_FRAGMENT      IPv4 MF set or offset != 0; IPv6 fragment header with M set or offset
 *                        != 0 (ESP offload does not take fragments: RFC 4303 s3.4.1 reassembles
 *                        before ESP). An atomic fragment (offset 0, M clear, RFC 6946) is walked.
 *                        From parser_tx_plain()/parser_at() every field is still filled
 *                        (esp_off = the insertion point after the headers walked so far): a
 *                        tunnel-mode SA may carry a whole fragment, a transport-mode SA must not
 *                        (RFC 4303 s3.3), and only the pipeline knows the SA's mode.
 *   PARSER_UNSUPPORTED_EXT  AH (51), an extension header the walk cannot see past (Mobility 135,
 *                        HIP 139, Shim6 140, experimental 253/254), or more than PARSER_MAX_EXT
 *                        IPv6 extension headers. The packet goes to software unprocessed.
 *   PARSER_NOT_ESP       a valid IP packet whose upper protocol is not ESP (including No Next
 *                        Header 59 and UDP-encapsulated ESP, which this device does not offload):
 *                        pass-through. Only parser_rx() and parser_tx_crypto() report it.
 * Not checked: the IPv4 header checksum (the host stack checks it; the ESP ICV protects what
 * matters here), IPv4 option syntax (options are skipped whole), SPI 0 (the CAM never holds it,
 * so the lookup misses). Bytes after the IP length (link padding) are ignored.
 *
 * Timing. The parser reads the frame as 16-byte beats as they arrive from the packet buffer;
 * it needs every beat up to the last byte it examines (for ESP: the end of the IV). Cost:
 * parser_cycles() = max(1, ceil(walked / 16)) cycles, walked = bytes up to and including the
 * last byte examined (also when the walk stops with an error). A 20-byte IPv4 header + ESP + IV
 * takes 3 cycles; IPv6 + ESP + IV 4 cycles.
 */
#ifndef NICSIM_PARSER_H
#define NICSIM_PARSER_H

#include <assert.h> /* static_assert: C11 macro, C++ keyword (the RTL testbench reads this header) */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define PARSER_MAX_EXT 8u         /* IPv6 extension headers walked at most            */
#define PARSER_BEAT_BYTES 16u     /* header bytes examined per cycle                  */
#define PARSER_ESP_HDR_LEN 8u     /* SPI + SN                                          */
#define PARSER_ESP_IV_LEN 8u      /* RFC 4106 s3.1: explicit 8-byte IV                 */
#define PARSER_PROTO_ESP 50u

enum parser_status {
    PARSER_OK = 0,
    PARSER_NOT_IP,
    PARSER_TRUNCATED,
    PARSER_BAD_HEADER,
    PARSER_FRAGMENT,
    PARSER_NOT_ESP,
    PARSER_UNSUPPORTED_EXT,
    PARSER_NSTATUS
};

struct parser_result {
    enum parser_status status;
    uint8_t ip_version;  /* 4 or 6 (0 if not IP)                                         */
    uint8_t proto;       /* protocol / next header at l4_off: 50 for ESP; on TX plain the
                          * value the ESP trailer's next header will carry (transport mode) */
    uint8_t n_ext;       /* IPv6 extension headers walked                                */
    uint8_t v6;          /* 1 for IPv6: the CAM key's IPv6 flag                          */
    uint32_t l3_off;     /* IP header offset (0 for a frame, the inner offset for parser_at) */
    uint32_t l3_hdr_len; /* base header: IPv4 IHL * 4 (20..60, options included), IPv6 40 */
    uint32_t l4_off;     /* first byte after the walked headers: ESP header (RX/TX crypto)
                          * or the ESP insertion point (TX plain)                         */
    uint32_t ip_len;     /* IP packet length from the header (<= buffer length)           */
    uint32_t nh_off;     /* offset of the byte that holds `proto` (IPv4 protocol field,
                          * IPv6 next header or the last walked extension header's): TX
                          * packet offload rewrites it to 50                               */
    uint32_t esp_off;    /* ESP header (SPI) offset; 0 unless an ESP header was parsed    */
    uint32_t iv_off;     /* esp_off + 8                                                    */
    uint32_t payload_off; /* esp_off + 16: encrypted payload; in tunnel mode, after
                           * decryption, the inner IP header (parse it with parser_at)      */
    uint32_t esp_len;    /* ip_len - esp_off: ESP header .. ICV                           */
    uint32_t spi;        /* host order                                                    */
    uint32_t sn;         /* low 32 bits of the sequence number, host order                */
    uint8_t saddr[16];   /* IPv4 in the first 4 bytes, rest zero                          */
    uint8_t daddr[16];
    uint32_t walked;     /* header bytes examined (timing)                                */
};

/* All fields 0, in unrolled 16-byte stores: gcc turns a memset of this size into `rep stosq`,
 * whose start-up cost dominates a short parse (the bytes written are the same). */
static inline void parser_result_clear(struct parser_result *r)
{
    static_assert(sizeof(struct parser_result) % 8 == 0, "zeroed in 8-byte units");
    enum { CHUNKS = sizeof(struct parser_result) / 16 };
    unsigned char *b = (unsigned char *)r;
#pragma GCC unroll 16
    for (size_t k = 0; k < CHUNKS; k++)
        memset(b + 16 * k, 0, 16);
    if (sizeof(*r) % 16)
        memset(b + 16 * CHUNKS, 0, 8);
}

/* RX: parse an inbound frame. Returns r->status; all offsets are from buf. */
enum parser_status parser_rx(const uint8_t *buf, size_t len, struct parser_result *r);
/* TX crypto offload: find the ESP header the stack built. Same walk and result as RX. */
enum parser_status parser_tx_crypto(const uint8_t *buf, size_t len, struct parser_result *r);
/* TX packet offload: find the ESP insertion point (l4_off == esp_off) of a plain packet; proto
 * and nh_off describe the header that follows it. Never PARSER_NOT_ESP. */
enum parser_status parser_tx_plain(const uint8_t *buf, size_t len, struct parser_result *r);
/* Parse a plain IP packet that starts at `off` inside buf (offsets stay relative to buf): the
 * inner packet of a tunnel-mode SA. Walks like parser_tx_plain; never PARSER_NOT_ESP. */
enum parser_status parser_at(const uint8_t *buf, size_t len, size_t off, struct parser_result *r);

/* Cycles the parse took (see Timing above). Inline: both header stages ask once per packet. */
static inline uint32_t parser_cycles(const struct parser_result *r)
{
    uint32_t c = (r->walked + PARSER_BEAT_BYTES - 1) / PARSER_BEAT_BYTES;
    return c ? c : 1;
}
/* "PARSER_OK", ...; "PARSER_?" for an out-of-range value. */
const char *parser_status_name(enum parser_status s);

#endif

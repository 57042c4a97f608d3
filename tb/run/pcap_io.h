/* pcap_io.h - IP packets in and out of pcap files (libpcap).
 *
 * Input: link types RAW (IPv4 or IPv6 without L2), IPV4, IPV6, EN10MB (the Ethernet header, and
 * one 802.1Q tag, are stripped; non-IP frames are counted and skipped), LINUX_SLL, NULL and LOOP.
 * Output: LINKTYPE_RAW, which Wireshark dissects (and decrypts, with an esp_sa file) directly.
 * Errors are returned with a one-line reason; a truncated capture record is an error naming the
 * record number, never a crash.
 */
#ifndef NICSIM_PCAP_IO_H
#define NICSIM_PCAP_IO_H

#include <stddef.h>
#include <stdint.h>

struct pcap_in;
struct pcap_out;

/* NULL with a reason in err (file missing, not a pcap, unsupported link type). */
struct pcap_in *pcap_in_open(const char *path, char *err, size_t errlen);
/* Next IP packet: 1 with *pkt and *len set (valid until the next call), 0 at the end, -1 on a
 * malformed record (reason in err; the caller may continue with the next). */
int pcap_in_next(struct pcap_in *in, const uint8_t **pkt, size_t *len, char *err, size_t errlen);
/* Frames skipped because they were not IP (ARP, ...). */
uint64_t pcap_in_skipped(const struct pcap_in *in);
void pcap_in_close(struct pcap_in *in);

struct pcap_out *pcap_out_open(const char *path, char *err, size_t errlen);
/* Write one IP packet with a time stamp in nanoseconds. 0 or -1. */
int pcap_out_write(struct pcap_out *out, const uint8_t *pkt, size_t len, uint64_t t_ns);
void pcap_out_close(struct pcap_out *out);

#endif

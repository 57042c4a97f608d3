/* esp_frame.h - the byte rearrangements of the ESP pipeline, as pure functions on one packet
 * buffer: what the header-insert and header-strip units of the card do around the GCM engine.
 *
 *   esp_frame_tx_packet()  packet offload TX: insert the ESP header (SPI, SN, IV = the 64-bit
 *                          SN, big-endian: unique per key because the SN never repeats,
 *                          RFC 4106 s3.1), pad 1,2,3.. to a 4-byte aligned ciphertext, write
 *                          pad length and next header, reserve the ICV; transport mode keeps
 *                          the IP header in front (protocol -> 50, lengths, IPv4 checksum);
 *                          tunnel mode prepends an outer header built as the golden library
 *                          documents (tb/golden/esp_golden.h: TOS/TC copied, DF copied, ID 0,
 *                          TTL/hop limit 64, flow label 0).
 *   esp_frame_tx_crypto()  crypto offload TX: the stack built header and trailer and left room
 *                          for the ICV; check the extents and point the job at them.
 *   esp_frame_rx_job()     RX: point the job at the ciphertext and ICV of a parsed packet.
 *   esp_frame_rx_strip()   packet offload RX after the ICV verified: check the trailer, remove
 *                          ESP (transport: restore protocol, lengths, checksum; tunnel: the
 *                          inner packet becomes the frame).
 * Each returns 0 or an enum nic_drop reason; a packet is never left half-rewritten on error.
 * Offsets in struct pkt.pr are relative to pkt.data and are updated when data moves.
 */
#ifndef NICSIM_ESP_FRAME_H
#define NICSIM_ESP_FRAME_H

#include <stdint.h>

#include "gcm_unit.h"
#include "pkt.h"
#include "sa_cam.h"

#define ESP_HDR_IV_LEN 16u /* SPI + SN + explicit IV */

int esp_frame_tx_packet(struct pkt *p, const struct sa_cam_tx_entry *e, uint64_t sn,
                        uint32_t mtu, struct gcm_job *job);
int esp_frame_tx_crypto(struct pkt *p, const struct sa_cam_tx_entry *e, struct gcm_job *job);
int esp_frame_rx_job(struct pkt *p, uint8_t icv_len, bool esn, uint64_t sn, struct gcm_job *job);
int esp_frame_rx_strip(struct pkt *p, uint8_t mode, uint8_t *next_header);

/* RFC 1071 checksum of an IPv4 header (the checksum field included as it is). */
uint16_t esp_frame_ipv4_csum(const uint8_t *h, uint32_t len);

#endif

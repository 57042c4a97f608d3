/* pkt.h - a packet inside the device: one on-card packet buffer and the metadata that travels
 * with it through the pipeline (the sideband of the RTL stream).
 *
 * Buffers come from a fixed pool (params.pkt_buffers), as on the card; a block that cannot get
 * a buffer waits (back-pressure), it never allocates. Every packet that enters the device ends
 * in exactly one of: sent on the wire / delivered to the host, or dropped with a reason counted
 * in struct nic_stats (the conservation rule the tests check).
 */
#ifndef NICSIM_PKT_H
#define NICSIM_PKT_H

#include <stdbool.h>
#include <stdint.h>

#include "parser.h"
#include "sa_cam.h"

/* Room in front of the frame so that packet-offload TX can prepend headers without a copy,
 * and behind it for pad, trailer and ICV. */
#define PKT_HEADROOM 64u
#define PKT_TAILROOM 320u

enum pkt_dir { PKT_TX = 0, PKT_RX = 1 };

struct pkt {
    uint8_t *mem;      /* buffer start (headroom + mtu + tailroom bytes)             */
    uint8_t *data;     /* frame start inside mem                                      */
    uint32_t len;      /* frame bytes                                                 */
    uint32_t id;       /* per-direction arrival number: ordering and accounting       */
    uint64_t t_in;     /* cycle the packet entered the device (latency reports)      */
    uint8_t dir;       /* enum pkt_dir                                                */
    uint8_t drop;      /* enum nic_drop_reason, 0 while alive                         */
    uint16_t sa;       /* SA index (TX handle or RX CAM hit)                          */
    bool has_sa;
    bool decrypt_ok;
    uint8_t rx_status; /* enum nic_rx_status for the completion                      */
    uint8_t rx_flags;  /* NIC_RXF_*                                                   */
    uint32_t seq_hi;   /* ESN high half used                                          */
    uint64_t sn;       /* full sequence number (TX packet mode: assigned; RX: inferred) */
    uint32_t cookie;   /* TX descriptor cookie                                        */
    uint32_t esp_off;  /* offset of the ESP header in data once it is known         */
    uint32_t icv_len;
    struct parser_result pr; /* what the parser found (offsets relative to data)     */
    struct sa_cam_cfg cfg;   /* RX: the SA's configuration as captured at the lookup  */
    void *job;         /* the gcm_job while in an engine                              */
};

#endif

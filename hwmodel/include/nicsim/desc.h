/* desc.h - TX/RX descriptor and completion layouts in host memory (the driver contract).
 *
 * All fields are little-endian, as a PCIe device writes them. Rings are arrays of fixed-size
 * entries in host memory that the driver registered; sizes are powers of two. The driver owns
 * the producer index of a descriptor ring (written through the TX/RX tail doorbell), the device
 * owns the consumer index (readable as the head register) and the producer index of each
 * completion ring, which it also writes to host memory after the completion records
 * (write-back of the head, so the driver need not read MMIO on the fast path).
 */
#ifndef NICSIM_DESC_H
#define NICSIM_DESC_H

#include <assert.h> /* static_assert: C11 macro, C++ keyword (C++ reads this header too) */
#include <stdint.h>

/* TX descriptor, 32 bytes. */
struct nic_tx_desc {
    uint64_t addr;      /* host IOVA of the frame (IP packet, no L2 header)              */
    uint32_t len;       /* bytes of frame                                               */
    uint16_t sa_handle; /* offload handle (TX SA index) when flags has TXF_IPSEC          */
    uint16_t flags;     /* NIC_TXF_*                                                    */
    uint32_t cookie;    /* returned unchanged in the completion                          */
    uint32_t seq_hi;    /* crypto offload with ESN: SN high half for the AAD (xo->seq.hi) */
    uint64_t rsvd;
};

#define NIC_TXF_IPSEC 0x0001u /* encrypt with sa_handle (crypto or packet offload per SA) */

/* TX completion, 16 bytes. */
struct nic_tx_cpl {
    uint32_t cookie;
    uint16_t status;    /* NIC_TXS_*                                                    */
    uint16_t sa_handle;
    uint32_t wire_len;  /* bytes sent on the wire (0 if dropped)                         */
    uint32_t rsvd;
};

enum nic_tx_status {
    NIC_TXS_OK = 0,
    NIC_TXS_DMA_ERROR = 1,  /* descriptor points outside registered host memory          */
    NIC_TXS_BAD_DESC = 2,   /* zero or oversize length, unknown flags                        */
    NIC_TXS_NO_SA = 3,      /* sa_handle not a valid TX SA                                  */
    NIC_TXS_BAD_PACKET = 4, /* frame is not a packet the SA can protect                    */
    NIC_TXS_SN_OVERFLOW = 5 /* packet offload: sequence number space exhausted             */
};

/* RX descriptor (an empty buffer the driver posts), 16 bytes. */
struct nic_rx_desc {
    uint64_t addr;
    uint32_t buf_len;
    uint32_t rsvd;
};

/* RX completion, 16 bytes. The crypto status follows Linux xfrm_offload->status. */
struct nic_rx_cpl {
    uint32_t len;       /* bytes written to the buffer                                  */
    uint16_t sa_handle; /* RX SA index when flags has NIC_RXF_IPSEC                      */
    uint8_t status;     /* NIC_RXS_* (CRYPTO_* values of include/net/xfrm.h)             */
    uint8_t flags;      /* NIC_RXF_*                                                    */
    uint32_t seq_hi;    /* ESN high half the device inferred (crypto offload)            */
    uint32_t rsvd;
};

#define NIC_RXF_IPSEC 0x01u       /* packet matched an SA and went through the engine        */
#define NIC_RXF_CRYPTO_DONE 0x02u /* Linux CRYPTO_DONE: the device did the crypto            */
#define NIC_RXF_DECAPPED 0x04u    /* packet offload: ESP header/trailer removed             */

/* Values of Linux include/net/xfrm.h CRYPTO_* status codes. */
enum nic_rx_status {
    NIC_RXS_NONE = 0,
    NIC_RXS_SUCCESS = 1,              /* CRYPTO_SUCCESS                                  */
    NIC_RXS_GENERIC_ERROR = 2,        /* CRYPTO_GENERIC_ERROR                            */
    NIC_RXS_TRANSPORT_ESP_AUTH_FAILED = 8, /* CRYPTO_TRANSPORT_ESP_AUTH_FAILED           */
    NIC_RXS_TUNNEL_ESP_AUTH_FAILED = 32,   /* CRYPTO_TUNNEL_ESP_AUTH_FAILED              */
    NIC_RXS_INVALID_PACKET_SYNTAX = 64,    /* CRYPTO_INVALID_PACKET_SYNTAX               */
    NIC_RXS_INVALID_PROTOCOL = 128         /* CRYPTO_INVALID_PROTOCOL                    */
};

static_assert(sizeof(struct nic_tx_desc) == 32, "TX descriptor is 32 bytes");
static_assert(sizeof(struct nic_tx_cpl) == 16, "TX completion is 16 bytes");
static_assert(sizeof(struct nic_rx_desc) == 16, "RX descriptor is 16 bytes");
static_assert(sizeof(struct nic_rx_cpl) == 16, "RX completion is 16 bytes");

#endif

/* sa_cam.h - the SA CAM: RX lookup by (SPI, protocol, destination address, IPv6 flag) -> SA
 * index, and the TX SA table indexed by the offload handle; each entry also holds the per-SA
 * configuration the pipeline needs besides the key (the AES key and salt live in key_ram).
 *
 * Contract. Two independent index spaces: RX indices 0 .. rx_entries-1 and TX indices
 * 0 .. tx_entries-1 (the direction of an SA is the table it lives in). Capacities are
 * parameters, 1 .. SA_CAM_MAX_ENTRIES each (default 1024 + 1024, params.def rx_sa_entries,
 * tx_sa_entries). Add allocates the lowest free index (a priority encoder in hardware, so that
 * firmware, C model and RTL agree on the handle) and returns it, or:
 *   -EINVAL  bad argument (SPI 0 is reserved, RFC 4303 s2.1; protocol other than 50; IPv6 flag
 *            not 0/1; ICV length not 8/12/16; unknown mode, offload type or flag bits),
 *   -EEXIST  an RX entry with the same key exists (checked before capacity),
 *   -ENOSPC  the table is full.
 * Delete returns 0, -EINVAL for an index out of range, -ENOENT for a free index; it zeroes the
 * entry and frees the RX key mapping. rx_lookup returns the index or -ENOENT. For an IPv4 key
 * only daddr[0..3] count (the rest is ignored, as the parser leaves it zero).
 * No global state; errors are returned, never printed. Lookups take a const table and may be
 * called from any block's eval; add/delete change the table and belong in a commit (the
 * firmware's CSR write lands on the clock edge).
 *
 * Model vs hardware. The hardware is a CAM: one lookup every cycle, a fixed latency of
 * `latency` cycles (parameter cam_latency, default 2: match lines, then the priority encoder).
 * The model keeps a hash table with open addressing (linear probing, at most half full, backward
 * shift on delete so no tombstones build up): O(1) expected, and sa_cam_cycles() reports the
 * CAM's fixed latency whatever the probe count was. A TX lookup is a plain RAM read of the
 * entry at the handle; the pipeline charges it the same latency.
 *
 * Memory per SA (model, x86-64; the hardware stores the same fields):
 *   RX: struct sa_cam_rx_entry 28 bytes + hash slots 2 x 4 bytes + 1 bit in-use = 36 bytes
 *       (slots are a power of two >= 2 x capacity: 8 bytes per SA when the capacity is a power
 *       of two, as the defaults are, at most 16 otherwise).
 *   TX: struct sa_cam_tx_entry 40 bytes + 1 bit in-use.
 * The static asserts in sa_cam.c keep these numbers true.
 */
#ifndef NICSIM_SA_CAM_H
#define NICSIM_SA_CAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SA_CAM_MAX_ENTRIES 65536u
#define SA_CAM_DEFAULT_ENTRIES 1024u
#define SA_CAM_DEFAULT_LATENCY 2u
#define SA_CAM_PROTO_ESP 50u

enum sa_mode { SA_MODE_TRANSPORT = 0, SA_MODE_TUNNEL = 1 };
enum sa_offload { SA_OFFLOAD_CRYPTO = 0, SA_OFFLOAD_PACKET = 1 };

#define SA_CFG_ESN 0x01u      /* 64-bit extended sequence numbers (RFC 4303 s2.2.1)        */
#define SA_CFG_OUTER_V6 0x02u /* TX tunnel: the outer header the device builds is IPv6     */
#define SA_CFG_FLAGS (SA_CFG_ESN | SA_CFG_OUTER_V6)

/* Per-SA configuration the pipeline needs besides the key. 4 bytes. */
struct sa_cam_cfg {
    uint8_t mode;    /* enum sa_mode                                     */
    uint8_t offload; /* enum sa_offload                                  */
    uint8_t icv_len; /* 8, 12 or 16 (RFC 4106 s3.3; 16 mandatory)        */
    uint8_t flags;   /* SA_CFG_*                                         */
};

/* RX lookup key, as the parser extracts it. 24 bytes. */
struct sa_rx_key {
    uint32_t spi;       /* host order, nonzero                            */
    uint8_t proto;      /* 50                                             */
    uint8_t v6;         /* 1: daddr is IPv6                               */
    uint8_t daddr[16];  /* IPv4 in daddr[0..3]                            */
};

struct sa_cam_rx_entry {
    struct sa_rx_key key;
    struct sa_cam_cfg cfg;
};

struct sa_cam_tx_entry {
    uint32_t spi;              /* written into the ESP header (packet offload)      */
    struct sa_cam_cfg cfg;
    uint8_t outer_saddr[16];   /* packet-offload tunnel mode: the outer header the  */
    uint8_t outer_daddr[16];   /* device builds (IPv4 in [0..3] unless OUTER_V6)     */
};

struct sa_cam_params {
    uint32_t rx_entries; /* 1 .. SA_CAM_MAX_ENTRIES, default 1024 */
    uint32_t tx_entries; /* 1 .. SA_CAM_MAX_ENTRIES, default 1024 */
    uint32_t latency;    /* lookup latency in cycles, >= 1, default 2 */
};

/* Index allocator of one table: a bitmap of used indices, lowest free first. */
struct sa_cam_alloc {
    uint64_t *used;
    uint32_t n;       /* capacity */
    uint32_t count;   /* indices in use */
    uint32_t hint;    /* no free index in words below this one */
};

struct sa_cam {
    struct sa_cam_params p;
    struct sa_cam_rx_entry *rx;
    struct sa_cam_tx_entry *tx;
    struct sa_cam_alloc rx_alloc, tx_alloc;
    uint32_t *slot;   /* hash table: RX index + 1, 0 = empty                           */
    uint32_t hmask;   /* slots - 1; slots = power of two >= 2 * rx_entries             */
};

void sa_cam_params_default(struct sa_cam_params *p);
/* 0, -EINVAL (parameters out of range), -ENOMEM. On error nothing needs freeing. */
int sa_cam_init(struct sa_cam *c, const struct sa_cam_params *p);
void sa_cam_destroy(struct sa_cam *c);
/* Device reset: every entry freed and zeroed. */
void sa_cam_reset(struct sa_cam *c);

int sa_cam_rx_add(struct sa_cam *c, const struct sa_rx_key *key, const struct sa_cam_cfg *cfg);
int sa_cam_rx_del(struct sa_cam *c, uint32_t idx);
int sa_cam_rx_lookup(const struct sa_cam *c, const struct sa_rx_key *key);
/* The entry at idx, or NULL if idx is out of range or free. */
const struct sa_cam_rx_entry *sa_cam_rx_get(const struct sa_cam *c, uint32_t idx);

int sa_cam_tx_add(struct sa_cam *c, const struct sa_cam_tx_entry *e);
int sa_cam_tx_del(struct sa_cam *c, uint32_t idx);
/* TX lookup by offload handle: the entry, or NULL (NIC_TXS_NO_SA). Inline: once per TX packet. */
static inline const struct sa_cam_tx_entry *sa_cam_tx_get(const struct sa_cam *c, uint32_t idx)
{
    const struct sa_cam_alloc *a = &c->tx_alloc;
    bool used = idx < a->n && (a->used[idx / 64] >> (idx % 64) & 1);
    return used ? &c->tx[idx] : NULL;
}

uint32_t sa_cam_rx_count(const struct sa_cam *c);
uint32_t sa_cam_tx_count(const struct sa_cam *c);
/* Lookup latency in cycles (fixed: a CAM). */
static inline uint32_t sa_cam_cycles(const struct sa_cam *c)
{
    return c->p.latency;
}
/* Bytes the tables take (model memory report). */
size_t sa_cam_bytes(const struct sa_cam *c);

#endif

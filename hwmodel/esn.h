/* esn.h - per-SA sequence number state: the TX counter and the RX anti-replay window with
 * extended sequence number (ESN) inference, RFC 4303 s3.3.3, s3.4.3 and Appendix A.
 * docs/esn.md states the rules as implemented, with the RFC sections.
 *
 * Contract. One table per direction, indexed by the SA index of sa_cam (RX or TX). Each SA is
 * configured as one of
 *   TX           64-bit counter; first SN 1. esn_tx_next() returns -EOVERFLOW and does not
 *                advance once the last SN was 2^32-1 (non-ESN) or 2^64-1 (ESN): the counter
 *                never cycles (s3.3.3); the SA must be rekeyed.
 *   RX packet    (packet offload) anti-replay window of W packets, W a multiple of 32 in
 *                32 .. the table's max_window (<= ESN_MAX_WINDOW = 1024), kept as a bitmap.
 *                esn_rx_check() before decryption: OK / REPLAY / TOO_OLD and the full 64-bit
 *                SN (for ESN, the high half inferred per A2.2) that the ICV must be computed
 *                with. It does not change state: the ICV may still fail. esn_rx_update() after
 *                the ICV verified: records that SN and advances the window (across 2^32 with
 *                ESN). The update re-checks, because other packets of the SA may have been
 *                updated between this packet's check and its ICV result.
 *   RX crypto    (crypto offload: replay checking stays in software) the device holds only the
 *                bottom B = Bh:Bl of the software window as the driver last advanced it
 *                (advance_esn); esn_rx_seq_hi() infers the SN high half for the AAD with the
 *                A2.2 rule stated from the bottom: Seqh = Bh if Seql >= Bl, else Bh + 1 (both
 *                A2.2 cases at once: case A has Bh = Th, case B Bh = Th - 1). No bitmap; the
 *                window size is kept for the dump only (any value 1 .. 2^31).
 * SN 0 is never valid: the first packet of an SA carries 1 (s3.3.3), so a received 64-bit SN 0
 * is TOO_OLD (it lies at or below the initial window bottom).
 * The functions that take a const table are pure and may be called from any block's eval;
 * the others change state and belong in a commit. Errors are returned (-EINVAL, -EOVERFLOW),
 * never printed; no global state.
 *
 * Bitmap. Each packet-mode SA owns a row of `row_bits` bits, the smallest power of two >= the
 * table's max_window (so a table created for 64-packet windows costs 8 bytes per SA, one for
 * 1024-packet windows 128 bytes). SN s lives at bit s mod row_bits: the row is circular, so an
 * advance clears only the bits of the newly covered SNs (min(advance, row_bits)) and never
 * shifts; row_bits >= W keeps every SN inside the window on a bit of its own.
 *
 * Timing. ESN_CHECK_CYCLES (1): one read of the SA word and the row, the A2.2 compare and bit
 * select are combinational. ESN_UPDATE_CYCLES (1): read-modify-write of the row, which is one
 * RAM word of row_bits bits (the clear mask for an advance is built combinationally).
 * esn_tx_next(): 1 cycle (ESN_TX_CYCLES).
 *
 * Memory per SA: struct esn_sa 16 bytes + row_bits / 8 bytes of bitmap (0 for a table with
 * max_window 0, e.g. the TX table): with max_window 32 / 64 / 128 / 256 / 1024 that is
 * 20 / 24 / 32 / 48 / 144 bytes.
 */
#ifndef NICSIM_ESN_H
#define NICSIM_ESN_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ESN_MAX_WINDOW 1024u
#define ESN_MAX_ENTRIES 65536u
#define ESN_CHECK_CYCLES 1u
#define ESN_UPDATE_CYCLES 1u
#define ESN_TX_CYCLES 1u

enum esn_status { ESN_OK = 0, ESN_REPLAY = 1, ESN_TOO_OLD = 2, ESN_NSTATUS };

enum esn_kind { ESN_KIND_FREE = 0, ESN_KIND_TX, ESN_KIND_RX_PACKET, ESN_KIND_RX_CRYPTO };

/* One SA's state: 16 bytes. */
struct esn_sa {
    uint64_t sn;     /* TX: last SN assigned (0: none yet). RX packet: T, the highest SN
                      * authenticated (0: none yet). RX crypto: B, the window bottom the
                      * driver last set (0 until the first advance_esn)                   */
    uint32_t window; /* RX: W in packets; 0 for TX                                      */
    uint8_t kind;    /* enum esn_kind                                                   */
    uint8_t esn;     /* 1: 64-bit SN (RFC 4303 s2.2.1)                                   */
    uint16_t rsvd;
};

struct esn_params {
    uint32_t entries;    /* SAs, 1 .. ESN_MAX_ENTRIES                                  */
    uint32_t max_window; /* largest packet-mode window: 0 (no bitmap, TX table) or a
                          * multiple of 32 up to ESN_MAX_WINDOW                          */
};

struct esn_table {
    struct esn_params p;
    uint32_t row_words;  /* 32-bit words per bitmap row (0 when max_window is 0)        */
    struct esn_sa *sa;
    uint32_t *bitmap;    /* entries * row_words                                         */
};

/* ---- pure core (no table; what the RTL compares against) ---- */

/* RFC 4303 A2.2: the high half of the SN of a packet carrying `seql`, given the window top T
 * and size W (1 .. 2^31). Returns 0, or -ERANGE when the rule names a subspace that does not
 * exist (Th - 1 with Th = 0, or Th + 1 with Th = 2^32-1); *seqh then holds that value modulo
 * 2^32, which is what Linux's xfrm_replay_seqhi() would use. -EINVAL for W outside 1 .. 2^31. */
int esn_infer_hi(uint64_t top, uint32_t window, uint32_t seql, uint32_t *seqh);
/* The same rule from the window bottom B (what a crypto-offload SA holds): the one SN with low
 * half seql in [B, B + 2^32). Equals esn_infer_hi(B + W - 1, W, seql) for B >= 0. Returns 0,
 * or -ERANGE when that SN would be >= 2^64 (*seqh then holds Bh + 1 modulo 2^32). */
int esn_infer_hi_bottom(uint64_t bottom, uint32_t seql, uint32_t *seqh);
/* Window check of one SA: returns enum esn_status and the full SN in *seq (even when not OK). */
enum esn_status esn_core_check(const struct esn_sa *s, const uint32_t *row, uint32_t row_bits,
                               uint32_t seql, uint64_t *seq);
/* Window update with a full SN whose ICV verified: returns enum esn_status (OK means recorded). */
enum esn_status esn_core_update(struct esn_sa *s, uint32_t *row, uint32_t row_bits, uint64_t seq);

/* ---- the table ---- */

/* 0, -EINVAL (parameters), -ENOMEM. */
int esn_init(struct esn_table *t, const struct esn_params *p);
void esn_destroy(struct esn_table *t);
/* Device reset: every SA free, every bitmap clear. */
void esn_reset(struct esn_table *t);

/* Configure SA idx (it must be free): 0 or -EINVAL (index, window, or already configured). */
int esn_sa_tx(struct esn_table *t, uint32_t idx, bool esn);
int esn_sa_rx_packet(struct esn_table *t, uint32_t idx, bool esn, uint32_t window);
int esn_sa_rx_crypto(struct esn_table *t, uint32_t idx, bool esn, uint32_t window);
/* Free SA idx and zero its state: 0 or -EINVAL. */
int esn_sa_clear(struct esn_table *t, uint32_t idx);
/* The SA's state (debug dump, stats), or NULL if idx is out of range or free. */
const struct esn_sa *esn_get(const struct esn_table *t, uint32_t idx);

/* TX: the SN the next packet gets, without advancing: 0, -EOVERFLOW or -EINVAL. Inline: once
 * per TX packet. */
static inline int esn_tx_peek(const struct esn_table *t, uint32_t idx, uint64_t *sn)
{
    if (idx >= t->p.entries || t->sa[idx].kind != ESN_KIND_TX)
        return -EINVAL;
    const struct esn_sa *s = &t->sa[idx];
    uint64_t last_allowed = s->esn ? UINT64_MAX : UINT32_MAX;
    if (s->sn == last_allowed)
        return -EOVERFLOW; /* s3.3.3: the counter must not cycle; rekey */
    *sn = s->sn + 1;
    return 0;
}
/* TX: assign the next SN and advance: 0, -EOVERFLOW (nothing changes) or -EINVAL. */
int esn_tx_next(struct esn_table *t, uint32_t idx, uint64_t *sn);
/* TX: the write half of esn_tx_next() once esn_tx_peek() returned 0 with `sn` and nothing
 * changed the SA since (the SN RAM's read-modify-write split around the header insert, which
 * may still drop the packet): the SA's counter becomes sn. Inline: once per TX packet. */
static inline void esn_tx_advance(struct esn_table *t, uint32_t idx, uint64_t sn)
{
    t->sa[idx].sn = sn;
}

/* RX packet offload: enum esn_status (>= 0) or -EINVAL (idx not an RX packet SA). */
int esn_rx_check(const struct esn_table *t, uint32_t idx, uint32_t seql, uint64_t *seq);
/* RX packet offload, after the ICV verified with `seq` from esn_rx_check: enum esn_status
 * (ESN_OK: recorded; REPLAY / TOO_OLD: another packet moved the window meanwhile: drop) or
 * -EINVAL (idx not an RX packet SA, or seq >= 2^32 on a non-ESN SA). */
int esn_rx_update(struct esn_table *t, uint32_t idx, uint64_t seq);

/* Restore (device reset, SA migration): TX: the last SN used, the next packet gets last + 1
 * (-EINVAL if last >= 2^32 on a non-ESN SA). RX packet offload: the window top T; every SN in
 * [T - W + 1, T] is marked seen, so nothing of the old window is accepted twice (late packets
 * of that window are dropped: the safe side). 0 or -EINVAL. */
int esn_tx_set(struct esn_table *t, uint32_t idx, uint64_t last);
int esn_rx_set(struct esn_table *t, uint32_t idx, uint64_t top);

/* RX crypto offload, advance_esn: the driver's window bottom B = seq_hi:bottom, seq_hi being
 * the high half that applies to the bottom SN (what mlx5 computes as xfrm_replay_seqhi(x,
 * bottom)). esn_bottom() below turns the software window top into it. 0 or -EINVAL (idx not
 * an RX crypto SA, or not ESN). */
int esn_rx_advance(struct esn_table *t, uint32_t idx, uint32_t seq_hi, uint32_t bottom);
/* B = T - W + 1 for a software window top T and size W, 0 while T < W - 1 (a window that
 * has not filled yet starts at SN 0). */
uint64_t esn_bottom(uint64_t top, uint32_t window);
/* RX crypto offload: the SN high half for a packet carrying seql (0 on a non-ESN SA).
 * 0, -ERANGE (see esn_infer_hi_bottom; *seqh is still set: the packet goes to software with
 * it, where the replay check and ICV decide) or -EINVAL. */
int esn_rx_seq_hi(const struct esn_table *t, uint32_t idx, uint32_t seql, uint32_t *seqh);

/* "ESN_OK", "ESN_REPLAY", "ESN_TOO_OLD"; "ESN_?" otherwise. */
const char *esn_status_name(int s);
/* Bytes the table takes (model memory report). */
size_t esn_bytes(const struct esn_table *t);

#endif

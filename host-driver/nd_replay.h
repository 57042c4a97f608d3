/* nd_replay.h - software anti-replay window, RFC 4303 s3.4.3 and Appendix A, as the Linux
 * stack keeps it for crypto-offload and software SAs (the card's window is used only by packet
 * offload SAs).
 *
 * The window is the W packets [T - W + 1, T] below the highest authenticated SN T; a bit per
 * SN in a circular bitmap (SN s at bit s mod ND_REPLAY_BITS) so an advance clears only the
 * newly covered bits. Order of use, as the RFC requires: infer the full SN (ESN, A2.2), check
 * before the ICV is verified (no state change), advance after it verified.
 */
#ifndef ND_REPLAY_H
#define ND_REPLAY_H

#include <stdbool.h>
#include <stdint.h>

#define ND_REPLAY_BITS 4096u   /* largest window (Linux allows up to 4096 with ESN bitmaps) */

enum nd_replay_status { ND_REPLAY_OK = 0, ND_REPLAY_DUP = 1, ND_REPLAY_OLD = 2 };

struct nd_replay {
    uint64_t top;      /* T: highest authenticated SN, 0 = none yet                        */
    uint32_t window;   /* W, 1 .. ND_REPLAY_BITS (0 disables the check, as replay-window 0) */
    bool esn;
    uint64_t bits[ND_REPLAY_BITS / 64];
};

/* top: restore point (0 for a new SA). A window above ND_REPLAY_BITS is clamped. */
void nd_replay_init(struct nd_replay *r, uint32_t window, bool esn, uint64_t top);
/* Full SN for a received low half: A2.2 for ESN (the Linux xfrm_replay_seqhi rule), else the
 * low half itself. */
uint64_t nd_replay_infer(const struct nd_replay *r, uint32_t seq_low);
enum nd_replay_status nd_replay_check(const struct nd_replay *r, uint64_t sn);
/* Record an authenticated SN (re-checks: another packet may have advanced the window). */
enum nd_replay_status nd_replay_advance(struct nd_replay *r, uint64_t sn);
/* B = T - W + 1 (0 while T < W - 1): what advance_esn tells the card. */
uint64_t nd_replay_bottom(const struct nd_replay *r);

#endif

/* nd_mbox.h - the mailbox client: one command to the card's firmware at a time.
 *
 * Protocol (regs.def MBOX block and NICSIM_MBOX_CMDS): wait until STATUS.BUSY is clear, write
 * ARG0..15 and KEY0..8, CMD, then 1 to DOORBELL; run the device until STATUS.DONE; the
 * completion code STATUS.CODE is an errno-like positive number (NICSIM_MBOX_CODES) that the
 * client returns negated (0, -EINVAL, -ENOSPC, -EEXIST, -ENOENT, -EBUSY, -EOPNOTSUPP). An
 * unknown command (EBADCMD) or an unknown code is -EIO; no DONE within the timeout (in device
 * cycles, and a bound on polls for a device that does not advance time while idle) is
 * -ETIMEDOUT. RESP0..3 are read back after DONE.
 *
 * Argument layout as this driver writes it (regs.def NICSIM_MBOX_CMDS; where regs.def is
 * silent this file chose, and docs/mailbox.md on the firmware side must agree):
 *   SA_ADD      ARG0  direction as SAT.DIR: 0 = in (RX), 1 = out (TX)
 *               ARG1  SAT.CFG layout: MODE [0], OFFLOAD [1], ESN [2], V6 [3], ICV_LEN [12:8]
 *                     (bytes), KEYMAT_LEN [21:16]
 *               ARG2  SPI (numeric value, as on the wire read big-endian)
 *               ARG3..6   address A = SAT.ADDR0..3: RX destination address, TX tunnel outer
 *                         source; big-endian words (IPv4: ARG3 only, ARG4..6 zero)
 *               ARG7..10  address B = SAT.ADDR4..7: TX tunnel outer destination
 *               ARG11 RX replay window (0 = device default)
 *               ARG12/13  sequence state lo/hi: TX last SN used (the next packet gets SN + 1);
 *                         RX highest SN seen (window top), used to restore after a reset
 *               ARG14/15  soft / hard packet limits (0 = none), saturated to 32 bits
 *               ARG16/17  soft / hard byte limits in KiB (0 = none), rounded up so that a
 *                         limit below 1 KiB is not lost; the exact byte limit is the stack's
 *                         (curlft from STATS_QUERY)
 *               KEY0..8   key material (AES key || salt), big-endian words; unused words 0
 *               RESP0 = handle (TX and RX handles are separate spaces)
 *   SA_DELETE / SA_FREE / STATS_QUERY   ARG0 direction, ARG1 handle
 *   ESN_ADVANCE ARG0 direction (0 = in), ARG1 handle, ARG2 seq_hi,
 *               ARG3 window bottom (low half)
 */
#ifndef ND_MBOX_H
#define ND_MBOX_H

#include <stddef.h>
#include <stdint.h>

#include "nd_bus.h"

#define ND_MBOX_NARGS 18u /* ARG0..15 and ARG16/17, which sit after RESP3 */
#define ND_MBOX_NKEYS 9u

struct nd_mbox_req {
    uint32_t cmd;                  /* enum nicsim_mbox_cmd                                  */
    uint32_t arg[ND_MBOX_NARGS];
    unsigned nargs;                /* ARG0..nargs-1 are written                             */
    const uint8_t *key;            /* key material or NULL                                  */
    size_t key_len;                /* bytes, <= 4 * ND_MBOX_NKEYS                           */
};

struct nd_mbox_stats {
    uint64_t commands, errors, timeouts, poll_cycles;
};

/* Execute one command. resp (4 words) may be NULL. */
int nd_mbox_exec(struct nd_bus *bus, const struct nd_mbox_req *req, uint32_t resp[4],
                 uint64_t timeout_cycles, struct nd_mbox_stats *st);
/* Completion code -> 0 / -errno. */
int nd_mbox_errno(uint32_t code);
/* Pack an address (4 or 16 bytes) into four big-endian words. */
void nd_mbox_addr_words(const uint8_t *addr, size_t len, uint32_t w[4]);

#endif

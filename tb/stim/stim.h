/* stim.h - the one stimulus format of nicsim's testbenches (vectors/stim/README.md): a text
 * file of records, one per line, that drives the C model, the RTL and the lock-step pair alike
 * through the DUT interface (tb/dut/dut_if.h).
 *
 * Records (fields are key=value; numbers decimal or 0x hex; bytes as hex without separators):
 *   sa NAME dir=in|out spi=N icv=8|12|16 key=HEX [mode=transport|tunnel]
 *           [offload=crypto|packet] [esn=0|1] [v6=0|1] [daddr=HEX] [window=N] [seq=N]
 *           [result=ok|EINVAL|ENOSPC|EEXIST|...]
 *                          install an SA through the mailbox (SA_ADD); NAME names it for the
 *                          records below (the handle is the device's business; both sides of
 *                          a lock-step pair must hand out the same one)
 *   del NAME               SA_DELETE then SA_FREE
 *   esn NAME hi=N bottom=N ESN_ADVANCE (RX crypto offload)
 *   tx NAME|- [seq_hi=N] frame=HEX    a frame posted for TX with SA NAME ("-": no IPsec)
 *   rx frame=HEX                      a frame arriving from the wire
 *   expect ...             what the previous tx/rx must give (optional, after that record):
 *                          drop=REASON (drops.def name), or status=N flags=N handle=NAME|-
 *                          seq_hi=N frame=HEX (any subset; absent fields are not checked)
 *   idle N                 let N cycles pass
 * '#' starts a comment; blank lines are ignored. A name is [A-Za-z0-9_.-], at most 31 chars.
 *
 * Parsing never prints: errors come back as "LINE: reason". No global state.
 */
#ifndef NICSIM_STIM_H
#define NICSIM_STIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "nicsim/nicsim.h"

#define STIM_NAME_MAX 32u
#define STIM_FRAME_MAX 9600u

enum stim_kind { STIM_SA, STIM_DEL, STIM_ESN, STIM_TX, STIM_RX, STIM_EXPECT, STIM_IDLE };

/* What a tx/rx record must give. has_* say which fields are checked. */
struct stim_expect {
    bool has_drop, has_status, has_flags, has_handle, has_seq_hi, has_frame;
    int drop;                      /* enum nic_drop                                   */
    uint16_t status;               /* TX: NIC_TXS_*, RX: NIC_RXS_*                    */
    uint8_t flags;                 /* RX: NIC_RXF_*                                   */
    char handle[STIM_NAME_MAX];    /* SA name, "-" for none                           */
    uint32_t seq_hi;
    uint8_t *frame;
    size_t frame_len;
};

struct stim_rec {
    enum stim_kind kind;
    unsigned long line;
    char name[STIM_NAME_MAX];      /* sa / del / esn / tx ("-" = no IPsec)            */
    struct nic_sa sa;              /* sa                                              */
    int sa_result;                 /* sa: expected 0 (ok) or -errno                   */
    bool has_sa_result;
    uint32_t hi, bottom;           /* esn                                             */
    uint32_t seq_hi;               /* tx                                              */
    uint8_t *frame;                /* tx / rx, malloc'd                               */
    size_t frame_len;
    uint64_t idle;                 /* idle                                            */
    struct stim_expect exp;        /* expect                                          */
};

/* Read the next record. 1: a record; 0: end of file; -1: malformed (err holds
 * "LINE: reason"). *line counts lines read so far. The record owns its buffers:
 * stim_rec_free() releases them. */
int stim_read(FILE *in, unsigned long *line, struct stim_rec *r, char *err, size_t errlen);
void stim_rec_free(struct stim_rec *r);
/* Write a record in the format stim_read reads (the generator and converters use it). */
void stim_write(FILE *out, const struct stim_rec *r);

/* enum nic_drop from its drops.def name; -1 if unknown. */
int stim_drop_from_name(const char *name);
/* -errno from its name ("ok" = 0, "EINVAL", ...); 1 if unknown. */
int stim_errno_from_name(const char *name);
const char *stim_errno_name(int err);

#endif

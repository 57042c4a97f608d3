/* nd_mbox.c - mailbox client (nd_mbox.h): write the command, ring, poll STATUS.DONE. */
#include "nd_mbox.h"

#include <errno.h>
#include <string.h>

#include "nd_regs.h"

/* Device time the client lets pass between two STATUS polls, and the poll bound for a device
 * that does not advance time while it looks idle (a firmware stand-in, a stuck card). */
#define ND_MBOX_SLICE 64u
#define ND_MBOX_MAX_POLLS 100000u

int nd_mbox_errno(uint32_t code)
{
    switch (code) {
    case NICSIM_MBOX_CODE_OK:
        return 0;
    case NICSIM_MBOX_CODE_EINVAL:
        return -EINVAL;
    case NICSIM_MBOX_CODE_ENOSPC:
        return -ENOSPC;
    case NICSIM_MBOX_CODE_EEXIST:
        return -EEXIST;
    case NICSIM_MBOX_CODE_ENOENT:
        return -ENOENT;
    case NICSIM_MBOX_CODE_EBUSY:
        return -EBUSY;
    case NICSIM_MBOX_CODE_EOPNOTSUPP:
        return -EOPNOTSUPP;
    default:
        return -EIO; /* EBADCMD or a code this driver does not know: a protocol mismatch */
    }
}

void nd_mbox_addr_words(const uint8_t *addr, size_t len, uint32_t w[4])
{
    memset(w, 0, 4 * sizeof(*w));
    for (size_t i = 0; i < len && i < 16; i++)
        w[i / 4] |= (uint32_t)addr[i] << (24 - 8 * (i % 4));
}

/* ARG0..15 are contiguous; ARG16/17 were added after RESP3. */
static uint32_t arg_offset(unsigned i)
{
    if (i < 16)
        return ND_MBOX(ARG0) + 4u * i;
    return i == 16 ? ND_MBOX(ARG16) : ND_MBOX(ARG17);
}

/* Poll STATUS until `mask` is clear (want_set false) or set (want_set true). */
static int wait_status(struct nd_bus *bus, uint32_t mask, int want_set, uint64_t timeout,
                       struct nd_mbox_stats *st, uint32_t *status)
{
    uint64_t start = nd_bus_cycle(bus);
    for (unsigned polls = 0;; polls++) {
        uint32_t s = nd_rd32(bus, ND_MBOX(STATUS));
        if (((s & mask) != 0) == (want_set != 0)) {
            *status = s;
            return 0;
        }
        uint64_t spent = nd_bus_cycle(bus) - start;
        if (spent >= timeout || polls >= ND_MBOX_MAX_POLLS)
            return -ETIMEDOUT;
        uint64_t slice = timeout - spent < ND_MBOX_SLICE ? timeout - spent : ND_MBOX_SLICE;
        nd_bus_run(bus, slice);
        if (st)
            st->poll_cycles += nd_bus_cycle(bus) - start - spent;
    }
}

int nd_mbox_exec(struct nd_bus *bus, const struct nd_mbox_req *req, uint32_t resp[4],
                 uint64_t timeout_cycles, struct nd_mbox_stats *st)
{
    if (req->nargs > ND_MBOX_NARGS || req->key_len > 4 * ND_MBOX_NKEYS)
        return -EINVAL;
    uint32_t status = 0;
    /* A command still running (after a timeout of ours) owns the registers. */
    if (wait_status(bus, NICSIM_MBOX_STATUS_BUSY_MASK, 0, timeout_cycles, st, &status)) {
        if (st)
            st->timeouts++;
        return -ETIMEDOUT;
    }
    for (unsigned i = 0; i < req->nargs; i++)
        nd_wr32(bus, arg_offset(i), req->arg[i]);
    if (req->key) {
        for (unsigned w = 0; w < ND_MBOX_NKEYS; w++) {
            uint32_t v = 0;
            for (unsigned b = 0; b < 4; b++) {
                size_t i = 4 * w + b;
                v |= (uint32_t)(i < req->key_len ? req->key[i] : 0) << (24 - 8 * b);
            }
            nd_wr32(bus, ND_MBOX(KEY0) + 4 * w, v);
        }
    }
    nd_wr32(bus, ND_MBOX(CMD), req->cmd);
    nd_wr32(bus, ND_MBOX(DOORBELL), 1);
    if (st)
        st->commands++;
    if (wait_status(bus, NICSIM_MBOX_STATUS_DONE_MASK, 1, timeout_cycles, st, &status)) {
        if (st)
            st->timeouts++;
        return -ETIMEDOUT;
    }
    int rc = nd_mbox_errno(ND_FIELD_GET(MBOX, STATUS, CODE, status));
    if (rc && st)
        st->errors++;
    if (resp)
        for (unsigned i = 0; i < 4; i++)
            resp[i] = nd_rd32(bus, ND_MBOX(RESP0) + 4 * i);
    return rc;
}

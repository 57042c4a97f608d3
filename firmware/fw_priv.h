/* fw_priv.h - what the firmware's files share: register access helpers, the SAT port driver,
 * and the command handlers the dispatch table (fw_mailbox.c) names. Not for use outside
 * firmware/.
 */
#ifndef NICSIM_FW_PRIV_H
#define NICSIM_FW_PRIV_H

#include <stdbool.h>
#include <stdint.h>

#include "fw_hal.h"
#include "nicsim/regs.h"

/* A command handler: returns enum nicsim_mbox_code; results go to MBOX.RESP*. */
typedef uint32_t (*fw_cmd_fn)(const struct fw_hal *h);

static inline uint32_t fw_rd(const struct fw_hal *h, uint32_t addr)
{
    return h->rd(h->ctx, addr);
}

static inline void fw_wr(const struct fw_hal *h, uint32_t addr, uint32_t v)
{
    h->wr(h->ctx, addr, v);
}

/* ---- fw_bus.c ---- */
/* Mailbox argument i: 0..15 are ARG0..ARG15, 16..17 ARG16..ARG17 (a later block extension). */
uint32_t fw_arg(const struct fw_hal *h, unsigned i);
void fw_resp(const struct fw_hal *h, unsigned i, uint32_t v);
/* Field of a register value, positions from regs.h. */
static inline uint32_t fw_field(uint32_t v, unsigned lsb, unsigned width)
{
    return (v >> lsb) & (uint32_t)((1ull << width) - 1);
}
bool fw_cap(const struct fw_hal *h, unsigned cap_lsb);
/* Start SAT.OP op and turn SAT.RESULT (0 or minus a code) into a completion code. */
uint32_t fw_sat_op(const struct fw_hal *h, uint32_t op);
/* Shared validation of (ARG0 dir, ARG1 handle) against the table size: writes SAT.DIR and
 * SAT.INDEX when valid. NICSIM_MBOX_CODE_OK, EINVAL (dir) or ENOENT (handle beyond the table). */
uint32_t fw_sat_select(const struct fw_hal *h, uint32_t dir, uint32_t handle);

/* ---- handlers ---- */
uint32_t fw_cmd_nop(const struct fw_hal *h);         /* fw_info.c  */
uint32_t fw_cmd_get_info(const struct fw_hal *h);    /* fw_info.c  */
uint32_t fw_cmd_sa_add(const struct fw_hal *h);      /* fw_sa_add.c */
uint32_t fw_cmd_sa_delete(const struct fw_hal *h);   /* fw_sa.c    */
uint32_t fw_cmd_sa_free(const struct fw_hal *h);     /* fw_sa.c    */
uint32_t fw_cmd_esn_advance(const struct fw_hal *h); /* fw_esn.c   */
uint32_t fw_cmd_stats_query(const struct fw_hal *h); /* fw_stats.c */
uint32_t fw_cmd_reset(const struct fw_hal *h);       /* fw_reset.c */

#endif

/* regs.h - C names for everything in regs.def: block bases, register indices and offsets,
 * field positions, mailbox commands and codes, SA table operations. Include this, never
 * write a number from regs.def by hand.
 *
 *   NICSIM_<BLOCK>_BASE                 block base address
 *   NICSIM_<BLOCK>_<REG>                register index inside its block
 *   NICSIM_REG(<BLOCK>, <REG>)          byte offset (BAR0 or CSR space)
 *   NICSIM_<BLOCK>_<REG>_<FIELD>_LSB / _WIDTH / _MASK
 *   NICSIM_MBOX_CMD_<NAME>, NICSIM_MBOX_CODE_<NAME>, NICSIM_SAT_OP_<NAME>
 */
#ifndef NICSIM_REGS_H
#define NICSIM_REGS_H

#include "nicsim/regs.def"

#define NICSIM_DEF_BASE(blk, base, doc) NICSIM_##blk##_BASE = (base),
enum { NICSIM_BAR0_BLOCKS(NICSIM_DEF_BASE) NICSIM_CSR_BLOCKS(NICSIM_DEF_BASE) };
#undef NICSIM_DEF_BASE

#define NICSIM_DEF_REG(blk)                                                                      \
    enum nicsim_##blk##_reg { NICSIM_REGS_##blk(NICSIM_DEF_REG_##blk) NICSIM_##blk##_NREGS };
#define NICSIM_DEF_REG_TOP(n, a, r, d) NICSIM_TOP_##n,
#define NICSIM_DEF_REG_DMA(n, a, r, d) NICSIM_DMA_##n,
#define NICSIM_DEF_REG_MBOX(n, a, r, d) NICSIM_MBOX_##n,
#define NICSIM_DEF_REG_EVT(n, a, r, d) NICSIM_EVT_##n,
#define NICSIM_DEF_REG_STATS(n, a, r, d) NICSIM_STATS_##n,
#define NICSIM_DEF_REG_SAT(n, a, r, d) NICSIM_SAT_##n,
NICSIM_DEF_REG(TOP)
NICSIM_DEF_REG(MBOX)
NICSIM_DEF_REG(EVT)
NICSIM_DEF_REG(STATS)
NICSIM_DEF_REG(SAT)
#ifdef NICSIM_REGS_DMA
NICSIM_DEF_REG(DMA)
#endif

#define NICSIM_REG(blk, reg) ((uint32_t)NICSIM_##blk##_BASE + 4u * (uint32_t)NICSIM_##blk##_##reg)

#define NICSIM_DEF_FIELD(blk, reg, f, lsb, w, doc)                                              \
    NICSIM_##blk##_##reg##_##f##_LSB = (lsb), NICSIM_##blk##_##reg##_##f##_WIDTH = (w),         \
    NICSIM_##blk##_##reg##_##f##_MASK = (int)((((1ull << (w)) - 1) << (lsb)) & 0x7fffffff),
enum { NICSIM_FIELDS(NICSIM_DEF_FIELD) };
#undef NICSIM_DEF_FIELD

#define NICSIM_DEF_CMD(n, v, d) NICSIM_MBOX_CMD_##n = (v),
enum nicsim_mbox_cmd { NICSIM_MBOX_CMDS(NICSIM_DEF_CMD) };
#undef NICSIM_DEF_CMD
#define NICSIM_DEF_CODE(n, v, d) NICSIM_MBOX_CODE_##n = (v),
enum nicsim_mbox_code { NICSIM_MBOX_CODES(NICSIM_DEF_CODE) };
#undef NICSIM_DEF_CODE
#define NICSIM_DEF_OP(n, v, d) NICSIM_SAT_OP_##n = (v),
enum nicsim_sat_op { NICSIM_SAT_OPS(NICSIM_DEF_OP) };
#undef NICSIM_DEF_OP

#endif

/* nd_regs.h - the register offsets and bits the driver uses, all taken from the device's
 * register map (hwmodel/include/nicsim/regs.def through regs.h). Nothing here is a number of
 * its own.
 */
#ifndef ND_REGS_H
#define ND_REGS_H

#include <stdint.h>

#include "nicsim/regs.h"

#define ND_DMA(r) NICSIM_REG(DMA, r)

#define ND_TOP(r) NICSIM_REG(TOP, r)
#define ND_MBOX(r) NICSIM_REG(MBOX, r)
#define ND_EVT(r) NICSIM_REG(EVT, r)

/* DMA control and cause bits (regs.def fields). */
#define ND_DMA_CTRL_TX_EN ((uint32_t)NICSIM_DMA_CTRL_TX_EN_MASK)
#define ND_DMA_CTRL_RX_EN ((uint32_t)NICSIM_DMA_CTRL_RX_EN_MASK)
#define ND_DMA_INTR_TX_CPL ((uint32_t)NICSIM_DMA_INTR_CAUSE_TX_CPL_MASK)
#define ND_DMA_INTR_RX_CPL ((uint32_t)NICSIM_DMA_INTR_CAUSE_RX_CPL_MASK)
#define ND_DMA_INTR_ERROR ((uint32_t)NICSIM_DMA_INTR_CAUSE_ERROR_MASK)

/* Field helpers for regs.def fields. */
#define ND_FIELD_GET(blk, reg, f, v)                                                           \
    (((uint32_t)(v) >> NICSIM_##blk##_##reg##_##f##_LSB) &                                     \
     ((1u << NICSIM_##blk##_##reg##_##f##_WIDTH) - 1u))
#define ND_CAP(f) (1u << NICSIM_TOP_CAPS_##f##_LSB)

/* Reset values of the TOP registers (ND_TOP_RESET_ID, ND_TOP_RESET_VERSION, ...): the ID the
 * driver accepts and the register map version it was written against come from regs.def. */
#define ND_DEF_TOP_RESET(n, a, r, d) ND_TOP_RESET_##n = (r),
enum { NICSIM_REGS_TOP(ND_DEF_TOP_RESET) };
#undef ND_DEF_TOP_RESET
#define ND_DEVICE_ID ((uint32_t)ND_TOP_RESET_ID)
#define ND_REGMAP_MAJOR ((uint32_t)ND_TOP_RESET_VERSION >> 16)

#endif

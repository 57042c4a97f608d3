/* fw_bus.c - register helpers of the firmware: mailbox arguments and results, capability
 * bits, and the SAT port protocol (write the SAT registers, then SAT.OP; SAT.RESULT holds 0
 * or minus a completion code once the write of OP has landed, so one read follows).
 */
#include "fw_priv.h"

uint32_t fw_arg(const struct fw_hal *h, unsigned i)
{
    uint32_t reg = i < 16 ? NICSIM_REG(MBOX, ARG0) + 4u * i : NICSIM_REG(MBOX, ARG16) + 4u * (i - 16);
    return fw_rd(h, reg);
}

void fw_resp(const struct fw_hal *h, unsigned i, uint32_t v)
{
    fw_wr(h, NICSIM_REG(MBOX, RESP0) + 4u * i, v);
}

bool fw_cap(const struct fw_hal *h, unsigned cap_lsb)
{
    return fw_field(fw_rd(h, NICSIM_REG(TOP, CAPS)), cap_lsb, 1) != 0;
}

/* The SAT port reports the model's errors as minus a mailbox code; anything else it might say
 * is a firmware/hardware disagreement, reported as EINVAL rather than passed on unchecked. */
uint32_t fw_sat_op(const struct fw_hal *h, uint32_t op)
{
    fw_wr(h, NICSIM_REG(SAT, OP), op);
    uint32_t r = fw_rd(h, NICSIM_REG(SAT, RESULT));
    uint32_t code = 0u - r;
    switch (code) {
    case NICSIM_MBOX_CODE_OK:
    case NICSIM_MBOX_CODE_EINVAL:
    case NICSIM_MBOX_CODE_ENOSPC:
    case NICSIM_MBOX_CODE_EEXIST:
    case NICSIM_MBOX_CODE_ENOENT:
    case NICSIM_MBOX_CODE_EBUSY:
    case NICSIM_MBOX_CODE_EOPNOTSUPP:
        return code;
    default:
        return NICSIM_MBOX_CODE_EINVAL;
    }
}

uint32_t fw_sat_select(const struct fw_hal *h, uint32_t dir, uint32_t handle)
{
    if (dir > 1)
        return NICSIM_MBOX_CODE_EINVAL;
    uint32_t max = fw_rd(h, dir ? NICSIM_REG(TOP, TX_SA_MAX) : NICSIM_REG(TOP, RX_SA_MAX));
    if (handle >= max)
        return NICSIM_MBOX_CODE_ENOENT;
    fw_wr(h, NICSIM_REG(SAT, DIR), dir);
    fw_wr(h, NICSIM_REG(SAT, INDEX), handle);
    return NICSIM_MBOX_CODE_OK;
}

/* fw_esn.c - ESN_ADVANCE: the driver's advance_esn for an RX crypto-offload ESN SA: the
 * bottom of the software replay window, ARG2 high half : ARG3 low half. Refused with
 * EOPNOTSUPP when the card does not advertise CAPS.ESN (the stack then keeps the SA in
 * software); EINVAL for a direction other than in or an SA that is not crypto-offload ESN.
 */
#include "fw_priv.h"

uint32_t fw_cmd_esn_advance(const struct fw_hal *h)
{
    if (!fw_cap(h, NICSIM_TOP_CAPS_ESN_LSB))
        return NICSIM_MBOX_CODE_EOPNOTSUPP;
    if (fw_arg(h, 0) != 0)
        return NICSIM_MBOX_CODE_EINVAL;
    uint32_t code = fw_sat_select(h, 0, fw_arg(h, 1));
    if (code)
        return code;
    fw_wr(h, NICSIM_REG(SAT, SEQ_HI), fw_arg(h, 2));
    fw_wr(h, NICSIM_REG(SAT, SEQ_LO), fw_arg(h, 3));
    return fw_sat_op(h, NICSIM_SAT_OP_ESN);
}

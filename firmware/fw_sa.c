/* fw_sa.c - SA_DELETE and SA_FREE: the two halves of taking an SA down (Linux
 * xdo_dev_state_delete / xdo_dev_state_free).
 *   DELETE: the SA stops matching (RX CAM) and being usable (TX table); packets already past
 *           the lookup finish with the key they captured. Handle not installed: ENOENT.
 *   FREE:   the key RAM slot, sequence state and counters are zeroed and the handle may be
 *           handed out again. Still installed: EBUSY; never added or already freed: ENOENT.
 * The state machine lives in the tables (the SAT port answers), not in the firmware.
 */
#include "fw_priv.h"

static uint32_t sa_op(const struct fw_hal *h, uint32_t op)
{
    uint32_t code = fw_sat_select(h, fw_arg(h, 0), fw_arg(h, 1));
    return code ? code : fw_sat_op(h, op);
}

uint32_t fw_cmd_sa_delete(const struct fw_hal *h)
{
    return sa_op(h, NICSIM_SAT_OP_DELETE);
}

uint32_t fw_cmd_sa_free(const struct fw_hal *h)
{
    return sa_op(h, NICSIM_SAT_OP_FREE);
}

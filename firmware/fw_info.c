/* fw_info.c - NOP (a bus check: completes OK, touches nothing) and GET_INFO (firmware
 * version, SA slots in use per direction, the capabilities the firmware enforces).
 */
#include "fw.h"
#include "fw_priv.h"

uint32_t fw_cmd_nop(const struct fw_hal *h)
{
    (void)h;
    return NICSIM_MBOX_CODE_OK;
}

uint32_t fw_cmd_get_info(const struct fw_hal *h)
{
    uint32_t used[2];
    for (uint32_t dir = 0; dir < 2; dir++) {
        fw_wr(h, NICSIM_REG(SAT, DIR), dir);
        uint32_t code = fw_sat_op(h, NICSIM_SAT_OP_COUNT);
        if (code)
            return code;
        used[dir] = fw_rd(h, NICSIM_REG(SAT, DATA0));
    }
    fw_resp(h, 0, FW_VERSION);
    fw_resp(h, 1, used[0]);
    fw_resp(h, 2, used[1]);
    fw_resp(h, 3, fw_rd(h, NICSIM_REG(TOP, CAPS)));
    return NICSIM_MBOX_CODE_OK;
}

/* fw_stats.c - STATS_QUERY: packets and bytes of one SA (installed, or deleted and not yet
 * freed, so the driver can read the final counts between DELETE and FREE).
 * RESP0/1 packets low/high, RESP2/3 bytes low/high.
 */
#include "fw_priv.h"

uint32_t fw_cmd_stats_query(const struct fw_hal *h)
{
    uint32_t code = fw_sat_select(h, fw_arg(h, 0), fw_arg(h, 1));
    if (!code)
        code = fw_sat_op(h, NICSIM_SAT_OP_STATS);
    if (code)
        return code;
    for (unsigned i = 0; i < 4; i++)
        fw_resp(h, i, fw_rd(h, NICSIM_REG(SAT, DATA0) + 4u * i));
    return NICSIM_MBOX_CODE_OK;
}

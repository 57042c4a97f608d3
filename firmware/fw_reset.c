/* fw_reset.c - RESET: every SA of both directions freed, every key RAM slot zeroed, all
 * sequence state and per-SA counters cleared, in one SAT operation. Packets in flight finish
 * as for a DELETE; the driver restores its SAs from its shadow table afterwards.
 */
#include "fw_priv.h"

uint32_t fw_cmd_reset(const struct fw_hal *h)
{
    return fw_sat_op(h, NICSIM_SAT_OP_RESET);
}

/* fw_mailbox.c - mailbox command dispatch: MBOX.CMD selects a handler from a table; after any
 * command, valid or not, the key registers are scrubbed so key material never lingers in the
 * mailbox. Cost: 1 read of CMD + the handler's accesses + 9 key writes.
 */
#include "fw.h"
#include "fw_priv.h"

struct fw_cmd {
    uint32_t code;   /* enum nicsim_mbox_cmd */
    fw_cmd_fn fn;
};

static const struct fw_cmd fw_cmds[] = {
    {NICSIM_MBOX_CMD_NOP, fw_cmd_nop},
    {NICSIM_MBOX_CMD_GET_INFO, fw_cmd_get_info},
    {NICSIM_MBOX_CMD_SA_ADD, fw_cmd_sa_add},
    {NICSIM_MBOX_CMD_SA_DELETE, fw_cmd_sa_delete},
    {NICSIM_MBOX_CMD_SA_FREE, fw_cmd_sa_free},
    {NICSIM_MBOX_CMD_ESN_ADVANCE, fw_cmd_esn_advance},
    {NICSIM_MBOX_CMD_STATS_QUERY, fw_cmd_stats_query},
    {NICSIM_MBOX_CMD_RESET, fw_cmd_reset},
};

/* Every command regs.def defines has exactly one row above. */
#define FW_COUNT_CMD(n, c, d) +1
_Static_assert(sizeof(fw_cmds) / sizeof(fw_cmds[0]) == 0 NICSIM_MBOX_CMDS(FW_COUNT_CMD),
               "one handler per NICSIM_MBOX_CMDS entry");
#undef FW_COUNT_CMD

static void scrub_keys(const struct fw_hal *h)
{
    for (uint32_t i = 0; i <= NICSIM_MBOX_KEY8 - NICSIM_MBOX_KEY0; i++)
        fw_wr(h, NICSIM_REG(MBOX, KEY0) + 4u * i, 0);
}

uint32_t fw_mailbox_service(const struct fw_hal *h)
{
    uint32_t cmd = fw_rd(h, NICSIM_REG(MBOX, CMD));
    uint32_t code = NICSIM_MBOX_CODE_EBADCMD;
    for (unsigned i = 0; i < sizeof(fw_cmds) / sizeof(fw_cmds[0]); i++)
        if (fw_cmds[i].code == cmd) {
            code = fw_cmds[i].fn(h);
            break;
        }
    scrub_keys(h);
    return code;
}

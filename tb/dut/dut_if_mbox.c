/* dut_if_mbox.c - the control commands of the DUT interface as a driver sends them: mailbox
 * commands to the card's firmware over any bus backend (contract in dut_if.h). The C model and
 * the RTL DUTs both use it, so a pair sends both sides the very same register writes. */
#include <errno.h>
#include <string.h>

#include "dut_if.h"
#include "nd_mbox.h"
#include "nicsim/regs.h"

#define MBOX_TIMEOUT 1000000u /* device cycles for one command */

static int exec(struct nd_bus *bus, uint32_t cmd, const uint32_t *arg, unsigned nargs,
                const uint8_t *key, size_t key_len, uint32_t resp[4])
{
    struct nd_mbox_req req = {.cmd = cmd, .nargs = nargs, .key = key, .key_len = key_len};
    memcpy(req.arg, arg, nargs * sizeof(uint32_t));
    return nd_mbox_exec(bus, &req, resp, MBOX_TIMEOUT, NULL);
}

/* SA_ADD in the argument layout of host-driver/nd_mbox.h. */
static int sa_add(struct nd_bus *bus, const struct nic_sa *sa)
{
    uint32_t a[ND_MBOX_NARGS] = {0}, resp[4] = {0};
    a[0] = sa->dir;
    a[1] = (uint32_t)sa->mode << NICSIM_SAT_CFG_MODE_LSB |
           (uint32_t)sa->offload << NICSIM_SAT_CFG_OFFLOAD_LSB |
           (uint32_t)sa->esn << NICSIM_SAT_CFG_ESN_LSB |
           (uint32_t)sa->v6 << NICSIM_SAT_CFG_V6_LSB |
           (uint32_t)sa->icv_len << NICSIM_SAT_CFG_ICV_LEN_LSB |
           (uint32_t)sa->keymat_len << NICSIM_SAT_CFG_KEYMAT_LEN_LSB;
    a[2] = sa->spi;
    nd_mbox_addr_words(sa->dir == NIC_SA_IN ? sa->daddr : sa->tun_src, sa->v6 ? 16 : 4, a + 3);
    nd_mbox_addr_words(sa->tun_dst, sa->v6 ? 16 : 4, a + 7);
    a[11] = sa->replay_window;
    a[12] = (uint32_t)sa->seq;
    a[13] = (uint32_t)(sa->seq >> 32);
    int rc = exec(bus, NICSIM_MBOX_CMD_SA_ADD, a, ND_MBOX_NARGS, sa->keymat, sa->keymat_len, resp);
    return rc ? rc : (int)resp[0];
}

int dut_if_control(struct nd_bus *bus, const struct dut_cmd *c)
{
    uint32_t a[4] = {0};
    switch (c->kind) {
    case DUT_SA_ADD:
        return sa_add(bus, c->sa);
    case DUT_SA_DEL: {
        a[0] = (uint32_t)c->dir;
        a[1] = (uint32_t)c->handle;
        int rc = exec(bus, NICSIM_MBOX_CMD_SA_DELETE, a, 2, NULL, 0, NULL);
        return rc ? rc : exec(bus, NICSIM_MBOX_CMD_SA_FREE, a, 2, NULL, 0, NULL);
    }
    case DUT_ESN:
        a[0] = NIC_SA_IN;
        a[1] = (uint32_t)c->handle;
        a[2] = c->hi;
        a[3] = c->bottom;
        return exec(bus, NICSIM_MBOX_CMD_ESN_ADVANCE, a, 4, NULL, 0, NULL);
    default:
        return -EINVAL;
    }
}

int dut_if_mbox_reset(struct nd_bus *bus)
{
    uint32_t none[1] = {0};
    return exec(bus, NICSIM_MBOX_CMD_RESET, none, 0, NULL, 0, NULL);
}

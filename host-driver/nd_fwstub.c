/* nd_fwstub.c - firmware stand-in for the model backend (nd_fwstub.h). */
#include "nd_fwstub.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "nd_regs.h"

#define FWSTUB_VERSION 0x00000001u /* GET_INFO RESP0: marks the stand-in                     */

enum slot_state { SLOT_FREE = 0, SLOT_LIVE = 1, SLOT_DELETED = 2 };

struct nd_fwstub {
    struct nicsim_params p;
    uint32_t caps;
    uint32_t scratch;
    uint32_t mbox[NICSIM_MBOX_NREGS]; /* CMD, ARGs and KEYs as written; STATUS, RESPs below */
    uint32_t status, resp[4];
    int pending;
    uint8_t *state[2];                /* per direction (NIC_SA_IN, NIC_SA_OUT), per handle   */
    uint32_t entries[2];
    uint32_t in_use[2];
    struct nic_event ev;              /* the event shown in EVT.POP                           */
    int ev_valid;
};

struct nd_fwstub *nd_fwstub_create(const struct nicsim_params *p, uint32_t caps_clear)
{
    struct nd_fwstub *s = calloc(1, sizeof(*s));
    if (!s)
        return NULL;
    s->p = *p;
    s->caps = (uint32_t)ND_TOP_RESET_CAPS & ~caps_clear;
    s->entries[NIC_SA_IN] = p->rx_sa_entries;
    s->entries[NIC_SA_OUT] = p->tx_sa_entries;
    s->state[0] = calloc(p->rx_sa_entries, 1);
    s->state[1] = calloc(p->tx_sa_entries, 1);
    if (!s->state[0] || !s->state[1]) {
        nd_fwstub_destroy(s);
        return NULL;
    }
    return s;
}

void nd_fwstub_destroy(struct nd_fwstub *s)
{
    if (!s)
        return;
    free(s->state[0]);
    free(s->state[1]);
    free(s);
}

void nd_fwstub_reset(struct nd_fwstub *s)
{
    memset(s->mbox, 0, sizeof(s->mbox));
    s->status = s->pending = s->ev_valid = 0;
    s->scratch = 0;
    memset(s->resp, 0, sizeof(s->resp));
    for (int d = 0; d < 2; d++) {
        memset(s->state[d], 0, s->entries[d]);
        s->in_use[d] = 0;
    }
}

/* Unsigned distance: also right for a block at offset 0. */
static bool in_block(uint32_t off, uint32_t base, uint32_t nregs)
{
    return off - base < 4u * nregs;
}

bool nd_fwstub_owns(uint32_t off)
{
    return in_block(off, NICSIM_TOP_BASE, NICSIM_TOP_NREGS) ||
           in_block(off, NICSIM_MBOX_BASE, NICSIM_MBOX_NREGS) ||
           in_block(off, NICSIM_EVT_BASE, NICSIM_EVT_NREGS);
}

static void evt_fill(struct nd_fwstub *s, struct nic *n)
{
    if (!s->ev_valid)
        s->ev_valid = nic_poll_event(n, &s->ev);
}

uint32_t nd_fwstub_read(struct nd_fwstub *s, struct nic *n, uint32_t off)
{
    switch (off) {
    case ND_TOP(ID):
        return ND_DEVICE_ID;
    case ND_TOP(VERSION):
        return (uint32_t)ND_TOP_RESET_VERSION;
    case ND_TOP(CAPS):
        return s->caps;
    case ND_TOP(RX_SA_MAX):
        return s->p.rx_sa_entries;
    case ND_TOP(TX_SA_MAX):
        return s->p.tx_sa_entries;
    case ND_TOP(ENGINES):
        return s->p.engines;
    case ND_TOP(CLOCK_MHZ):
        return s->p.clock_mhz;
    case ND_TOP(SCRATCH):
        return s->scratch;
    case ND_TOP(WINDOW_MAX):
        return s->p.max_replay_window;
    case ND_MBOX(STATUS):
        return s->status;
    case ND_MBOX(RESP0):
    case ND_MBOX(RESP1):
    case ND_MBOX(RESP2):
    case ND_MBOX(RESP3):
        return s->resp[(off - ND_MBOX(RESP0)) / 4];
    case ND_EVT(CAUSE):
        evt_fill(s, n);
        return s->ev_valid ? (uint32_t)NICSIM_EVT_CAUSE_PENDING_MASK : 0u;
    case ND_EVT(POP): {
        evt_fill(s, n);
        if (!s->ev_valid)
            return 0;
        s->ev_valid = 0;
        return (uint32_t)s->ev.type | (uint32_t)s->ev.dir << 8 | (uint32_t)s->ev.handle << 16;
    }
    case ND_EVT(LOST):
        return 0;
    default:
        break;
    }
    if (off >= ND_MBOX(KEY0) && off <= ND_MBOX(KEY8))
        return 0; /* write-only */
    if (in_block(off, NICSIM_MBOX_BASE, NICSIM_MBOX_NREGS))
        return s->mbox[(off - NICSIM_MBOX_BASE) / 4];
    return 0;
}

void nd_fwstub_write(struct nd_fwstub *s, struct nic *n, uint32_t off, uint32_t val)
{
    (void)n;
    if (off == ND_TOP(SCRATCH)) {
        s->scratch = val;
        return;
    }
    if (off == ND_MBOX(DOORBELL)) {
        if (val & 1u && !(s->status & NICSIM_MBOX_STATUS_BUSY_MASK)) {
            s->status = NICSIM_MBOX_STATUS_BUSY_MASK; /* DONE clears on the next doorbell */
            s->pending = 1;
        }
        return;
    }
    if (in_block(off, NICSIM_MBOX_BASE, NICSIM_MBOX_NREGS) &&
        !(s->status & NICSIM_MBOX_STATUS_BUSY_MASK))
        s->mbox[(off - NICSIM_MBOX_BASE) / 4] = val;
}

static uint32_t arg(const struct nd_fwstub *s, unsigned i)
{
    return s->mbox[NICSIM_MBOX_ARG0 + i];
}

static void words_to_addr(const uint32_t *w, uint8_t out[16])
{
    for (unsigned i = 0; i < 16; i++)
        out[i] = (uint8_t)(w[i / 4] >> (24 - 8 * (i % 4)));
}

static uint32_t code_of(int rc)
{
    switch (rc) {
    case 0:
        return NICSIM_MBOX_CODE_OK;
    case -ENOSPC:
        return NICSIM_MBOX_CODE_ENOSPC;
    case -EEXIST:
        return NICSIM_MBOX_CODE_EEXIST;
    case -ENOENT:
        return NICSIM_MBOX_CODE_ENOENT;
    case -EBUSY:
        return NICSIM_MBOX_CODE_EBUSY;
    case -EOPNOTSUPP:
        return NICSIM_MBOX_CODE_EOPNOTSUPP;
    default:
        return NICSIM_MBOX_CODE_EINVAL;
    }
}

static uint32_t cap_check(const struct nd_fwstub *s, const struct nic_sa *sa)
{
    if ((sa->esn && !(s->caps & ND_CAP(ESN))) || (sa->v6 && !(s->caps & ND_CAP(IPV6))) ||
        (sa->mode && !(s->caps & ND_CAP(TUNNEL))) ||
        (sa->keymat_len > 20 && !(s->caps & ND_CAP(AES_192_256))) ||
        (sa->offload == NIC_OFFLOAD_PACKET && !(s->caps & ND_CAP(PACKET_OFFLOAD))) ||
        (sa->offload == NIC_OFFLOAD_CRYPTO && !(s->caps & ND_CAP(CRYPTO_OFFLOAD))))
        return NICSIM_MBOX_CODE_EOPNOTSUPP;
    return NICSIM_MBOX_CODE_OK;
}

static uint32_t sa_add(struct nd_fwstub *s, struct nic *n)
{
    struct nic_sa sa;
    memset(&sa, 0, sizeof(sa));
    uint32_t cfg = arg(s, 1), w[8];
    sa.dir = (uint8_t)arg(s, 0);
    sa.mode = (uint8_t)ND_FIELD_GET(SAT, CFG, MODE, cfg);
    sa.offload = (uint8_t)ND_FIELD_GET(SAT, CFG, OFFLOAD, cfg);
    sa.esn = ND_FIELD_GET(SAT, CFG, ESN, cfg) != 0;
    sa.v6 = ND_FIELD_GET(SAT, CFG, V6, cfg) != 0;
    sa.icv_len = (uint8_t)ND_FIELD_GET(SAT, CFG, ICV_LEN, cfg);
    sa.keymat_len = (uint8_t)ND_FIELD_GET(SAT, CFG, KEYMAT_LEN, cfg);
    sa.spi = arg(s, 2);
    for (unsigned i = 0; i < 8; i++)
        w[i] = arg(s, 3 + i);
    if (sa.dir == NIC_SA_IN)
        words_to_addr(w, sa.daddr);
    else {
        words_to_addr(w, sa.tun_src);
        words_to_addr(w + 4, sa.tun_dst);
    }
    sa.replay_window = arg(s, 11);
    sa.seq = (uint64_t)arg(s, 13) << 32 | arg(s, 12);
    sa.soft_packets = arg(s, 14);
    sa.hard_packets = arg(s, 15);
    sa.soft_bytes = (uint64_t)s->mbox[NICSIM_MBOX_ARG16] * 1024;
    sa.hard_bytes = (uint64_t)s->mbox[NICSIM_MBOX_ARG17] * 1024;
    if (sa.dir > NIC_SA_OUT || sa.keymat_len > sizeof(sa.keymat))
        return NICSIM_MBOX_CODE_EINVAL;
    for (unsigned i = 0; i < sa.keymat_len; i++)
        sa.keymat[i] = (uint8_t)(s->mbox[NICSIM_MBOX_KEY0 + i / 4] >> (24 - 8 * (i % 4)));
    uint32_t c = cap_check(s, &sa);
    int h = c ? -1 : nic_sa_add(n, &sa);
    memset(sa.keymat, 0, sizeof(sa.keymat));
    memset(&s->mbox[NICSIM_MBOX_KEY0], 0, 9 * sizeof(uint32_t));
    if (c)
        return c;
    if (h < 0)
        return code_of(h);
    s->state[sa.dir][h] = SLOT_LIVE;
    s->in_use[sa.dir]++;
    s->resp[0] = (uint32_t)h;
    return NICSIM_MBOX_CODE_OK;
}

static uint32_t sa_op(struct nd_fwstub *s, struct nic *n, uint32_t cmd)
{
    uint32_t dir = arg(s, 0), h = arg(s, 1);
    if (dir > NIC_SA_OUT || h >= s->entries[dir])
        return NICSIM_MBOX_CODE_ENOENT;
    uint8_t *st = &s->state[dir][h];
    switch (cmd) {
    case NICSIM_MBOX_CMD_SA_DELETE:
        if (*st != SLOT_LIVE)
            return NICSIM_MBOX_CODE_ENOENT;
        nic_sa_unlink(n, (enum nic_sa_dir)dir, (int)h);
        *st = SLOT_DELETED;
        return NICSIM_MBOX_CODE_OK;
    case NICSIM_MBOX_CMD_SA_FREE:
        if (*st == SLOT_LIVE)
            return NICSIM_MBOX_CODE_EBUSY;
        if (*st != SLOT_DELETED)
            return NICSIM_MBOX_CODE_ENOENT;
        nic_sa_release(n, (enum nic_sa_dir)dir, (int)h);
        *st = SLOT_FREE;
        s->in_use[dir]--;
        return NICSIM_MBOX_CODE_OK;
    case NICSIM_MBOX_CMD_ESN_ADVANCE:
        if (*st != SLOT_LIVE)
            return NICSIM_MBOX_CODE_ENOENT;
        return code_of(nic_sa_advance_esn(n, (int)h, arg(s, 2), arg(s, 3)));
    default: { /* STATS_QUERY */
        uint64_t pk = 0, by = 0;
        if (*st != SLOT_LIVE || nic_sa_stats(n, (enum nic_sa_dir)dir, (int)h, &pk, &by))
            return NICSIM_MBOX_CODE_ENOENT;
        s->resp[0] = (uint32_t)pk;
        s->resp[1] = (uint32_t)(pk >> 32);
        s->resp[2] = (uint32_t)by;
        s->resp[3] = (uint32_t)(by >> 32);
        return NICSIM_MBOX_CODE_OK;
    }
    }
}

static uint32_t reset_all(struct nd_fwstub *s, struct nic *n)
{
    for (unsigned d = 0; d < 2; d++)
        for (uint32_t h = 0; h < s->entries[d]; h++)
            if (s->state[d][h] != SLOT_FREE) {
                if (s->state[d][h] == SLOT_LIVE)
                    nic_sa_unlink(n, (enum nic_sa_dir)d, (int)h);
                nic_sa_release(n, (enum nic_sa_dir)d, (int)h);
                s->state[d][h] = SLOT_FREE;
            }
    s->in_use[0] = s->in_use[1] = 0;
    return NICSIM_MBOX_CODE_OK;
}

bool nd_fwstub_step(struct nd_fwstub *s, struct nic *n)
{
    if (!s->pending)
        return false;
    s->pending = 0;
    memset(s->resp, 0, sizeof(s->resp));
    uint32_t code;
    switch (s->mbox[NICSIM_MBOX_CMD]) {
    case NICSIM_MBOX_CMD_NOP:
        code = NICSIM_MBOX_CODE_OK;
        break;
    case NICSIM_MBOX_CMD_GET_INFO:
        s->resp[0] = FWSTUB_VERSION;
        s->resp[1] = s->in_use[NIC_SA_IN];
        s->resp[2] = s->in_use[NIC_SA_OUT];
        s->resp[3] = s->caps;
        code = NICSIM_MBOX_CODE_OK;
        break;
    case NICSIM_MBOX_CMD_SA_ADD:
        code = sa_add(s, n);
        break;
    case NICSIM_MBOX_CMD_SA_DELETE:
    case NICSIM_MBOX_CMD_SA_FREE:
    case NICSIM_MBOX_CMD_ESN_ADVANCE:
    case NICSIM_MBOX_CMD_STATS_QUERY:
        code = sa_op(s, n, s->mbox[NICSIM_MBOX_CMD]);
        break;
    case NICSIM_MBOX_CMD_RESET:
        code = reset_all(s, n);
        break;
    default:
        code = NICSIM_MBOX_CODE_EBADCMD;
        break;
    }
    s->status = NICSIM_MBOX_STATUS_DONE_MASK | code << NICSIM_MBOX_STATUS_CODE_LSB;
    return true;
}

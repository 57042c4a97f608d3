/* fw_sa_add.c - SA_ADD: validate every field of the request, then program the SAT port.
 *
 * Arguments (docs/mailbox.md): ARG0 dir, ARG1 cfg (SAT.CFG layout), ARG2 SPI, ARG3..ARG10
 * addresses (SAT.ADDR0..7), ARG11 replay window, ARG12/13 sequence number low/high, ARG14/15
 * soft/hard packet limit, ARG16/17 soft/hard KiB limit, KEY0..8 key material. RESP0 = handle.
 *
 * Checks, in order (the first failure is the answer):
 *   EINVAL      dir not 0/1; reserved CFG bits; ICV not 8/12/16; key material not 20/28/36;
 *               SPI 0; IPv4 address with bits in the unused words; packet-offload RX window
 *               not 0 or a multiple of 32 up to TOP.WINDOW_MAX; sequence number beyond 32 bits
 *               without ESN; soft limit above a hard limit.
 *   EOPNOTSUPP  the SA needs a capability TOP.CAPS lacks (offload type, ESN, IPv6, tunnel,
 *               AES-192/256): the stack falls back to software.
 *   ENOSPC / EEXIST from the table (SAT.RESULT).
 * Cost: 65 to 70 CSR accesses with the dispatch (18 argument reads, 5..9 key reads, 27 SAT
 * writes, TOP and result reads, 9 key scrubs).
 */
#include "fw_priv.h"

#define CFG_KNOWN                                                                              \
    ((uint32_t)(NICSIM_SAT_CFG_MODE_MASK | NICSIM_SAT_CFG_OFFLOAD_MASK | NICSIM_SAT_CFG_ESN_MASK | \
                NICSIM_SAT_CFG_V6_MASK | NICSIM_SAT_CFG_ICV_LEN_MASK |                          \
                NICSIM_SAT_CFG_KEYMAT_LEN_MASK))

#define NADDR 8u   /* SAT.ADDR0..7 = ARG3..ARG10 */
#define NKEY 9u    /* SAT.KEY0..8 = MBOX.KEY0..8 */

struct sa_req {
    uint32_t dir, cfg, spi, addr[NADDR], window, seq_lo, seq_hi, life[4];
    uint32_t mode, offload, esn, v6, icv, keymat;
};

static void read_req(const struct fw_hal *h, struct sa_req *r)
{
    r->dir = fw_arg(h, 0);
    r->cfg = fw_arg(h, 1);
    r->spi = fw_arg(h, 2);
    for (unsigned i = 0; i < NADDR; i++)
        r->addr[i] = fw_arg(h, 3 + i);
    r->window = fw_arg(h, 11);
    r->seq_lo = fw_arg(h, 12);
    r->seq_hi = fw_arg(h, 13);
    for (unsigned i = 0; i < 4; i++)
        r->life[i] = fw_arg(h, 14 + i); /* soft pkts, hard pkts, soft KiB, hard KiB */
    r->mode = fw_field(r->cfg, NICSIM_SAT_CFG_MODE_LSB, NICSIM_SAT_CFG_MODE_WIDTH);
    r->offload = fw_field(r->cfg, NICSIM_SAT_CFG_OFFLOAD_LSB, NICSIM_SAT_CFG_OFFLOAD_WIDTH);
    r->esn = fw_field(r->cfg, NICSIM_SAT_CFG_ESN_LSB, NICSIM_SAT_CFG_ESN_WIDTH);
    r->v6 = fw_field(r->cfg, NICSIM_SAT_CFG_V6_LSB, NICSIM_SAT_CFG_V6_WIDTH);
    r->icv = fw_field(r->cfg, NICSIM_SAT_CFG_ICV_LEN_LSB, NICSIM_SAT_CFG_ICV_LEN_WIDTH);
    r->keymat = fw_field(r->cfg, NICSIM_SAT_CFG_KEYMAT_LEN_LSB, NICSIM_SAT_CFG_KEYMAT_LEN_WIDTH);
}

/* An IPv4 address is one word; the other three words of its slot must be zero, so that a
 * driver bug that passes an IPv6 address with v6 = 0 is caught rather than truncated. */
static bool v4_slot_clean(const uint32_t *a)
{
    return (a[1] | a[2] | a[3]) == 0;
}

static bool addrs_ok(const struct sa_req *r)
{
    if (r->v6)
        return true;
    if (r->dir == 0)
        return v4_slot_clean(&r->addr[0]);
    if (r->mode == 1)
        return v4_slot_clean(&r->addr[0]) && v4_slot_clean(&r->addr[4]);
    return true; /* TX transport: the addresses are not used */
}

static bool limit_ok(uint32_t soft, uint32_t hard)
{
    return !soft || !hard || soft <= hard;
}

static uint32_t check_fields(const struct fw_hal *h, const struct sa_req *r)
{
    if (r->dir > 1 || (r->cfg & ~CFG_KNOWN) || r->spi == 0)
        return NICSIM_MBOX_CODE_EINVAL;
    if (r->icv != 8 && r->icv != 12 && r->icv != 16)
        return NICSIM_MBOX_CODE_EINVAL;
    if (r->keymat != 20 && r->keymat != 28 && r->keymat != 36)
        return NICSIM_MBOX_CODE_EINVAL;
    if (!addrs_ok(r) || (!r->esn && r->seq_hi) || !limit_ok(r->life[0], r->life[1]) ||
        !limit_ok(r->life[2], r->life[3]))
        return NICSIM_MBOX_CODE_EINVAL;
    /* The device checks replay only for packet-offload RX SAs; a crypto-offload window is the
     * stack's business (the card keeps it only to place the ESN window bottom). */
    if (r->dir == 0 && r->offload == 1 && r->window &&
        (r->window % 32 || r->window > fw_rd(h, NICSIM_REG(TOP, WINDOW_MAX))))
        return NICSIM_MBOX_CODE_EINVAL;
    if (r->dir == 0 && r->offload == 0 && r->window > 0x80000000u)
        return NICSIM_MBOX_CODE_EINVAL;
    return NICSIM_MBOX_CODE_OK;
}

static uint32_t check_caps(const struct fw_hal *h, const struct sa_req *r)
{
    uint32_t caps = fw_rd(h, NICSIM_REG(TOP, CAPS));
    bool v6_used = r->v6 && (r->dir == 0 || r->mode == 1);
    bool need[] = {
        [NICSIM_TOP_CAPS_CRYPTO_OFFLOAD_LSB] = r->offload == 0,
        [NICSIM_TOP_CAPS_PACKET_OFFLOAD_LSB] = r->offload == 1,
        [NICSIM_TOP_CAPS_ESN_LSB] = r->esn != 0,
        [NICSIM_TOP_CAPS_IPV6_LSB] = v6_used,
        [NICSIM_TOP_CAPS_TUNNEL_LSB] = r->mode == 1,
        [NICSIM_TOP_CAPS_AES_192_256_LSB] = r->keymat != 20,
    };
    for (unsigned b = 0; b < sizeof(need) / sizeof(need[0]); b++)
        if (need[b] && !fw_field(caps, b, 1))
            return NICSIM_MBOX_CODE_EOPNOTSUPP;
    return NICSIM_MBOX_CODE_OK;
}

static void program(const struct fw_hal *h, const struct sa_req *r)
{
    fw_wr(h, NICSIM_REG(SAT, DIR), r->dir);
    fw_wr(h, NICSIM_REG(SAT, CFG), r->cfg);
    fw_wr(h, NICSIM_REG(SAT, SPI), r->spi);
    for (unsigned i = 0; i < NADDR; i++)
        fw_wr(h, NICSIM_REG(SAT, ADDR0) + 4u * i, r->addr[i]);
    fw_wr(h, NICSIM_REG(SAT, WINDOW), r->window);
    fw_wr(h, NICSIM_REG(SAT, SEQ_LO), r->seq_lo);
    fw_wr(h, NICSIM_REG(SAT, SEQ_HI), r->seq_hi);
    for (unsigned i = 0; i < 4; i++)
        fw_wr(h, NICSIM_REG(SAT, LIFE_SOFT_PKTS) + 4u * i, r->life[i]);
    /* Key words go straight from mailbox to SAT (no copy kept in firmware memory); words
     * beyond the key length are written as 0 so no stale key of an earlier SA can mix in. */
    for (unsigned i = 0; i < NKEY; i++) {
        uint32_t w = i < r->keymat / 4 ? fw_rd(h, NICSIM_REG(MBOX, KEY0) + 4u * i) : 0;
        fw_wr(h, NICSIM_REG(SAT, KEY0) + 4u * i, w);
    }
}

uint32_t fw_cmd_sa_add(const struct fw_hal *h)
{
    struct sa_req r;
    read_req(h, &r);
    uint32_t code = check_fields(h, &r);
    if (!code)
        code = check_caps(h, &r);
    if (code)
        return code;
    program(h, &r);
    code = fw_sat_op(h, NICSIM_SAT_OP_ADD);
    if (!code)
        fw_resp(h, 0, fw_rd(h, NICSIM_REG(SAT, INDEX)));
    return code;
}

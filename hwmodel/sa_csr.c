/* sa_csr.c - the SAT port and the SA table operations (contract in sa_csr.h). */
#include "sa_csr.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* SAT.RESULT carries minus a mailbox code; the codes are the Linux errno values. */
_Static_assert(NICSIM_MBOX_CODE_EINVAL == EINVAL && NICSIM_MBOX_CODE_ENOSPC == ENOSPC &&
                   NICSIM_MBOX_CODE_EEXIST == EEXIST && NICSIM_MBOX_CODE_ENOENT == ENOENT &&
                   NICSIM_MBOX_CODE_EBUSY == EBUSY && NICSIM_MBOX_CODE_EOPNOTSUPP == EOPNOTSUPP,
               "mailbox codes are errno values");

#define NKEY (NICSIM_SAT_KEY8 - NICSIM_SAT_KEY0 + 1)

static uint32_t cap(const struct sa_csr *s, enum nic_sa_dir dir)
{
    return dir == NIC_SA_OUT ? s->ctx->p.tx_sa_entries : s->ctx->p.rx_sa_entries;
}

static uint32_t words(uint32_t n)
{
    return (n + 63) / 64;
}

int sa_csr_init(struct sa_csr *s, struct nic_ctx *ctx)
{
    memset(s, 0, sizeof(*s));
    s->ctx = ctx;
    for (int d = 0; d < 2; d++) {
        s->held[d] = calloc(words(cap(s, (enum nic_sa_dir)d)), sizeof(uint64_t));
        if (!s->held[d]) {
            sa_csr_destroy(s);
            return -ENOMEM;
        }
    }
    return 0;
}

void sa_csr_destroy(struct sa_csr *s)
{
    free(s->held[0]);
    free(s->held[1]);
    explicit_bzero(s->reg, sizeof(s->reg)); /* key words may still sit in the port */
    s->held[0] = s->held[1] = NULL;
}

/* ---- slot state -------------------------------------------------------------------------- */

static bool installed(const struct sa_csr *s, enum nic_sa_dir dir, uint32_t i)
{
    const struct sa_cam *c = &s->ctx->cam;
    return dir == NIC_SA_OUT ? sa_cam_tx_get(c, i) != NULL : sa_cam_rx_get(c, i) != NULL;
}

static bool is_held(const struct sa_csr *s, enum nic_sa_dir dir, uint32_t i)
{
    return i < cap(s, dir) && (s->held[dir][i / 64] >> (i % 64) & 1);
}

static void set_held(struct sa_csr *s, enum nic_sa_dir dir, uint32_t i, bool on)
{
    uint64_t bit = 1ull << (i % 64);
    if (on)
        s->held[dir][i / 64] |= bit;
    else
        s->held[dir][i / 64] &= ~bit;
    s->nheld[dir] = on ? s->nheld[dir] + 1 : s->nheld[dir] - 1;
}

/* Mark (on) or unmark the held indices in the CAM allocator of `dir`, so that an add skips
 * them. Unmarking keeps the allocator's invariant: no free index in words below `hint`. */
static void mask_held(struct sa_csr *s, enum nic_sa_dir dir, bool on)
{
    if (!s->nheld[dir])
        return;
    struct sa_cam_alloc *a = dir == NIC_SA_OUT ? &s->ctx->cam.tx_alloc : &s->ctx->cam.rx_alloc;
    for (uint32_t w = 0; w < words(cap(s, dir)); w++) {
        uint64_t h = s->held[dir][w];
        if (!h)
            continue;
        uint32_t n = (uint32_t)__builtin_popcountll(h);
        if (on) {
            a->used[w] |= h;
            a->count += n;
        } else {
            a->used[w] &= ~h;
            a->count -= n;
            if (w < a->hint)
                a->hint = w;
        }
    }
}

/* ---- ADD --------------------------------------------------------------------------------- */

static int sa_check(const struct nic_sa *sa)
{
    if (sa->dir > NIC_SA_OUT || sa->mode > NIC_SA_TUNNEL || sa->offload > NIC_OFFLOAD_PACKET ||
        (sa->icv_len != 8 && sa->icv_len != 12 && sa->icv_len != 16) ||
        (sa->keymat_len != 20 && sa->keymat_len != 28 && sa->keymat_len != 36) || sa->spi == 0)
        return -EINVAL;
    if (!sa->esn && sa->seq > 0xffffffffull)
        return -EINVAL;
    return 0;
}

static void set_limits(struct sa_counters *sc, const struct nic_sa *sa)
{
    memset(sc, 0, sizeof(*sc));
    sc->soft_bytes = sa->soft_bytes;
    sc->hard_bytes = sa->hard_bytes;
    sc->soft_packets = sa->soft_packets;
    sc->hard_packets = sa->hard_packets;
}

/* Undo a half-done add: the slot goes straight back to FREE. */
static void unwind(struct sa_csr *s, enum nic_sa_dir dir, int idx)
{
    sa_csr_delete(s, dir, idx);
    sa_csr_free_slot(s, dir, idx);
}

static int add_tx(struct sa_csr *s, const struct nic_sa *sa, const struct sa_cam_cfg *cfg)
{
    struct nic_ctx *c = s->ctx;
    struct sa_cam_tx_entry e = {.spi = sa->spi, .cfg = *cfg};
    memcpy(e.outer_saddr, sa->tun_src, 16);
    memcpy(e.outer_daddr, sa->tun_dst, 16);
    int idx = sa_cam_tx_add(&c->cam, &e);
    if (idx < 0)
        return idx;
    if (key_ram_write(c->kr_tx, (uint32_t)idx, sa->keymat, sa->keymat_len) ||
        esn_sa_tx(&c->esn_tx, (uint32_t)idx, sa->esn)) {
        unwind(s, NIC_SA_OUT, idx);
        return -EINVAL;
    }
    /* the counter is loaded: the next packet gets seq + 1 */
    esn_tx_set(&c->esn_tx, (uint32_t)idx, sa->seq);
    return idx;
}

static int add_rx(struct sa_csr *s, const struct nic_sa *sa, struct sa_cam_cfg *cfg)
{
    struct nic_ctx *c = s->ctx;
    cfg->flags &= (uint8_t)~SA_CFG_OUTER_V6;
    struct sa_rx_key key = {.spi = sa->spi, .proto = SA_CAM_PROTO_ESP, .v6 = sa->v6};
    memcpy(key.daddr, sa->daddr, sa->v6 ? 16 : 4);
    int idx = sa_cam_rx_add(&c->cam, &key, cfg);
    if (idx < 0)
        return idx;
    uint32_t w = sa->replay_window ? sa->replay_window : c->p.replay_window;
    int erc = sa->offload == NIC_OFFLOAD_PACKET
                  ? esn_sa_rx_packet(&c->esn_rx, (uint32_t)idx, sa->esn, w)
                  : esn_sa_rx_crypto(&c->esn_rx, (uint32_t)idx, sa->esn, w);
    if (erc || key_ram_write(c->kr_rx, (uint32_t)idx, sa->keymat, sa->keymat_len)) {
        unwind(s, NIC_SA_IN, idx);
        return -EINVAL;
    }
    /* restore: seq is the highest SN software has seen (the window top) */
    if (sa->seq && sa->offload == NIC_OFFLOAD_PACKET) {
        esn_rx_set(&c->esn_rx, (uint32_t)idx, sa->seq);
    } else if (sa->seq && sa->esn) {
        uint64_t b = esn_bottom(sa->seq, w);
        esn_rx_advance(&c->esn_rx, (uint32_t)idx, (uint32_t)(b >> 32), (uint32_t)b);
    }
    return idx;
}

int sa_csr_add(struct sa_csr *s, const struct nic_sa *sa)
{
    int rc = sa_check(sa);
    if (rc)
        return rc;
    enum nic_sa_dir dir = sa->dir == NIC_SA_OUT ? NIC_SA_OUT : NIC_SA_IN;
    struct sa_cam_cfg cfg = {sa->mode, sa->offload, sa->icv_len,
                             (uint8_t)((sa->esn ? SA_CFG_ESN : 0) | (sa->v6 ? SA_CFG_OUTER_V6 : 0))};
    mask_held(s, dir, true);
    int idx = dir == NIC_SA_OUT ? add_tx(s, sa, &cfg) : add_rx(s, sa, &cfg);
    mask_held(s, dir, false);
    if (idx >= 0)
        set_limits(dir == NIC_SA_OUT ? &s->ctx->sa_tx[idx] : &s->ctx->sa_rx[idx], sa);
    return idx;
}

/* ---- DELETE, FREE, ESN, STATS, RESET, COUNT -------------------------------------------- */

int sa_csr_delete(struct sa_csr *s, enum nic_sa_dir dir, int idx)
{
    if (idx < 0 || (uint32_t)idx >= cap(s, dir) || !installed(s, dir, (uint32_t)idx))
        return -ENOENT;
    struct sa_cam *c = &s->ctx->cam;
    if (dir == NIC_SA_OUT)
        sa_cam_tx_del(c, (uint32_t)idx);
    else
        sa_cam_rx_del(c, (uint32_t)idx);
    set_held(s, dir, (uint32_t)idx, true);
    return 0;
}

int sa_csr_free_slot(struct sa_csr *s, enum nic_sa_dir dir, int idx)
{
    if (idx < 0 || (uint32_t)idx >= cap(s, dir))
        return -ENOENT;
    uint32_t i = (uint32_t)idx;
    if (installed(s, dir, i))
        return -EBUSY;
    if (!is_held(s, dir, i))
        return -ENOENT;
    struct nic_ctx *c = s->ctx;
    key_ram_free(dir == NIC_SA_OUT ? c->kr_tx : c->kr_rx, i);
    esn_sa_clear(dir == NIC_SA_OUT ? &c->esn_tx : &c->esn_rx, i);
    memset(dir == NIC_SA_OUT ? &c->sa_tx[i] : &c->sa_rx[i], 0, sizeof(struct sa_counters));
    set_held(s, dir, i, false);
    return 0;
}

int sa_csr_esn(struct sa_csr *s, int idx, uint32_t seq_hi, uint32_t bottom)
{
    if (idx < 0 || (uint32_t)idx >= cap(s, NIC_SA_IN) || !installed(s, NIC_SA_IN, (uint32_t)idx))
        return -ENOENT;
    return esn_rx_advance(&s->ctx->esn_rx, (uint32_t)idx, seq_hi, bottom);
}

int sa_csr_stats(const struct sa_csr *s, enum nic_sa_dir dir, int idx, uint64_t *packets,
                 uint64_t *bytes)
{
    if (idx < 0 || (uint32_t)idx >= cap(s, dir))
        return -ENOENT;
    uint32_t i = (uint32_t)idx;
    if (!installed(s, dir, i) && !is_held(s, dir, i))
        return -ENOENT;
    const struct sa_counters *sc = dir == NIC_SA_OUT ? &s->ctx->sa_tx[i] : &s->ctx->sa_rx[i];
    *packets = sc->packets;
    *bytes = sc->bytes;
    return 0;
}

void sa_csr_reset(struct sa_csr *s)
{
    struct nic_ctx *c = s->ctx;
    sa_cam_reset(&c->cam);
    esn_reset(&c->esn_tx);
    esn_reset(&c->esn_rx);
    for (uint32_t i = 0; i < c->p.tx_sa_entries; i++)
        key_ram_free(c->kr_tx, i);
    for (uint32_t i = 0; i < c->p.rx_sa_entries; i++)
        key_ram_free(c->kr_rx, i);
    memset(c->sa_tx, 0, c->p.tx_sa_entries * sizeof(*c->sa_tx));
    memset(c->sa_rx, 0, c->p.rx_sa_entries * sizeof(*c->sa_rx));
    for (int d = 0; d < 2; d++) {
        memset(s->held[d], 0, words(cap(s, (enum nic_sa_dir)d)) * sizeof(uint64_t));
        s->nheld[d] = 0;
    }
}

uint32_t sa_csr_count(const struct sa_csr *s, enum nic_sa_dir dir)
{
    const struct sa_cam *c = &s->ctx->cam;
    return (dir == NIC_SA_OUT ? sa_cam_tx_count(c) : sa_cam_rx_count(c)) + s->nheld[dir];
}

/* ---- the register port ------------------------------------------------------------------- */

static uint32_t field(uint32_t v, unsigned lsb, unsigned width)
{
    return (v >> lsb) & (uint32_t)((1ull << width) - 1);
}

static void be_words(uint8_t *dst, const uint32_t *w, unsigned nbytes)
{
    for (unsigned i = 0; i < nbytes; i++)
        dst[i] = (uint8_t)(w[i / 4] >> (24 - 8 * (i % 4)));
}

#define CFG_KNOWN                                                                              \
    ((uint32_t)(NICSIM_SAT_CFG_MODE_MASK | NICSIM_SAT_CFG_OFFLOAD_MASK | NICSIM_SAT_CFG_ESN_MASK | \
                NICSIM_SAT_CFG_V6_MASK | NICSIM_SAT_CFG_ICV_LEN_MASK |                          \
                NICSIM_SAT_CFG_KEYMAT_LEN_MASK))

/* SAT registers -> the request the backdoor API takes. -EINVAL for values no SA can have
 * (the rest is checked by sa_csr_add, as for the backdoor). */
static int decode(const uint32_t *r, struct nic_sa *sa)
{
    uint32_t cfg = r[NICSIM_SAT_CFG];
    memset(sa, 0, sizeof(*sa));
    if (r[NICSIM_SAT_DIR] > 1 || (cfg & ~CFG_KNOWN))
        return -EINVAL;
    sa->dir = (uint8_t)r[NICSIM_SAT_DIR];
    sa->mode = (uint8_t)field(cfg, NICSIM_SAT_CFG_MODE_LSB, NICSIM_SAT_CFG_MODE_WIDTH);
    sa->offload = (uint8_t)field(cfg, NICSIM_SAT_CFG_OFFLOAD_LSB, NICSIM_SAT_CFG_OFFLOAD_WIDTH);
    sa->esn = field(cfg, NICSIM_SAT_CFG_ESN_LSB, NICSIM_SAT_CFG_ESN_WIDTH) != 0;
    sa->v6 = field(cfg, NICSIM_SAT_CFG_V6_LSB, NICSIM_SAT_CFG_V6_WIDTH) != 0;
    sa->icv_len = (uint8_t)field(cfg, NICSIM_SAT_CFG_ICV_LEN_LSB, NICSIM_SAT_CFG_ICV_LEN_WIDTH);
    sa->keymat_len =
        (uint8_t)field(cfg, NICSIM_SAT_CFG_KEYMAT_LEN_LSB, NICSIM_SAT_CFG_KEYMAT_LEN_WIDTH);
    if (sa->keymat_len > sizeof(sa->keymat))
        return -EINVAL;
    sa->spi = r[NICSIM_SAT_SPI];
    be_words(sa->dir == NIC_SA_IN ? sa->daddr : sa->tun_src, &r[NICSIM_SAT_ADDR0], 16);
    be_words(sa->tun_dst, &r[NICSIM_SAT_ADDR4], 16);
    sa->replay_window = r[NICSIM_SAT_WINDOW];
    sa->seq = (uint64_t)r[NICSIM_SAT_SEQ_HI] << 32 | r[NICSIM_SAT_SEQ_LO];
    sa->soft_packets = r[NICSIM_SAT_LIFE_SOFT_PKTS];
    sa->hard_packets = r[NICSIM_SAT_LIFE_HARD_PKTS];
    sa->soft_bytes = (uint64_t)r[NICSIM_SAT_LIFE_SOFT_KB] * 1024;
    sa->hard_bytes = (uint64_t)r[NICSIM_SAT_LIFE_HARD_KB] * 1024;
    be_words(sa->keymat, &r[NICSIM_SAT_KEY0], sa->keymat_len);
    return 0;
}

static void put64(uint32_t *r, uint32_t reg, uint64_t v)
{
    r[reg] = (uint32_t)v;
    r[reg + 1] = (uint32_t)(v >> 32);
}

static int do_op(struct sa_csr *s, uint32_t op)
{
    uint32_t *r = s->reg;
    enum nic_sa_dir dir = r[NICSIM_SAT_DIR] ? NIC_SA_OUT : NIC_SA_IN;
    int idx = r[NICSIM_SAT_INDEX] > INT32_MAX ? -1 : (int)r[NICSIM_SAT_INDEX];
    if (op != NICSIM_SAT_OP_ADD && r[NICSIM_SAT_DIR] > 1)
        return -EINVAL;
    switch (op) {
    case NICSIM_SAT_OP_ADD: {
        struct nic_sa sa;
        int rc = decode(r, &sa);
        if (!rc)
            rc = sa_csr_add(s, &sa);
        explicit_bzero(&sa, sizeof(sa));
        if (rc >= 0)
            r[NICSIM_SAT_INDEX] = (uint32_t)rc;
        return rc < 0 ? rc : 0;
    }
    case NICSIM_SAT_OP_DELETE:
        return sa_csr_delete(s, dir, idx);
    case NICSIM_SAT_OP_FREE:
        return sa_csr_free_slot(s, dir, idx);
    case NICSIM_SAT_OP_ESN:
        return dir == NIC_SA_IN ? sa_csr_esn(s, idx, r[NICSIM_SAT_SEQ_HI], r[NICSIM_SAT_SEQ_LO])
                                : -EINVAL;
    case NICSIM_SAT_OP_STATS: {
        uint64_t pk = 0, by = 0;
        int rc = sa_csr_stats(s, dir, idx, &pk, &by);
        put64(r, NICSIM_SAT_DATA0, pk);
        put64(r, NICSIM_SAT_DATA2, by);
        return rc;
    }
    case NICSIM_SAT_OP_RESET:
        sa_csr_reset(s);
        return 0;
    case NICSIM_SAT_OP_COUNT:
        r[NICSIM_SAT_DATA0] = sa_csr_count(s, dir);
        return 0;
    default:
        return -EINVAL;
    }
}

uint32_t sa_csr_read(const struct sa_csr *s, uint32_t reg)
{
    if (reg >= NICSIM_SAT_NREGS || (reg >= NICSIM_SAT_KEY0 && reg <= NICSIM_SAT_KEY8))
        return 0;
    return s->reg[reg];
}

void sa_csr_write(struct sa_csr *s, uint32_t reg, uint32_t value)
{
    if (reg >= NICSIM_SAT_NREGS || reg == NICSIM_SAT_RESULT ||
        (reg >= NICSIM_SAT_DATA0 && reg <= NICSIM_SAT_DATA3))
        return;
    s->reg[reg] = value;
    if (reg != NICSIM_SAT_OP)
        return;
    s->reg[NICSIM_SAT_RESULT] = (uint32_t)do_op(s, value);
    /* key words live in the port for one operation only */
    explicit_bzero(&s->reg[NICSIM_SAT_KEY0], NKEY * sizeof(uint32_t));
}

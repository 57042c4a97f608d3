/* nd_sa.c - the shadow SA table of the device core and its mailbox commands (nd_dev.h).
 *
 * The shadow keeps everything needed to put an SA back on a card that lost it: configuration,
 * key material (the card's key RAM is write-only), and sequence state:
 *   TX packet offload  the card numbers packets; the driver cannot read its counter, so the
 *                      restore loads "SN at install + descriptors posted since", an upper bound
 *                      of the SNs used: SNs may be skipped, never reused (the IV is the SN).
 *   TX crypto offload  the personality numbers packets; the card keeps no TX sequence state.
 *   RX crypto offload  replay checking is software's; the restore loads software's window top
 *                      (nd_sa_set_rx_top) so the card's ESN inference resumes at once.
 *   RX packet offload  the card's window cannot be read back: it restarts from the top the
 *                      personality last set (0 if none) - see the report's open questions.
 * ESN advance: the card infers the SN high half from the window bottom software last sent;
 * sending every move would be a mailbox command per packet, so an update goes out when the
 * bottom enters another quarter of the 32-bit space (or epoch). A stale bottom B' <= B changes
 * the inference only for SNs in [B', B) (too old anyway) or more than 2^32 - 2^30 ahead.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "nd_priv.h"
#include "nd_regs.h"

#define ND_DRAIN_SLICE 4096u

int nd_sa_table_init(struct nd_dev *dev)
{
    dev->sa_cap = dev->info.rx_sa_max + dev->info.tx_sa_max;
    dev->sa = calloc(dev->sa_cap ? dev->sa_cap : 1, sizeof(*dev->sa));
    dev->rx_map = malloc((dev->info.rx_sa_max + 1) * sizeof(int));
    dev->tx_map = malloc((dev->info.tx_sa_max + 1) * sizeof(int));
    if (!dev->sa || !dev->rx_map || !dev->tx_map)
        return -ENOMEM;
    for (unsigned i = 0; i < dev->sa_cap; i++)
        dev->sa[i].hw = -1;
    for (uint32_t i = 0; i <= dev->info.rx_sa_max; i++)
        dev->rx_map[i] = -1;
    for (uint32_t i = 0; i <= dev->info.tx_sa_max; i++)
        dev->tx_map[i] = -1;
    return 0;
}

static void wipe(void *p, size_t n)
{
    volatile uint8_t *v = p; /* key material: not optimised away */
    while (n--)
        *v++ = 0;
}

void nd_sa_table_free(struct nd_dev *dev)
{
    if (dev->sa)
        wipe(dev->sa, dev->sa_cap * sizeof(*dev->sa));
    free(dev->sa);
    free(dev->rx_map);
    free(dev->tx_map);
    dev->sa = NULL;
    dev->rx_map = dev->tx_map = NULL;
}

struct nd_sa *nd_sa_get(struct nd_dev *dev, int sa)
{
    if (sa < 0 || (unsigned)sa >= dev->sa_cap || dev->sa[sa].state == ND_SA_FREE)
        return NULL;
    return &dev->sa[sa];
}

static int *map_of(const struct nd_dev *dev, unsigned dir)
{
    return dir == ND_SA_IN ? dev->rx_map : dev->tx_map;
}

static uint32_t max_of(const struct nd_dev *dev, unsigned dir)
{
    return dir == ND_SA_IN ? dev->info.rx_sa_max : dev->info.tx_sa_max;
}

int nd_sa_by_hw(const struct nd_dev *dev, unsigned dir, uint32_t hw)
{
    return hw < max_of(dev, dir) ? map_of(dev, dir)[hw] : -1;
}

static int check_cfg(const struct nd_dev *dev, const struct nd_sa_cfg *c)
{
    if (c->dir > ND_SA_OUT || c->tunnel > 1 || c->offload > ND_OFFLOAD_PACKET || !c->spi ||
        (c->icv_len != 8 && c->icv_len != 12 && c->icv_len != 16) ||
        (c->keymat_len != 20 && c->keymat_len != 28 && c->keymat_len != 36) ||
        (!c->esn && c->seq > 0xffffffffull))
        return -EINVAL;
    uint32_t caps = dev->info.caps;
    if ((c->offload == ND_OFFLOAD_CRYPTO && !(caps & ND_CAP(CRYPTO_OFFLOAD))) ||
        (c->offload == ND_OFFLOAD_PACKET && !(caps & ND_CAP(PACKET_OFFLOAD))) ||
        (c->esn && !(caps & ND_CAP(ESN))) || (c->v6 && !(caps & ND_CAP(IPV6))) ||
        (c->tunnel && !(caps & ND_CAP(TUNNEL))) ||
        (c->keymat_len > 20 && !(caps & ND_CAP(AES_192_256))))
        return -EOPNOTSUPP;
    return 0;
}

static uint32_t sat(uint64_t v)
{
    return v > 0xffffffffull ? 0xffffffffu : (uint32_t)v;
}

/* Put shadow entry `s` (slot `slot`) on the card: SA_ADD, then record the handle. */
static int install(struct nd_dev *dev, struct nd_sa *s, int slot)
{
    const struct nd_sa_cfg *c = &s->cfg;
    struct nd_mbox_req r = {.cmd = NICSIM_MBOX_CMD_SA_ADD, .nargs = ND_MBOX_NARGS,
                            .key = c->keymat, .key_len = c->keymat_len};
    r.arg[0] = c->dir;
    r.arg[1] = (uint32_t)c->tunnel << NICSIM_SAT_CFG_MODE_LSB |
               (uint32_t)c->offload << NICSIM_SAT_CFG_OFFLOAD_LSB |
               (uint32_t)c->esn << NICSIM_SAT_CFG_ESN_LSB |
               (uint32_t)c->v6 << NICSIM_SAT_CFG_V6_LSB |
               (uint32_t)c->icv_len << NICSIM_SAT_CFG_ICV_LEN_LSB | /* bytes: nd_mbox.h */
               (uint32_t)c->keymat_len << NICSIM_SAT_CFG_KEYMAT_LEN_LSB;
    r.arg[2] = c->spi;
    size_t alen = c->v6 ? 16 : 4;
    if (c->dir == ND_SA_IN)
        nd_mbox_addr_words(c->daddr, alen, &r.arg[3]);
    else if (c->tunnel) {
        nd_mbox_addr_words(c->tun_src, alen, &r.arg[3]);
        nd_mbox_addr_words(c->tun_dst, alen, &r.arg[7]);
    }
    r.arg[11] = c->replay_window;
    r.arg[12] = (uint32_t)c->seq;
    r.arg[13] = (uint32_t)(c->seq >> 32);
    r.arg[14] = sat(c->soft_packets);
    r.arg[15] = sat(c->hard_packets);
    r.arg[16] = sat((c->soft_bytes + 1023) / 1024);
    r.arg[17] = sat((c->hard_bytes + 1023) / 1024);
    uint32_t resp[4];
    int rc = nd_dev_mbox(dev, &r, resp);
    if (rc)
        return rc;
    if (resp[0] >= max_of(dev, c->dir)) {
        /* a handle outside the table the card announced: take it back, refuse */
        struct nd_mbox_req d = {.cmd = NICSIM_MBOX_CMD_SA_DELETE, .nargs = 2,
                                .arg = {c->dir, resp[0]}};
        nd_dev_mbox(dev, &d, NULL);
        d.cmd = NICSIM_MBOX_CMD_SA_FREE;
        nd_dev_mbox(dev, &d, NULL);
        return -EIO;
    }
    s->hw = (int)resp[0];
    map_of(dev, c->dir)[resp[0]] = slot;
    s->esn_sent_valid = false;
    return 0;
}

int nd_sa_add(struct nd_dev *dev, const struct nd_sa_cfg *cfg, void *owner)
{
    int rc = check_cfg(dev, cfg);
    if (rc)
        return rc;
    int slot = -1;
    for (unsigned i = 0; i < dev->sa_cap && slot < 0; i++)
        if (dev->sa[i].state == ND_SA_FREE)
            slot = (int)i;
    if (slot < 0)
        return -ENOSPC; /* the shadow is as large as the card's tables */
    struct nd_sa *s = &dev->sa[slot];
    uint32_t gen = s->gen;
    memset(s, 0, sizeof(*s));
    s->gen = gen;
    s->cfg = *cfg;
    s->hw = -1;
    s->rx_top = cfg->dir == ND_SA_IN ? cfg->seq : 0;
    rc = install(dev, s, slot);
    if (rc) {
        wipe(&s->cfg, sizeof(s->cfg));
        return rc;
    }
    s->state = ND_SA_LIVE;
    s->owner = owner;
    dev->sa_used++;
    return slot;
}

static int hw_cmd(struct nd_dev *dev, struct nd_sa *s, uint32_t cmd, uint32_t resp[4])
{
    struct nd_mbox_req r = {.cmd = cmd, .nargs = 2, .arg = {s->cfg.dir, (uint32_t)s->hw}};
    return nd_dev_mbox(dev, &r, resp);
}

static void clear_pending(struct nd_dev *dev, struct nd_sa *s)
{
    if (s->hw_delete_pending) {
        s->hw_delete_pending = false;
        dev->deletes_pending--;
    }
}

static int hw_delete(struct nd_dev *dev, struct nd_sa *s)
{
    clear_pending(dev, s);
    s->state = ND_SA_DEAD;
    if (s->hw < 0)
        return 0;
    int rc = hw_cmd(dev, s, NICSIM_MBOX_CMD_SA_DELETE, NULL);
    return rc == -ENOENT ? 0 : rc; /* the card already lost it (reset): nothing to stop */
}

int nd_sa_delete(struct nd_dev *dev, int sa)
{
    struct nd_sa *s = nd_sa_get(dev, sa);
    if (!s || s->state != ND_SA_LIVE)
        return -ENOENT;
    s->state = ND_SA_DYING;
    /* TX: the descriptors already posted name the SA; the card must keep it until they are
     * done or they would be dropped (NO_SA). Nothing new is posted from now on. */
    if (s->cfg.dir == ND_SA_OUT && s->tx_inflight) {
        s->hw_delete_pending = true;
        dev->deletes_pending++;
        return 0;
    }
    return hw_delete(dev, s);
}

void nd_sa_tx_done(struct nd_dev *dev, int sa, uint32_t gen)
{
    struct nd_sa *s = nd_sa_get(dev, sa);
    if (!s || s->gen != gen || !s->tx_inflight) {
        dev->st.tx_errors++; /* a completion for an SA that is gone: a driver bug */
        return;
    }
    s->tx_inflight--;
}

void nd_sa_finish_deletes(struct nd_dev *dev)
{
    for (unsigned i = 0; i < dev->sa_cap && dev->deletes_pending; i++) {
        struct nd_sa *s = &dev->sa[i];
        if (s->state == ND_SA_DYING && s->hw_delete_pending && !s->tx_inflight)
            hw_delete(dev, s);
    }
}

/* Run the device and poll until `done` holds or it is idle with nothing left, bounded. */
static int drain(struct nd_dev *dev, const struct nd_sa *s, bool rx_too)
{
    uint64_t start = nd_bus_cycle(dev->bus);
    for (;;) {
        unsigned n = nd_dev_poll(dev);
        if (!s->tx_inflight && !rx_too)
            return 0;
        if (!dev->open)
            return s->tx_inflight ? -EIO : 0;
        bool idle = nd_bus_run(dev->bus, ND_DRAIN_SLICE);
        n += nd_dev_poll(dev);
        if (idle && !n)
            return s->tx_inflight ? -EIO : 0;
        if (nd_bus_cycle(dev->bus) - start >= dev->cfg.drain_timeout)
            return -ETIMEDOUT;
    }
}

static void release(struct nd_dev *dev, struct nd_sa *s)
{
    clear_pending(dev, s);
    if (s->hw >= 0 && map_of(dev, s->cfg.dir)[s->hw] == (int)(s - dev->sa))
        map_of(dev, s->cfg.dir)[s->hw] = -1;
    uint32_t gen = s->gen + 1;
    wipe(s, sizeof(*s));
    s->gen = gen;
    s->hw = -1;
    s->state = ND_SA_FREE;
    dev->sa_used--;
}

int nd_sa_free(struct nd_dev *dev, int sa)
{
    struct nd_sa *s = nd_sa_get(dev, sa);
    if (!s)
        return -ENOENT;
    if (s->state == ND_SA_LIVE)
        return -EBUSY;
    int rc = drain(dev, s, false);
    if (rc == -ETIMEDOUT)
        return rc;
    if (s->tx_inflight) /* the rings are gone: nothing will complete these any more */
        return -EIO;
    if (s->hw_delete_pending && (rc = hw_delete(dev, s)) != 0)
        return rc;
    /* RX packets the card matched before the delete are still in its pipeline and carry the
     * handle: deliver them before the handle can be given to another SA. */
    if (s->cfg.dir == ND_SA_IN && s->hw >= 0 && (rc = drain(dev, s, true)) != 0)
        return rc;
    if (s->hw >= 0) {
        rc = hw_cmd(dev, s, NICSIM_MBOX_CMD_SA_FREE, NULL);
        if (rc && rc != -ENOENT)
            return rc;
    }
    release(dev, s);
    return 0;
}

int nd_sa_advance_esn(struct nd_dev *dev, int sa, uint64_t bottom)
{
    struct nd_sa *s = nd_sa_get(dev, sa);
    if (!s || s->state != ND_SA_LIVE || s->cfg.dir != ND_SA_IN || !s->cfg.esn ||
        s->cfg.offload != ND_OFFLOAD_CRYPTO)
        return -EINVAL;
    if (s->hw < 0)
        return -ENOENT;
    if (s->esn_sent_valid && bottom >> 30 == s->esn_sent >> 30)
        return 0;
    struct nd_mbox_req r = {.cmd = NICSIM_MBOX_CMD_ESN_ADVANCE, .nargs = 4,
                            .arg = {0, (uint32_t)s->hw, (uint32_t)(bottom >> 32),
                                    (uint32_t)bottom}};
    int rc = nd_dev_mbox(dev, &r, NULL);
    if (!rc) {
        s->esn_sent = bottom;
        s->esn_sent_valid = true;
        dev->st.esn_updates++;
    }
    return rc;
}

static int query(struct nd_dev *dev, struct nd_sa *s, uint64_t *pk, uint64_t *by)
{
    *pk = *by = 0;
    if (s->hw < 0 || s->state == ND_SA_DEAD)
        return 0;
    uint32_t resp[4];
    int rc = hw_cmd(dev, s, NICSIM_MBOX_CMD_STATS_QUERY, resp);
    if (rc)
        return rc;
    *pk = (uint64_t)resp[1] << 32 | resp[0];
    *by = (uint64_t)resp[3] << 32 | resp[2];
    return 0;
}

int nd_sa_stats(struct nd_dev *dev, int sa, uint64_t *packets, uint64_t *bytes)
{
    struct nd_sa *s = nd_sa_get(dev, sa);
    if (!s)
        return -ENOENT;
    uint64_t pk, by;
    int rc = query(dev, s, &pk, &by);
    *packets = s->base_packets + pk;
    *bytes = s->base_bytes + by;
    return rc;
}

void nd_sa_set_rx_top(struct nd_dev *dev, int sa, uint64_t top)
{
    struct nd_sa *s = nd_sa_get(dev, sa);
    if (s && s->cfg.dir == ND_SA_IN)
        s->rx_top = top;
}

int nd_sa_info(const struct nd_dev *dev, int sa, struct nd_sa_info *info)
{
    if (sa < 0 || (unsigned)sa >= dev->sa_cap || dev->sa[sa].state == ND_SA_FREE)
        return -ENOENT;
    const struct nd_sa *s = &dev->sa[sa];
    *info = (struct nd_sa_info){&s->cfg, s->state, s->hw, s->tx_inflight, s->gen, s->owner};
    return 0;
}

unsigned nd_sa_count(const struct nd_dev *dev)
{
    return dev->sa_used;
}

unsigned nd_sa_capacity(const struct nd_dev *dev)
{
    return dev->sa_cap;
}

void nd_sa_save_counters(struct nd_dev *dev)
{
    for (unsigned i = 0; i < dev->sa_cap; i++) {
        struct nd_sa *s = &dev->sa[i];
        uint64_t pk, by;
        if (s->state == ND_SA_LIVE && !query(dev, s, &pk, &by)) {
            s->base_packets += pk;
            s->base_bytes += by;
        }
    }
}

int nd_sa_restore_all(struct nd_dev *dev)
{
    for (uint32_t i = 0; i < dev->info.rx_sa_max; i++)
        dev->rx_map[i] = -1;
    for (uint32_t i = 0; i < dev->info.tx_sa_max; i++)
        dev->tx_map[i] = -1;
    int first = 0;
    for (unsigned i = 0; i < dev->sa_cap; i++) {
        struct nd_sa *s = &dev->sa[i];
        if (s->state == ND_SA_FREE)
            continue;
        s->hw = -1;
        if (s->state != ND_SA_LIVE) {
            /* being deleted: the reset finished the job on the card */
            clear_pending(dev, s);
            s->state = ND_SA_DEAD;
            continue;
        }
        if (s->cfg.dir == ND_SA_OUT && s->cfg.offload == ND_OFFLOAD_PACKET) {
            s->cfg.seq += s->tx_posted;
            s->tx_posted = 0;
        } else if (s->cfg.dir == ND_SA_IN) {
            s->cfg.seq = s->rx_top;
        }
        int rc = install(dev, s, (int)i);
        if (rc) {
            dev->st.sa_restore_failed++;
            if (!first)
                first = rc;
        } else {
            dev->st.sa_restored++;
        }
    }
    return first;
}

void nd_sa_flush(struct nd_dev *dev)
{
    for (unsigned i = 0; i < dev->sa_cap; i++) {
        struct nd_sa *s = &dev->sa[i];
        if (s->state == ND_SA_FREE)
            continue;
        if (s->state == ND_SA_LIVE)
            nd_sa_delete(dev, (int)i);
        if (nd_sa_free(dev, (int)i) != 0 && s->state != ND_SA_FREE) {
            /* The device did not let go (timeout, error): the driver is leaving anyway. */
            s->tx_inflight = 0;
            release(dev, s);
        }
    }
}

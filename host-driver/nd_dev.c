/* nd_dev.c - probe, open, down, remove, polling, reset and restore of the device core
 * (nd_dev.h). The rings live in nd_rings.c, the shadow SA table in nd_sa.c.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nd_priv.h"
#include "nd_regs.h"

#define ND_EVENTS_PER_POLL 64u
#define ND_RUN_SLICE 4096u

void nd_dev_cfg_default(struct nd_dev_cfg *c)
{
    c->tx_ring = 256;
    c->rx_ring = 256;
    c->mtu = 9216;
    c->mbox_timeout = 1000000;
    c->drain_timeout = 10000000;
}

static bool pow2_in(uint32_t v, uint32_t lo, uint32_t hi)
{
    return v >= lo && v <= hi && !(v & (v - 1));
}

static int fail(char *err, size_t errlen, int rc, const char *fmt, ...)
{
    if (err && errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return rc;
}

int nd_dev_mbox(struct nd_dev *dev, const struct nd_mbox_req *req, uint32_t resp[4])
{
    return nd_mbox_exec(dev->bus, req, resp, dev->cfg.mbox_timeout, &dev->st.mbox);
}

/* ID, VERSION, CAPS and table sizes; the identity checks a probe (and an FLR) must pass. */
static int read_info(struct nd_dev *dev, char *err, size_t errlen)
{
    struct nd_dev_info *in = &dev->info;
    in->id = nd_rd32(dev->bus, ND_TOP(ID));
    if (in->id != ND_DEVICE_ID)
        return fail(err, errlen, -ENODEV, "unknown device ID 0x%08x (expected 0x%08x \"NICS\")",
                    in->id, ND_DEVICE_ID);
    in->version = nd_rd32(dev->bus, ND_TOP(VERSION));
    if (in->version >> 16 != ND_REGMAP_MAJOR)
        return fail(err, errlen, -ENODEV,
                    "register map version %u is not supported (driver speaks major %u)",
                    in->version >> 16, ND_REGMAP_MAJOR);
    in->caps = nd_rd32(dev->bus, ND_TOP(CAPS));
    in->rx_sa_max = nd_rd32(dev->bus, ND_TOP(RX_SA_MAX));
    in->tx_sa_max = nd_rd32(dev->bus, ND_TOP(TX_SA_MAX));
    in->engines = nd_rd32(dev->bus, ND_TOP(ENGINES));
    in->clock_mhz = nd_rd32(dev->bus, ND_TOP(CLOCK_MHZ));
    in->window_max = nd_rd32(dev->bus, ND_TOP(WINDOW_MAX));
    if (in->rx_sa_max > 65536 || in->tx_sa_max > 65536)
        return fail(err, errlen, -ENODEV, "SA table sizes %u/%u exceed the 16-bit handle space",
                    in->rx_sa_max, in->tx_sa_max);
    return 0;
}

int nd_dev_probe(struct nd_bus *bus, const struct nd_dev_cfg *cfg, struct nd_dev **out,
                 char *err, size_t errlen)
{
    *out = NULL;
    struct nd_dev_cfg def;
    nd_dev_cfg_default(&def);
    if (!cfg)
        cfg = &def;
    if (!bus || !pow2_in(cfg->tx_ring, 8, 65536) || !pow2_in(cfg->rx_ring, 8, 65536) ||
        cfg->mtu < 576 || cfg->mtu > 65535 || !cfg->mbox_timeout || !cfg->drain_timeout)
        return fail(err, errlen, -EINVAL, "bad configuration (rings %u/%u: powers of two 8..65536)",
                    cfg->tx_ring, cfg->rx_ring);
    struct nd_dev *dev = calloc(1, sizeof(*dev));
    if (!dev)
        return fail(err, errlen, -ENOMEM, "out of memory");
    dev->bus = bus;
    dev->cfg = *cfg;
    int rc = read_info(dev, err, errlen);
    if (rc) {
        free(dev);
        return rc;
    }
    /* The firmware must answer before anything depends on it. */
    struct nd_mbox_req info = {.cmd = NICSIM_MBOX_CMD_GET_INFO};
    uint32_t resp[4];
    rc = nd_dev_mbox(dev, &info, resp);
    if (rc) {
        free(dev);
        return fail(err, errlen, rc, "firmware does not answer the mailbox (GET_INFO: %d)", rc);
    }
    rc = nd_sa_table_init(dev);
    if (!rc)
        rc = nd_rings_alloc(dev);
    if (rc) {
        nd_rings_free(dev);
        nd_sa_table_free(dev);
        free(dev);
        return fail(err, errlen, rc, "cannot allocate or map rings and buffers (%d)", rc);
    }
    *out = dev;
    return 0;
}

const struct nd_dev_info *nd_dev_info(const struct nd_dev *dev)
{
    return &dev->info;
}

struct nd_bus *nd_dev_bus(struct nd_dev *dev)
{
    return dev->bus;
}

uint32_t nd_dev_mtu(const struct nd_dev *dev)
{
    return dev->cfg.mtu;
}

void nd_dev_set_upper(struct nd_dev *dev, const struct nd_upper *up, void *ctx)
{
    if (up)
        dev->up = *up;
    else
        memset(&dev->up, 0, sizeof(dev->up));
    dev->up_ctx = ctx;
}

int nd_dev_open(struct nd_dev *dev)
{
    if (dev->open)
        return -EBUSY;
    int rc = nd_rings_start(dev);
    if (rc)
        return rc;
    dev->open = true;
    return 0;
}

bool nd_dev_is_open(const struct nd_dev *dev)
{
    return dev->open;
}

/* EVT.CAUSE.PENDING is a level that stays up until the FIFO is empty; LOST and MBOX_DONE are
 * sticky and cleared by writing them back. */
static void check_events(struct nd_dev *dev, unsigned *n)
{
    uint32_t cause = nd_rd32(dev->bus, ND_EVT(CAUSE));
    uint32_t sticky = cause & ~(uint32_t)NICSIM_EVT_CAUSE_PENDING_MASK;
    if (sticky) {
        if (cause & NICSIM_EVT_CAUSE_LOST_MASK)
            dev->st.events_lost++;
        nd_wr32(dev->bus, ND_EVT(CAUSE), sticky);
    }
    for (unsigned k = 0; k < ND_EVENTS_PER_POLL && (cause & NICSIM_EVT_CAUSE_PENDING_MASK); k++) {
        uint32_t ev = nd_rd32(dev->bus, ND_EVT(POP));
        if (!ev)
            break;
        unsigned type = ND_FIELD_GET(EVT, POP, TYPE, ev), dir = ND_FIELD_GET(EVT, POP, DIR, ev);
        unsigned hw = ND_FIELD_GET(EVT, POP, HANDLE, ev);
        int sa = dir <= ND_SA_OUT ? nd_sa_by_hw(dev, dir, hw) : -1;
        dev->st.events++;
        (*n)++;
        if (sa >= 0 && dev->up.event && (type == ND_EV_SOFT_EXPIRE || type == ND_EV_HARD_EXPIRE))
            dev->up.event(dev->up_ctx, sa, (enum nd_event_kind)type);
        cause = nd_rd32(dev->bus, ND_EVT(CAUSE));
    }
}

unsigned nd_dev_poll(struct nd_dev *dev)
{
    unsigned n = nd_rings_reap(dev);
    check_events(dev, &n);
    uint32_t cause = nd_rd32(dev->bus, ND_DMA(INTR_CAUSE));
    if (cause) {
        if (cause & ND_DMA_INTR_ERROR) {
            uint32_t e = nd_rd32(dev->bus, ND_DMA(ERR_CAUSE));
            nd_wr32(dev->bus, ND_DMA(ERR_CAUSE), e);
            dev->st.dma_errors++;
        }
        nd_wr32(dev->bus, ND_DMA(INTR_CAUSE), cause);
    }
    if (dev->deletes_pending && !dev->in_reap)
        nd_sa_finish_deletes(dev);
    return n;
}

bool nd_dev_run(struct nd_dev *dev, uint64_t max_cycles)
{
    uint64_t start = nd_bus_cycle(dev->bus);
    for (;;) {
        uint64_t spent = nd_bus_cycle(dev->bus) - start;
        if (spent >= max_cycles)
            return false;
        uint64_t slice = max_cycles - spent < ND_RUN_SLICE ? max_cycles - spent : ND_RUN_SLICE;
        bool idle = nd_bus_run(dev->bus, slice);
        unsigned n = nd_dev_poll(dev);
        if (idle && !n)
            return true;
    }
}

void nd_dev_down(struct nd_dev *dev)
{
    if (dev->up.down)
        dev->up.down(dev->up_ctx);
    nd_sa_flush(dev);
    if (!dev->open)
        return;
    nd_dev_run(dev, dev->cfg.drain_timeout);
    nd_rings_stop(dev);
    nd_rings_abort_tx(dev);
    dev->open = false;
}

void nd_dev_remove(struct nd_dev *dev)
{
    if (!dev)
        return;
    nd_dev_down(dev);
    nd_rings_free(dev);
    nd_sa_table_free(dev);
    free(dev);
}

int nd_dev_reset(struct nd_dev *dev, enum nd_reset_kind kind)
{
    struct nd_bus *bus = dev->bus;
    if (kind == ND_RESET_FLR && !bus->ops->reset)
        return -EOPNOTSUPP;
    if (kind != ND_RESET_FLR && kind != ND_RESET_MBOX)
        return -EINVAL;
    /* Quiesce: let the work in flight finish and reap it, so nothing is lost that need not be. */
    if (dev->open)
        nd_dev_run(dev, dev->cfg.drain_timeout);
    nd_sa_save_counters(dev);
    int rc;
    if (kind == ND_RESET_MBOX) {
        struct nd_mbox_req r = {.cmd = NICSIM_MBOX_CMD_RESET};
        rc = nd_dev_mbox(dev, &r, NULL);
        if (rc)
            return rc;
    } else {
        rc = bus->ops->reset(bus);
        if (rc)
            return rc;
        /* Everything the card held is gone: descriptors it had not completed, ring state. */
        nd_rings_abort_tx(dev);
        uint32_t caps = dev->info.caps;
        rc = read_info(dev, NULL, 0);
        if (rc)
            return rc;
        if (dev->info.caps != caps)
            return -ENODEV; /* a different card answered */
        if (dev->open && (rc = nd_rings_start(dev)) != 0) {
            dev->open = false;
            return rc;
        }
    }
    dev->st.resets++;
    return nd_sa_restore_all(dev);
}

const struct nd_dev_stats *nd_dev_stats(const struct nd_dev *dev)
{
    return &dev->st;
}

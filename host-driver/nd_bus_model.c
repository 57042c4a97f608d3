/* nd_bus_model.c - bus backend on the C model (nd_bus_model.h). */
#include "nd_bus_model.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nd_fwstub.h"
#include "nd_regs.h"

/* IOVAs start above 4 GiB so that a driver that truncates addresses to 32 bits faults. */
#define MODEL_IOVA_BASE 0x100000000ull
#define MODEL_IOVA_ALIGN 4096ull
#define MODEL_MAX_MAPS 16u

struct model_map {
    uint64_t iova;
    void *host;
    size_t len;
};

struct model_bus {
    struct nd_bus bus;
    struct nicsim_params p;
    struct nic *nic;
    struct nd_fwstub *stub; /* NULL: the card serves its own mailbox                           */
    uint64_t next_iova;
    struct model_map map[MODEL_MAX_MAPS];
    unsigned nmaps;
    nic_wire_fn wire;
    void *wire_user;
};

static struct model_bus *mb(struct nd_bus *b)
{
    return b->priv;
}

static uint32_t model_read(struct nd_bus *b, uint32_t off)
{
    struct model_bus *m = mb(b);
    if (m->stub && nd_fwstub_owns(off))
        return nd_fwstub_read(m->stub, m->nic, off);
    return nic_mmio_read(m->nic, off);
}

static void model_write(struct nd_bus *b, uint32_t off, uint32_t val)
{
    struct model_bus *m = mb(b);
    if (m->stub && nd_fwstub_owns(off))
        nd_fwstub_write(m->stub, m->nic, off, val);
    else
        nic_mmio_write(m->nic, off, val);
}

static int model_map(struct nd_bus *b, void *host, size_t len, uint64_t *iova)
{
    struct model_bus *m = mb(b);
    if (!host || !len || !iova)
        return -EINVAL;
    if (m->nmaps == MODEL_MAX_MAPS)
        return -ENOSPC;
    uint64_t at = m->next_iova;
    int rc = nic_host_register(m->nic, at, host, len);
    if (rc)
        return rc;
    m->map[m->nmaps++] = (struct model_map){at, host, len};
    m->next_iova = (at + len + MODEL_IOVA_ALIGN - 1) & ~(MODEL_IOVA_ALIGN - 1);
    *iova = at;
    return 0;
}

static bool model_run(struct nd_bus *b, uint64_t max_cycles)
{
    struct model_bus *m = mb(b);
    bool fw = m->stub && nd_fwstub_step(m->stub, m->nic);
    bool idle = nic_run(m->nic, max_cycles);
    return idle && !fw;
}

static uint64_t model_cycle(const struct nd_bus *b)
{
    const struct model_bus *m = b->priv;
    return nic_cycle(m->nic);
}

static int model_reset(struct nd_bus *b)
{
    struct model_bus *m = mb(b);
    char err[160];
    struct nic *n = nic_create(&m->p, err, sizeof(err));
    if (!n)
        return -ENOMEM;
    for (unsigned i = 0; i < m->nmaps; i++)
        if (nic_host_register(n, m->map[i].iova, m->map[i].host, m->map[i].len)) {
            nic_destroy(n);
            return -EIO;
        }
    nic_set_wire_tx(n, m->wire, m->wire_user);
    nic_destroy(m->nic);
    m->nic = n;
    if (m->stub)
        nd_fwstub_reset(m->stub);
    return 0;
}

static void model_destroy(struct nd_bus *b)
{
    struct model_bus *m = mb(b);
    nd_fwstub_destroy(m->stub);
    nic_destroy(m->nic);
    free(m);
}

static const struct nd_bus_ops model_ops = {
    .mmio_read = model_read,
    .mmio_write = model_write,
    .dma_map = model_map,
    .run = model_run,
    .cycle = model_cycle,
    .reset = model_reset,
    .destroy = model_destroy,
};

struct nd_bus *nd_bus_model_create(const struct nicsim_params *p,
                                   const struct nd_bus_model_cfg *cfg, char *err, size_t errlen)
{
    struct nd_bus_model_cfg def = {0};
    if (!cfg)
        cfg = &def;
    struct model_bus *m = calloc(1, sizeof(*m));
    if (!m) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    m->p = *p;
    m->nic = nic_create(p, err, errlen);
    if (!m->nic) {
        free(m);
        return NULL;
    }
    m->bus.ops = &model_ops;
    m->bus.priv = m;
    m->next_iova = MODEL_IOVA_BASE;
    /* A card without TOP.CAPS predates the firmware: serve the mailbox here. */
    bool stub = cfg->fw == ND_FW_STUB ||
                (cfg->fw == ND_FW_AUTO && nic_mmio_read(m->nic, ND_TOP(CAPS)) == 0);
    if (stub) {
        m->stub = nd_fwstub_create(p, cfg->caps_clear);
        if (!m->stub) {
            snprintf(err, errlen, "out of memory");
            model_destroy(&m->bus);
            return NULL;
        }
    }
    return &m->bus;
}

struct nic *nd_bus_model_nic(struct nd_bus *bus)
{
    return mb(bus)->nic;
}

void nd_bus_model_set_wire(struct nd_bus *bus, nic_wire_fn fn, void *user)
{
    struct model_bus *m = mb(bus);
    m->wire = fn;
    m->wire_user = user;
    nic_set_wire_tx(m->nic, fn, user);
}

bool nd_bus_model_stubbed(const struct nd_bus *bus)
{
    const struct model_bus *m = bus->priv;
    return m->stub != NULL;
}

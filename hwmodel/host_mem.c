/* host_mem.c - registered host memory windows and bounds-checked DMA copies (see host_mem.h). */
#include "host_mem.h"

#include <errno.h>
#include <string.h>

void host_mem_init(struct host_mem *hm)
{
    memset(hm, 0, sizeof(*hm));
}

int host_mem_register(struct host_mem *hm, uint64_t iova, void *host, size_t len)
{
    if (!host || len == 0)
        return -EINVAL;
    /* Last byte, computed so that a wrap is detected rather than taken modulo 2^64. */
    uint64_t span = (uint64_t)len - 1;
    if (iova > UINT64_MAX - span)
        return -EINVAL;
    uint64_t last = iova + span;
    for (unsigned i = 0; i < hm->nregions; i++) {
        const struct host_mem_region *r = &hm->region[i];
        /* Closed intervals [iova, last] and [r->iova, r->last] intersect. */
        if (iova <= r->last && r->iova <= last)
            return -EINVAL;
    }
    if (hm->nregions >= HOST_MEM_MAX_REGIONS)
        return -ENOSPC;
    hm->region[hm->nregions++] = (struct host_mem_region){iova, last, host};
    return 0;
}

int host_mem_unregister(struct host_mem *hm, uint64_t iova)
{
    for (unsigned i = 0; i < hm->nregions; i++) {
        if (hm->region[i].iova != iova)
            continue;
        hm->region[i] = hm->region[--hm->nregions];
        return 0;
    }
    return -ENOENT;
}

/* The region holding all of [iova, iova + len), or NULL. */
static const struct host_mem_region *host_mem_find(const struct host_mem *hm, uint64_t iova,
                                                   uint64_t len)
{
    if (len == 0)
        return NULL;
    uint64_t span = len - 1;
    if (iova > UINT64_MAX - span)
        return NULL;
    uint64_t last = iova + span;
    for (unsigned i = 0; i < hm->nregions; i++) {
        const struct host_mem_region *r = &hm->region[i];
        if (iova >= r->iova && last <= r->last)
            return r;
    }
    return NULL;
}

bool host_mem_valid(const struct host_mem *hm, uint64_t iova, uint64_t len)
{
    return host_mem_find(hm, iova, len) != NULL;
}

int host_mem_read(struct host_mem *hm, uint64_t iova, void *buf, size_t len)
{
    const struct host_mem_region *r = host_mem_find(hm, iova, len);
    if (!r) {
        hm->faults++;
        return -EFAULT;
    }
    uint8_t *at = r->host + (iova - r->iova);
    if (hm->bus.read) {
        if (hm->bus.read(hm->bus.ctx, (uint64_t)(uintptr_t)at, buf, len)) {
            hm->faults++;
            return -EFAULT;
        }
        return 0;
    }
    memcpy(buf, at, len);
    return 0;
}

int host_mem_write(struct host_mem *hm, uint64_t iova, const void *buf, size_t len)
{
    const struct host_mem_region *r = host_mem_find(hm, iova, len);
    if (!r) {
        hm->faults++;
        return -EFAULT;
    }
    uint8_t *at = r->host + (iova - r->iova);
    if (hm->bus.write) {
        if (hm->bus.write(hm->bus.ctx, (uint64_t)(uintptr_t)at, buf, len)) {
            hm->faults++;
            return -EFAULT;
        }
        return 0;
    }
    memcpy(at, buf, len);
    return 0;
}

void host_mem_set_bus(struct host_mem *hm, const struct host_mem_bus *bus)
{
    if (bus && bus->read && bus->write)
        hm->bus = *bus;
    else
        hm->bus = (struct host_mem_bus){0};
}

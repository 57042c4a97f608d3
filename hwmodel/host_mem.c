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

void host_mem_set_bus(struct host_mem *hm, const struct host_mem_bus *bus)
{
    if (bus && bus->read && bus->write)
        hm->bus = *bus;
    else
        hm->bus = (struct host_mem_bus){0};
}

/* host_mem.h - host memory as the device sees it: the IOVA windows the driver registered.
 *
 * Contract: the driver registers up to HOST_MEM_MAX_REGIONS regions (iova, host pointer,
 * length); regions may not overlap in IOVA space. Every DMA the device makes goes through
 * host_mem_read()/host_mem_write(), which succeed only when the WHOLE range [iova, iova + len)
 * lies inside ONE registered region; otherwise they return -EFAULT and touch nothing (the IOMMU
 * fault of a real platform: no stray DMA, not even a partial one). A range that straddles two
 * adjacent regions is refused too, because the two host pointers need not be contiguous.
 *
 * All range arithmetic is done on "last byte" addresses, so iova + len wrapping past 2^64 is
 * caught instead of producing a small end address.
 *
 * Timing: none. This is the memory itself; the dma block models the bus latency and bandwidth.
 * State: a plain table owned by the caller (no global state); accesses are synchronous.
 *
 * Bus backend (optional, for virtual platforms such as hwmodel/systemc/): when one is set, the
 * region check above still runs first (the IOMMU), then the access goes to the backend with the
 * translated host address (the region's host pointer + offset, as an integer) instead of a
 * memcpy. A backend that fails (nonzero) makes the access fault like an IOMMU refusal: -EFAULT,
 * counted in faults. Bytes a failed read may have written to buf are unspecified.
 */
#ifndef NICSIM_HOST_MEM_H
#define NICSIM_HOST_MEM_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define HOST_MEM_MAX_REGIONS 16u

struct host_mem_region {
    uint64_t iova;  /* first IOVA of the region                                  */
    uint64_t last;  /* last IOVA of the region (iova + len - 1, never wraps)      */
    uint8_t *host;  /* host address of byte `iova`                               */
};

/* Where the bytes of a checked access go (NULL functions: plain memcpy). 0 or nonzero = error. */
struct host_mem_bus {
    int (*read)(void *ctx, uint64_t addr, void *buf, size_t len);
    int (*write)(void *ctx, uint64_t addr, const void *buf, size_t len);
    void *ctx;
};

struct host_mem {
    unsigned nregions;
    struct host_mem_region region[HOST_MEM_MAX_REGIONS];
    uint64_t faults; /* accesses refused with -EFAULT (reads and writes)         */
    struct host_mem_bus bus; /* optional backend (host_mem_set_bus); zero = memcpy */
};

void host_mem_init(struct host_mem *hm);
/* Register [iova, iova + len) backed by `host`. Returns 0, -EINVAL (NULL host, len 0,
 * iova + len wraps past 2^64, or overlap with a registered region), -ENOSPC (table full). */
int host_mem_register(struct host_mem *hm, uint64_t iova, void *host, size_t len);
/* Remove the region that starts at `iova`. 0 or -ENOENT. DMA to it faults from now on. */
int host_mem_unregister(struct host_mem *hm, uint64_t iova);
/* The accesses are inline: the dma block makes a few per packet (frame read, descriptor reads,
 * completion and write-back writes), most with a constant length that turns the memcpy into
 * a few moves. */

/* The region holding all of [iova, iova + len), or NULL. */
static inline const struct host_mem_region *host_mem_find(const struct host_mem *hm,
                                                          uint64_t iova, uint64_t len)
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

/* True when [iova, iova + len) is non-empty, does not wrap and lies inside one region. */
static inline bool host_mem_valid(const struct host_mem *hm, uint64_t iova, uint64_t len)
{
    return host_mem_find(hm, iova, len) != NULL;
}

/* Copy len bytes from/to host memory. 0, or -EFAULT (range not inside one region, len 0,
 * wrap): nothing is copied and hm->faults counts the refusal. */
static inline int host_mem_read(struct host_mem *hm, uint64_t iova, void *buf, size_t len)
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

static inline int host_mem_write(struct host_mem *hm, uint64_t iova, const void *buf, size_t len)
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

/* Route checked accesses through `bus` (both functions set), or back to memcpy (bus NULL). */
void host_mem_set_bus(struct host_mem *hm, const struct host_mem_bus *bus);

#endif

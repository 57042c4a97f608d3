/* nd_bus.h - the driver's only view of the hardware: a bus backend.
 *
 * A backend gives the driver what a PCIe function gives a kernel driver: 32-bit MMIO on BAR0,
 * DMA mapping of host memory (the driver allocates rings and buffers in its own memory and
 * maps them; the device may touch nothing else), and, because the device is simulated, a way
 * to let device time pass. Backends: the C model (nd_bus_model.c); a SystemC/TLM or Verilated
 * RTL backend fills the same table. Tests build fake backends the same way.
 *
 * Rules every backend keeps:
 *  - mmio_read/mmio_write act at the device's current cycle; they never advance time.
 *  - run() advances time until the device is idle or max_cycles passed; true when idle. A
 *    backend whose device cannot tell idleness may return false and advance max_cycles.
 *  - dma_map() returns an IOVA for [host, host + len); mappings live until the bus is
 *    destroyed (the model cannot unregister memory, so the driver maps once at set-up and
 *    uses bounce buffers per ring slot instead of per-packet streaming mappings).
 *  - reset() is a function-level reset (all device state lost, DMA mappings kept); NULL when
 *    the backend cannot do it (the driver then uses the mailbox RESET command only).
 */
#ifndef ND_BUS_H
#define ND_BUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct nd_bus;

struct nd_bus_ops {
    uint32_t (*mmio_read)(struct nd_bus *bus, uint32_t off);
    void (*mmio_write)(struct nd_bus *bus, uint32_t off, uint32_t val);
    /* 0, -EINVAL (len 0, NULL), -ENOSPC (no IOVA space / device refuses the region). */
    int (*dma_map)(struct nd_bus *bus, void *host, size_t len, uint64_t *iova);
    bool (*run)(struct nd_bus *bus, uint64_t max_cycles);
    uint64_t (*cycle)(const struct nd_bus *bus);
    int (*reset)(struct nd_bus *bus); /* optional: 0 or -errno                               */
    void (*destroy)(struct nd_bus *bus);
};

struct nd_bus {
    const struct nd_bus_ops *ops;
    void *priv; /* backend state */
};

static inline uint32_t nd_rd32(struct nd_bus *b, uint32_t off)
{
    return b->ops->mmio_read(b, off);
}
static inline void nd_wr32(struct nd_bus *b, uint32_t off, uint32_t v)
{
    b->ops->mmio_write(b, off, v);
}
static inline void nd_wr64(struct nd_bus *b, uint32_t lo_off, uint64_t v)
{
    b->ops->mmio_write(b, lo_off, (uint32_t)v);
    b->ops->mmio_write(b, lo_off + 4, (uint32_t)(v >> 32));
}
static inline bool nd_bus_run(struct nd_bus *b, uint64_t max_cycles)
{
    return b->ops->run(b, max_cycles);
}
static inline uint64_t nd_bus_cycle(const struct nd_bus *b)
{
    return b->ops->cycle(b);
}
static inline void nd_bus_destroy(struct nd_bus *b)
{
    if (b)
        b->ops->destroy(b);
}

#endif

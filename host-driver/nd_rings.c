/* nd_rings.c - descriptor rings and the data path of the device core.
 *
 * Memory: one block holds the four rings and the two head write-back words, one block holds
 * the bounce buffers (TX slot i uses TX buffer i; RX ring slot i always points at RX buffer i,
 * so a buffer is re-posted at the slot it will next be needed in). Both are mapped once.
 * Completions come back in descriptor order (desc.h), so the k-th TX completion belongs to the
 * oldest outstanding descriptor and the k-th RX completion to the oldest posted buffer; the
 * driver finds new completions through the head write-back words, not MMIO reads.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "nd_priv.h"
#include "nd_regs.h"

#define ND_WB_BYTES 64u
#define ND_ALIGN 4096u

static size_t round_up(size_t v, size_t a)
{
    return (v + a - 1) / a * a;
}

int nd_rings_alloc(struct nd_dev *dev)
{
    uint32_t nt = dev->cfg.tx_ring, nr = dev->cfg.rx_ring;
    size_t off_txc = (size_t)nt * sizeof(struct nic_tx_desc);
    size_t off_rxd = off_txc + (size_t)nt * sizeof(struct nic_tx_cpl);
    size_t off_rxc = off_rxd + (size_t)nr * sizeof(struct nic_rx_desc);
    size_t off_wb = off_rxc + (size_t)nr * sizeof(struct nic_rx_cpl);
    dev->ring_len = round_up(off_wb + ND_WB_BYTES, ND_ALIGN);
    dev->buf_len = (uint32_t)round_up(dev->cfg.mtu, 64);
    dev->buf_len_total = round_up((size_t)(nt + nr) * dev->buf_len, ND_ALIGN);
    dev->ring_mem = aligned_alloc(ND_ALIGN, dev->ring_len);
    dev->buf_mem = aligned_alloc(ND_ALIGN, dev->buf_len_total);
    dev->tx_slot = calloc(nt, sizeof(*dev->tx_slot));
    if (!dev->ring_mem || !dev->buf_mem || !dev->tx_slot)
        return -ENOMEM;
    memset(dev->ring_mem, 0, dev->ring_len);
    memset(dev->buf_mem, 0, dev->buf_len_total);
    struct nd_bus *bus = dev->bus;
    int rc = bus->ops->dma_map(bus, dev->ring_mem, dev->ring_len, &dev->ring_iova);
    if (!rc)
        rc = bus->ops->dma_map(bus, dev->buf_mem, dev->buf_len_total, &dev->buf_iova);
    if (rc)
        return rc;
    dev->txd = (struct nd_ring){dev->ring_mem, dev->ring_iova, nt};
    dev->txc = (struct nd_ring){dev->ring_mem + off_txc, dev->ring_iova + off_txc, nt};
    dev->rxd = (struct nd_ring){dev->ring_mem + off_rxd, dev->ring_iova + off_rxd, nr};
    dev->rxc = (struct nd_ring){dev->ring_mem + off_rxc, dev->ring_iova + off_rxc, nr};
    dev->wb_iova = dev->ring_iova + off_wb;
    dev->txc_wb = (volatile uint32_t *)(void *)(dev->ring_mem + off_wb);
    dev->rxc_wb = (volatile uint32_t *)(void *)(dev->ring_mem + off_wb + 8);
    return 0;
}

void nd_rings_free(struct nd_dev *dev)
{
    free(dev->ring_mem);
    free(dev->buf_mem);
    free(dev->tx_slot);
    dev->ring_mem = dev->buf_mem = NULL;
    dev->tx_slot = NULL;
}

static uint8_t *tx_buf(struct nd_dev *dev, uint32_t i)
{
    return dev->buf_mem + (size_t)i * dev->buf_len;
}

static uint64_t tx_buf_iova(const struct nd_dev *dev, uint32_t i)
{
    return dev->buf_iova + (uint64_t)i * dev->buf_len;
}

static uint32_t rx_index_to_buf(const struct nd_dev *dev, uint32_t i)
{
    return dev->cfg.tx_ring + i;
}

static void post_rx(struct nd_dev *dev, uint32_t slot)
{
    uint32_t b = rx_index_to_buf(dev, slot);
    struct nic_rx_desc d = {tx_buf_iova(dev, b), dev->buf_len, 0};
    memcpy((uint8_t *)dev->rxd.mem + (size_t)slot * sizeof(d), &d, sizeof(d));
}

int nd_rings_start(struct nd_dev *dev)
{
    struct nd_bus *bus = dev->bus;
    nd_wr64(bus, ND_DMA(TX_RING_BASE_LO), dev->txd.iova);
    nd_wr64(bus, ND_DMA(TX_CPL_BASE_LO), dev->txc.iova);
    nd_wr64(bus, ND_DMA(RX_RING_BASE_LO), dev->rxd.iova);
    nd_wr64(bus, ND_DMA(RX_CPL_BASE_LO), dev->rxc.iova);
    nd_wr64(bus, ND_DMA(TX_CPL_WB_LO), dev->wb_iova);
    nd_wr64(bus, ND_DMA(RX_CPL_WB_LO), dev->wb_iova + 8);
    nd_wr32(bus, ND_DMA(TX_RING_SIZE), dev->txd.size);
    nd_wr32(bus, ND_DMA(TX_CPL_SIZE), dev->txc.size);
    nd_wr32(bus, ND_DMA(RX_RING_SIZE), dev->rxd.size);
    nd_wr32(bus, ND_DMA(RX_CPL_SIZE), dev->rxc.size);
    *dev->txc_wb = 0;
    *dev->rxc_wb = 0;
    dev->tx_tail = dev->tx_clean = dev->rx_tail = dev->rx_clean = 0;
    nd_wr32(bus, ND_DMA(CTRL), ND_DMA_CTRL_TX_EN | ND_DMA_CTRL_RX_EN);
    uint32_t err = nd_rd32(bus, ND_DMA(ERR_CAUSE));
    if (err) {
        nd_wr32(bus, ND_DMA(CTRL), 0);
        nd_wr32(bus, ND_DMA(ERR_CAUSE), err);
        return -EIO;
    }
    for (uint32_t i = 0; i + 1 < dev->rxd.size; i++)
        post_rx(dev, i);
    dev->rx_tail = dev->rxd.size - 1;
    nd_wr32(bus, ND_DMA(RX_RING_TAIL), dev->rx_tail);
    return 0;
}

void nd_rings_stop(struct nd_dev *dev)
{
    nd_wr32(dev->bus, ND_DMA(CTRL), 0);
}

int nd_dev_xmit(struct nd_dev *dev, const uint8_t *frame, size_t len, int sa, uint32_t seq_hi,
                void *ctx)
{
    if (!dev->open)
        return -ENETDOWN;
    if (!frame || !len)
        return -EINVAL;
    if (len > dev->cfg.mtu)
        return -EMSGSIZE;
    struct nd_sa *s = NULL;
    if (sa >= 0) {
        s = nd_sa_get(dev, sa);
        if (!s || s->state != ND_SA_LIVE || s->hw < 0 || s->cfg.dir != ND_SA_OUT)
            return -ENOENT;
    }
    uint32_t n = dev->txd.size;
    if ((dev->tx_tail + 1) % n == dev->tx_clean) {
        nd_rings_reap(dev);
        if ((dev->tx_tail + 1) % n == dev->tx_clean) {
            dev->st.tx_ring_full++;
            return -EAGAIN;
        }
    }
    uint32_t i = dev->tx_tail;
    memcpy(tx_buf(dev, i), frame, len);
    struct nic_tx_desc d = {.addr = tx_buf_iova(dev, i),
                            .len = (uint32_t)len,
                            .sa_handle = s ? (uint16_t)s->hw : 0,
                            .flags = s ? NIC_TXF_IPSEC : 0,
                            .cookie = i,
                            .seq_hi = s ? seq_hi : 0};
    memcpy((uint8_t *)dev->txd.mem + (size_t)i * sizeof(d), &d, sizeof(d));
    dev->tx_slot[i] = (struct nd_tx_slot){sa, s ? s->gen : 0, ctx};
    if (s) {
        s->tx_inflight++;
        s->tx_posted++;
    }
    dev->tx_tail = (i + 1) % n;
    dev->st.tx_posted++;
    nd_wr32(dev->bus, ND_DMA(TX_RING_TAIL), dev->tx_tail);
    return 0;
}

uint32_t nd_dev_tx_room(struct nd_dev *dev)
{
    if (!dev->open)
        return 0;
    uint32_t n = dev->txd.size;
    if ((dev->tx_tail + 1) % n == dev->tx_clean)
        nd_rings_reap(dev);
    return (dev->tx_clean + n - dev->tx_tail - 1) % n;
}

static void tx_complete(struct nd_dev *dev, uint16_t status, uint32_t wire_len)
{
    struct nd_tx_slot *t = &dev->tx_slot[dev->tx_clean];
    struct nd_tx_done done = {t->sa, status, wire_len, t->ctx};
    if (t->sa >= 0)
        nd_sa_tx_done(dev, t->sa, t->gen);
    *t = (struct nd_tx_slot){-1, 0, NULL};
    dev->tx_clean = (dev->tx_clean + 1) % dev->txd.size;
    if (dev->up.tx_done)
        dev->up.tx_done(dev->up_ctx, &done);
}

static unsigned reap_tx(struct nd_dev *dev)
{
    uint32_t head = *dev->txc_wb % dev->txc.size, cons = dev->tx_clean, n = 0;
    /* TX completion ring and descriptor ring have the same size and advance together. */
    while (cons != head) {
        struct nic_tx_cpl c;
        memcpy(&c, (uint8_t *)dev->txc.mem + (size_t)cons * sizeof(c), sizeof(c));
        if (c.cookie != dev->tx_clean)
            dev->st.tx_errors++; /* out of order: the contract says it cannot happen */
        if (c.status != NIC_TXS_OK)
            dev->st.tx_errors++;
        dev->st.tx_completed++;
        tx_complete(dev, c.status, c.wire_len);
        cons = dev->tx_clean;
        n++;
    }
    if (n)
        nd_wr32(dev->bus, ND_DMA(TX_CPL_TAIL), cons);
    return n;
}

static unsigned reap_rx(struct nd_dev *dev)
{
    uint32_t size = dev->rxc.size, head = *dev->rxc_wb % size, n = 0;
    while (dev->rx_clean != head) {
        uint32_t i = dev->rx_clean;
        struct nic_rx_cpl c;
        memcpy(&c, (uint8_t *)dev->rxc.mem + (size_t)i * sizeof(c), sizeof(c));
        struct nd_rx_pkt p = {.data = tx_buf(dev, rx_index_to_buf(dev, i)),
                              .len = c.len,
                              .flags = c.flags,
                              .status = c.status,
                              .sa = -1,
                              .seq_hi = c.seq_hi};
        if (p.len > dev->buf_len) {
            p.len = dev->buf_len;
            dev->st.rx_errors++;
        }
        if (c.flags & NIC_RXF_IPSEC)
            p.sa = nd_sa_by_hw(dev, ND_SA_IN, c.sa_handle);
        dev->st.rx_delivered++;
        if (dev->up.rx)
            dev->up.rx(dev->up_ctx, &p);
        /* the buffer of the slot one behind the consumer is free again: post it */
        post_rx(dev, dev->rx_tail);
        dev->rx_tail = (dev->rx_tail + 1) % size;
        dev->rx_clean = (i + 1) % size;
        n++;
    }
    if (n) {
        nd_wr32(dev->bus, ND_DMA(RX_CPL_TAIL), dev->rx_clean);
        nd_wr32(dev->bus, ND_DMA(RX_RING_TAIL), dev->rx_tail);
    }
    return n;
}

unsigned nd_rings_reap(struct nd_dev *dev)
{
    if (!dev->open || dev->in_reap)
        return 0;
    dev->in_reap = true;
    unsigned n = reap_tx(dev);
    n += reap_rx(dev);
    dev->in_reap = false;
    return n;
}

void nd_rings_abort_tx(struct nd_dev *dev)
{
    while (dev->tx_clean != dev->tx_tail) {
        dev->st.tx_aborted++;
        tx_complete(dev, ND_TXS_ABORTED, 0);
    }
}

/* dut_model.c - the DUT interface on the C model (see dut.h). */
#include "dut.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Register offsets of the dma block (regs.def NICSIM_REGS_DMA, through hwmodel/dma.h). */
#include "dma.h"
#define REG(r) (NIC_MMIO_DMA_BASE + 4u * (uint32_t)(DMA_##r))

#define DUT_IOVA 0x100000000ull
#define WB_BYTES 64u

/* Layout of the host block: txd | txc | rxd | rxc | write-backs | tx buffers | rx buffers */
static uint64_t off_txd(const struct dut *d) { (void)d; return 0; }
static uint64_t off_txc(const struct dut *d) { return off_txd(d) + (uint64_t)d->ring * 32; }
static uint64_t off_rxd(const struct dut *d) { return off_txc(d) + (uint64_t)d->ring * 16; }
static uint64_t off_rxc(const struct dut *d) { return off_rxd(d) + (uint64_t)d->ring * 16; }
static uint64_t off_wb(const struct dut *d) { return off_rxc(d) + (uint64_t)d->ring * 16; }
static uint64_t off_txb(const struct dut *d) { return off_wb(d) + WB_BYTES; }
static uint64_t off_rxb(const struct dut *d)
{
    return off_txb(d) + (uint64_t)d->ring * d->buf_len;
}

/* The ring index after i (indices are kept below d->ring): no division on the posting path. */
static uint32_t ring_next(const struct dut *d, uint32_t i)
{
    return i + 1 == d->ring ? 0 : i + 1;
}

static void wr64(struct nic *n, uint32_t lo, uint64_t v)
{
    nic_mmio_write(n, lo, (uint32_t)v);
    nic_mmio_write(n, lo + 4, (uint32_t)(v >> 32));
}

uint64_t dut_tx_buf_iova(const struct dut *d, uint32_t slot)
{
    return d->iova + off_txb(d) + (uint64_t)(slot % d->ring) * d->buf_len;
}

static void on_wire(void *user, const uint8_t *frame, size_t len, uint64_t cycle);

struct dut *dut_create(const struct nicsim_params *p, char *err, size_t errlen)
{
    struct dut *d = calloc(1, sizeof(*d));
    if (!d) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    d->nic = nic_create(p, err, errlen);
    if (!d->nic) {
        free(d);
        return NULL;
    }
    d->ring = p->tx_ring_size < p->rx_ring_size ? p->tx_ring_size : p->rx_ring_size;
    d->buf_len = (p->mtu + 63u) & ~63u;
    d->iova = DUT_IOVA;
    d->mem_len = off_rxb(d) + (uint64_t)d->ring * d->buf_len;
    d->mem = calloc(1, d->mem_len);
    if (!d->mem || nic_host_register(d->nic, d->iova, d->mem, d->mem_len)) {
        snprintf(err, errlen, "cannot allocate/register %zu bytes of host memory", d->mem_len);
        dut_destroy(d);
        return NULL;
    }
    struct nic *n = d->nic;
    wr64(n, REG(TX_RING_BASE_LO), d->iova + off_txd(d));
    wr64(n, REG(TX_CPL_BASE_LO), d->iova + off_txc(d));
    wr64(n, REG(RX_RING_BASE_LO), d->iova + off_rxd(d));
    wr64(n, REG(RX_CPL_BASE_LO), d->iova + off_rxc(d));
    wr64(n, REG(TX_CPL_WB_LO), d->iova + off_wb(d));
    wr64(n, REG(RX_CPL_WB_LO), d->iova + off_wb(d) + 8);
    nic_mmio_write(n, REG(TX_RING_SIZE), d->ring);
    nic_mmio_write(n, REG(TX_CPL_SIZE), d->ring);
    nic_mmio_write(n, REG(RX_RING_SIZE), d->ring);
    nic_mmio_write(n, REG(RX_CPL_SIZE), d->ring);
    nic_mmio_write(n, REG(CTRL), DMA_CTRL_TX_EN | DMA_CTRL_RX_EN);
    if (nic_mmio_read(n, REG(ERR_CAUSE)) != 0) {
        snprintf(err, errlen, "ring set-up refused: ERR_CAUSE 0x%x",
                 nic_mmio_read(n, REG(ERR_CAUSE)));
        dut_destroy(d);
        return NULL;
    }
    /* post every RX buffer */
    for (uint32_t i = 0; i + 1 < d->ring; i++) {
        struct nic_rx_desc rd = {d->iova + off_rxb(d) + (uint64_t)i * d->buf_len, d->buf_len, 0};
        memcpy(d->mem + off_rxd(d) + (uint64_t)i * 16, &rd, sizeof(rd));
    }
    d->rx_tail = d->ring - 1;
    nic_mmio_write(n, REG(RX_RING_TAIL), d->rx_tail);
    nic_set_wire_tx(n, on_wire, d);
    return d;
}

void dut_list_clear(struct dut_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i].data);
    l->n = 0; /* the array stays: a benchmark clears every slice and would regrow it */
}

static void list_free(struct dut_list *l)
{
    dut_list_clear(l);
    free(l->v);
    memset(l, 0, sizeof(*l));
}

void dut_destroy(struct dut *d)
{
    if (!d)
        return;
    nic_destroy(d->nic);
    list_free(&d->wire);
    list_free(&d->rx);
    list_free(&d->txc);
    free(d->mem);
    free(d);
}

static struct dut_frame *list_add(struct dut_list *l, const uint8_t *data, size_t len)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 64;
        struct dut_frame *v = realloc(l->v, cap * sizeof(*v));
        if (!v)
            abort(); /* a testbench out of memory cannot report anything useful */
        l->v = v;
        l->cap = cap;
    }
    struct dut_frame *f = &l->v[l->n++];
    memset(f, 0, sizeof(*f));
    if (data) {
        f->data = malloc(len ? len : 1);
        if (!f->data)
            abort();
        memcpy(f->data, data, len);
        f->len = (uint32_t)len;
    }
    return f;
}

static void on_wire(void *user, const uint8_t *frame, size_t len, uint64_t cycle)
{
    struct dut *d = user;
    uint64_t k = d->wire_sent++;
    if (!d->wire_keep || d->wire_keep(k)) {
        struct dut_frame *f = list_add(&d->wire, frame, len);
        f->cycle = cycle;
        f->k = k;
    }
    if (d->peer)
        nic_wire_rx(d->peer->nic, frame, len);
}

int dut_tx_desc(struct dut *d, const struct nic_tx_desc *desc)
{
    if (ring_next(d, d->tx_tail) == d->tx_clean)
        return -EAGAIN;
    memcpy(d->mem + off_txd(d) + (uint64_t)d->tx_tail * 32, desc, sizeof(*desc));
    d->tx_tail = ring_next(d, d->tx_tail);
    d->tx_posted++;
    if (!d->tx_defer_doorbell)
        dut_tx_doorbell(d);
    return 0;
}

void dut_tx_doorbell(struct dut *d)
{
    nic_mmio_write(d->nic, REG(TX_RING_TAIL), d->tx_tail);
}

int dut_tx(struct dut *d, const uint8_t *frame, size_t len, int sa, uint32_t seq_hi,
           uint32_t cookie)
{
    if (len > d->buf_len)
        return -EINVAL;
    if (ring_next(d, d->tx_tail) == d->tx_clean)
        return -EAGAIN;
    uint64_t buf = dut_tx_buf_iova(d, d->tx_tail);
    memcpy(d->mem + (buf - d->iova), frame, len);
    struct nic_tx_desc desc = {.addr = buf,
                               .len = (uint32_t)len,
                               .sa_handle = sa >= 0 ? (uint16_t)sa : 0,
                               .flags = sa >= 0 ? NIC_TXF_IPSEC : 0,
                               .cookie = cookie,
                               .seq_hi = seq_hi};
    return dut_tx_desc(d, &desc);
}

int dut_wire_rx(struct dut *d, const uint8_t *frame, size_t len)
{
    return nic_wire_rx(d->nic, frame, len);
}

/* Reap completions the card wrote (heads come from the write-back words), re-post RX buffers. */
static bool reap(struct dut *d)
{
    bool any = false;
    uint32_t txc_head, rxc_head;
    memcpy(&txc_head, d->mem + off_wb(d), 4);
    memcpy(&rxc_head, d->mem + off_wb(d) + 8, 4);
    txc_head %= d->ring; /* once, not a division per completion */
    rxc_head %= d->ring;
    while (d->txc_tail != txc_head) {
        struct dut_frame *f = list_add(&d->txc, NULL, 0);
        memcpy(&f->tx, d->mem + off_txc(d) + (uint64_t)d->txc_tail * 16, 16);
        f->cycle = nic_cycle(d->nic);
        d->txc_tail = ring_next(d, d->txc_tail);
        d->tx_clean = ring_next(d, d->tx_clean);
        any = true;
    }
    while (d->rxc_tail != rxc_head) {
        struct nic_rx_cpl c;
        memcpy(&c, d->mem + off_rxc(d) + (uint64_t)d->rxc_tail * 16, 16);
        /* the k-th completion is for the k-th descriptor: its slot holds the buffer address */
        struct nic_rx_desc used;
        memcpy(&used, d->mem + off_rxd(d) + (uint64_t)(d->rx_clean % d->ring) * 16, 16);
        uint64_t buf = used.addr - d->iova;
        uint32_t len = c.len <= d->buf_len ? c.len : d->buf_len;
        struct dut_frame *f = list_add(&d->rx, d->mem + buf, len);
        f->rx = c;
        f->cycle = nic_cycle(d->nic);
        d->rxc_tail = (d->rxc_tail + 1) % d->ring;
        /* the buffer goes back to the card at the ring slot after the last posted one */
        struct nic_rx_desc rd = {d->iova + buf, d->buf_len, 0};
        memcpy(d->mem + off_rxd(d) + (uint64_t)d->rx_tail * 16, &rd, sizeof(rd));
        d->rx_tail = (d->rx_tail + 1) % d->ring;
        d->rx_clean = (d->rx_clean + 1) % d->ring;
        any = true;
    }
    if (any) {
        nic_mmio_write(d->nic, REG(TX_CPL_TAIL), d->txc_tail);
        nic_mmio_write(d->nic, REG(RX_CPL_TAIL), d->rxc_tail);
        nic_mmio_write(d->nic, REG(RX_RING_TAIL), d->rx_tail);
    }
    return any;
}

bool dut_run(struct dut *d, uint64_t max_cycles)
{
    uint64_t end = nic_cycle(d->nic) + max_cycles;
    for (;;) {
        uint64_t now = nic_cycle(d->nic);
        if (now >= end)
            return false;
        uint64_t slice = end - now < 4096 ? end - now : 4096;
        bool idle = nic_run(d->nic, slice);
        bool peer_idle = true;
        if (d->peer) {
            /* keep the peer in step: it runs to the same cycle */
            uint64_t pc = nic_cycle(d->peer->nic), mine = nic_cycle(d->nic);
            /* an idle device sends nothing more: the peer may then run on alone */
            uint64_t budget = idle ? end - (pc < end ? pc : end) : mine > pc ? mine - pc : 0;
            peer_idle = nic_run(d->peer->nic, budget);
            reap(d->peer);
        }
        bool any = reap(d);
        if (idle && peer_idle && !any)
            return true;
    }
}

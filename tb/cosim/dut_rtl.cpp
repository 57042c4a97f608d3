// dut_rtl.cpp - the DUT interface on the Verilated crypto_top (contract in dut_rtl.h).
#include "dut_rtl.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "Vcrypto_top.h"

extern "C" {
#include "fw.h"
#include "parser.h"
#include "fw_hal.h"
#include "nd_bus.h"
#include "nicsim/regs.h"
}

namespace {

const uint64_t kCsrTimeout = 100000; // cycles one CSR access may take (an OP takes ~100)
const uint32_t kCaps = NICSIM_TOP_CAPS_CRYPTO_OFFLOAD_MASK | NICSIM_TOP_CAPS_ESN_MASK |
                       NICSIM_TOP_CAPS_IPV6_MASK | NICSIM_TOP_CAPS_TUNNEL_MASK |
                       NICSIM_TOP_CAPS_AES_192_256_MASK; // no packet offload in this RTL
const uint32_t kWindowMax = 128;                         // crypto_top MaxWindow

struct rtl_dut {
    cosim *cs;
    Vcrypto_top *top;
    nd_bus bus;                       // what the host's mailbox client talks to
    uint32_t mbox[NICSIM_MBOX_NREGS]; // the mailbox register file (host and card side)
    uint32_t status;                  // MBOX.STATUS
    bool pending;                     // DOORBELL rung, the firmware has not run yet
    bool bus_failed;                  // a CSR access never completed
    // the packet in flight
    bool busy, done, esp;
    bool tx;
    std::vector<uint8_t> frame;
    size_t esp_off, esp_len, nbeats, beat;
    int handle;
    uint32_t seq_hi;
    bool v6;
    uint8_t daddr[16];
    std::vector<uint8_t> out;
    uint64_t t_drive;
    dut_txn txn;
};

rtl_dut *of(const dut_if *d) { return static_cast<rtl_dut *>(d->priv); }


// ---- the parser's part: the C model's own parser (hwmodel/parser.h; the RTL has none), so a
// frame reaches the RTL exactly when it would reach esp_rx / esp_tx in the C model. ----
enum class frame_kind {
    esp,  // ESP at esp_off, esp_len bytes to the IP length: for the crypto pipeline
    pass, // not ESP, a fragment, an extension header the walk cannot see past: to the host
    bad   // not IP, truncated, bad header: dropped (bad_syntax), as esp_rx.c does
};

frame_kind find_esp(const uint8_t *f, size_t n, bool tx, size_t *off, size_t *len, bool *v6,
                    uint8_t daddr[16])
{
    parser_result pr;
    parser_status st = tx ? parser_tx_crypto(f, n, &pr) : parser_rx(f, n, &pr);
    memcpy(daddr, pr.daddr, 16);
    *v6 = pr.v6;
    *off = pr.esp_off;
    *len = pr.esp_len;
    switch (st) {
    case PARSER_OK:
        return frame_kind::esp;
    case PARSER_NOT_ESP:
    case PARSER_FRAGMENT:
    case PARSER_UNSUPPORTED_EXT:
        return frame_kind::pass;
    default:
        return frame_kind::bad;
    }
}

// ---- clocking -------------------------------------------------------------------------------
void finish(rtl_dut *r)
{
    Vcrypto_top *t = r->top;
    dut_txn *x = &r->txn;
    memset(x, 0, offsetof(dut_txn, frame));
    x->tx = r->tx;
    x->handle = t->out_sa_valid_o ? t->out_handle_o : -1;
    x->drop = t->out_drop_o;
    x->status = t->out_status_o;
    x->flags = r->tx ? 0 : t->out_flags_o;
    x->seq_hi = r->tx || !t->out_sa_valid_o ? 0 : t->out_seq_hi_o;
    x->len = 0;
    if (!x->drop) { // the frame: the header bytes the parser kept, then the ESP part
        size_t n = t->out_len_o;
        memcpy(x->frame, r->frame.data(), r->esp_off);
        memcpy(x->frame + r->esp_off, r->out.data(), std::min(n, r->out.size()));
        x->len = r->esp_off + n;
    }
    x->latency = r->cs->cycle - r->t_drive;
    r->done = true;
}

// One cycle: offer the current input beat, take an output beat, clock edge.
void step(rtl_dut *r)
{
    Vcrypto_top *t = r->top;
    bool feeding = r->busy && r->esp && !r->done && r->beat < r->nbeats;
    t->in_valid_i = feeding;
    t->out_ready_i = 1;
    if (feeding) {
        uint8_t b[16] = {0};
        size_t at = 16 * r->beat;
        size_t n = r->esp_len > at ? std::min<size_t>(16, r->esp_len - at) : 0;
        memcpy(b, r->frame.data() + r->esp_off + at, n);
        uint32_t w[4];
        cosim_to_wide(b, w);
        for (int i = 0; i < 4; i++)
            t->in_data_i[i] = w[i];
        t->in_last_i = r->beat + 1 == r->nbeats;
    }
    t->eval();
    bool fire_in = feeding && t->in_ready_o;
    if (r->busy && !r->done && t->out_valid_o) {
        uint8_t b[16];
        cosim_from_wide(t->out_data_o.data(), b);
        r->out.insert(r->out.end(), b, b + 16);
        if (t->out_last_o)
            finish(r);
    }
    cosim_tick(r->cs, t);
    if (fire_in)
        r->beat++;
}

// ---- the control CPU's bus: one CSR access on the RTL, held until acked ---------------------
uint32_t csr(rtl_dut *r, bool we, uint32_t addr, uint32_t wdata)
{
    Vcrypto_top *t = r->top;
    t->csr_req_i = 1;
    t->csr_we_i = we;
    t->csr_addr_i = addr;
    t->csr_wdata_i = wdata;
    uint32_t rdata = 0;
    for (uint64_t n = 0;; n++) {
        t->eval();
        if (t->csr_ack_o) { // the transfer happens at this edge
            rdata = t->csr_rdata_o;
            step(r);
            break;
        }
        if (n == kCsrTimeout) {
            r->bus_failed = true;
            break;
        }
        step(r);
    }
    t->csr_req_i = 0;
    t->csr_we_i = 0;
    t->eval();
    return rdata;
}

bool in_block(uint32_t addr, uint32_t base, uint32_t nregs)
{
    return addr >= base && addr < base + 4 * nregs && !(addr & 3);
}

uint32_t top_reg(uint32_t reg)
{
    switch (reg) {
    case NICSIM_TOP_ID: return 0x4e494353u;
    case NICSIM_TOP_VERSION: return 0x00010000u;
    case NICSIM_TOP_CAPS: return kCaps;
    case NICSIM_TOP_RX_SA_MAX: return DUT_RTL_SA_ENTRIES;
    case NICSIM_TOP_TX_SA_MAX: return DUT_RTL_SA_ENTRIES;
    case NICSIM_TOP_ENGINES: return 1;
    case NICSIM_TOP_WINDOW_MAX: return kWindowMax;
    default: return 0;
    }
}

// The firmware's HAL (firmware/fw_hal.h): TOP and the mailbox here, SAT on the RTL.
uint32_t hal_rd(void *ctx, uint32_t addr)
{
    rtl_dut *r = static_cast<rtl_dut *>(ctx);
    if (in_block(addr, NICSIM_TOP_BASE, NICSIM_TOP_NREGS))
        return top_reg((addr - NICSIM_TOP_BASE) / 4);
    if (in_block(addr, NICSIM_MBOX_BASE, NICSIM_MBOX_NREGS)) {
        uint32_t reg = (addr - NICSIM_MBOX_BASE) / 4;
        return reg == NICSIM_MBOX_STATUS ? r->status : r->mbox[reg];
    }
    return csr(r, false, addr, 0);
}

void hal_wr(void *ctx, uint32_t addr, uint32_t v)
{
    rtl_dut *r = static_cast<rtl_dut *>(ctx);
    if (in_block(addr, NICSIM_MBOX_BASE, NICSIM_MBOX_NREGS)) {
        uint32_t reg = (addr - NICSIM_MBOX_BASE) / 4;
        if ((reg >= NICSIM_MBOX_RESP0 && reg <= NICSIM_MBOX_RESP3) ||
            (reg >= NICSIM_MBOX_KEY0 && reg <= NICSIM_MBOX_KEY8))
            r->mbox[reg] = v;
        return;
    }
    if (in_block(addr, NICSIM_TOP_BASE, NICSIM_TOP_NREGS))
        return; // read-only to the firmware
    csr(r, true, addr, v);
}

void hal_spend(void *, uint32_t) {}

// ---- the host's side of the mailbox (nd_bus for host-driver/nd_mbox) ------------------------
rtl_dut *bus_of(const nd_bus *b) { return static_cast<rtl_dut *>(b->priv); }

uint32_t bus_rd(nd_bus *b, uint32_t off)
{
    rtl_dut *r = bus_of(b);
    if (in_block(off, NICSIM_TOP_BASE, NICSIM_TOP_NREGS))
        return top_reg((off - NICSIM_TOP_BASE) / 4);
    if (!in_block(off, NICSIM_MBOX_BASE, NICSIM_MBOX_NREGS))
        return 0;
    uint32_t reg = (off - NICSIM_MBOX_BASE) / 4;
    if (reg == NICSIM_MBOX_STATUS)
        return r->status;
    if (reg >= NICSIM_MBOX_KEY0 && reg <= NICSIM_MBOX_KEY8)
        return 0; // write-only to the host
    return r->mbox[reg];
}

void bus_wr(nd_bus *b, uint32_t off, uint32_t v)
{
    rtl_dut *r = bus_of(b);
    if (!in_block(off, NICSIM_MBOX_BASE, NICSIM_MBOX_NREGS))
        return;
    uint32_t reg = (off - NICSIM_MBOX_BASE) / 4;
    if (reg == NICSIM_MBOX_STATUS || (reg >= NICSIM_MBOX_RESP0 && reg <= NICSIM_MBOX_RESP3))
        return;
    if (reg == NICSIM_MBOX_DOORBELL && (v & 1) && !(r->status & NICSIM_MBOX_STATUS_BUSY_MASK)) {
        r->status = NICSIM_MBOX_STATUS_BUSY_MASK;
        r->pending = true;
    }
    r->mbox[reg] = v;
}

// The control CPU runs the command when the host lets time pass.
bool bus_run(nd_bus *b, uint64_t)
{
    rtl_dut *r = bus_of(b);
    if (r->pending) {
        r->pending = false;
        for (uint32_t i = NICSIM_MBOX_RESP0; i <= NICSIM_MBOX_RESP3; i++)
            r->mbox[i] = 0;
        fw_hal hal = {r, hal_rd, hal_wr, hal_spend};
        uint32_t code = fw_mailbox_service(&hal);
        r->status = NICSIM_MBOX_STATUS_DONE_MASK |
                    (code << NICSIM_MBOX_STATUS_CODE_LSB & NICSIM_MBOX_STATUS_CODE_MASK);
    } else {
        step(r);
    }
    return true;
}

uint64_t bus_cycle(const nd_bus *b) { return bus_of(b)->cs->cycle; }

const nd_bus_ops kBusOps = {bus_rd, bus_wr, nullptr, bus_run, bus_cycle, nullptr, nullptr};

// ---- the DUT interface (tb/dut/dut_if.h) ------------------------------------------------------

int drive(dut_if *d, const dut_cmd *c)
{
    rtl_dut *r = of(d);
    if (c->kind != DUT_TX && c->kind != DUT_RX) {
        int rc = dut_if_control(&r->bus, c);
        return r->bus_failed ? -ETIMEDOUT : rc;
    }
    if (r->busy)
        return -EAGAIN;
    if (c->len > sizeof r->txn.frame)
        return -EINVAL;
    r->busy = true;
    r->done = false;
    r->tx = c->kind == DUT_TX;
    r->frame.assign(c->frame, c->frame + c->len);
    r->handle = c->handle;
    r->seq_hi = c->seq_hi;
    r->out.clear();
    r->beat = 0;
    r->t_drive = r->cs->cycle;
    frame_kind k = find_esp(c->frame, c->len, r->tx, &r->esp_off, &r->esp_len, &r->v6, r->daddr);
    r->esp = k == frame_kind::esp;
    if (!r->esp && r->tx && c->handle >= 0) { // IPsec asked for a frame without ESP: the
        r->esp = true;                        // pipeline refuses it (no SA / bad syntax)
        r->esp_off = c->len;
        r->esp_len = 0;
    }
    if (!r->esp || (r->tx && c->handle < 0)) { // nothing for the crypto pipeline
        memset(&r->txn, 0, offsetof(dut_txn, frame));
        r->txn.tx = r->tx;
        r->txn.handle = -1;
        if (!r->tx && k == frame_kind::bad) {
            r->txn.drop = NIC_DROP_BAD_SYNTAX; // the parser drops it
        } else {
            memcpy(r->txn.frame, c->frame, c->len); // passed as is
            r->txn.len = c->len;
        }
        r->done = true;
        r->esp = false;
        return 0;
    }
    r->nbeats = r->esp_len ? (r->esp_len + 15) / 16 : 1;
    Vcrypto_top *t = r->top;
    t->in_tx_i = r->tx;
    t->in_len_i = (uint16_t)r->esp_len;
    t->in_wire_len_i = (uint16_t)(r->esp_off + r->esp_len);
    t->in_handle_i = (uint16_t)(c->handle < 0 ? 0 : c->handle);
    t->in_seq_hi_i = r->seq_hi;
    t->in_v6_i = r->v6;
    uint32_t w[4];
    cosim_to_wide(r->daddr, w);
    for (int i = 0; i < 4; i++)
        t->in_daddr_i[i] = w[i];
    return 0;
}

bool tick(dut_if *d, uint64_t max_cycles)
{
    rtl_dut *r = of(d);
    for (uint64_t n = 0; n < max_cycles && r->busy && !r->done && !cosim_failed(r->cs); n++)
        step(r);
    return !r->busy || r->done;
}

int sample(dut_if *d, dut_txn *t)
{
    rtl_dut *r = of(d);
    if (r->bus_failed) {
        snprintf(d->last_error, sizeof d->last_error, "a CSR access got no ack in %llu cycles",
                 (unsigned long long)kCsrTimeout);
        return -EIO;
    }
    if (!r->busy || !r->done)
        return 0;
    *t = r->txn;
    r->busy = r->done = false;
    return 1;
}

uint64_t cycle(const dut_if *d) { return of(d)->cs->cycle; }

int reset(dut_if *d)
{
    rtl_dut *r = of(d);
    r->busy = r->done = false;
    return dut_if_mbox_reset(&r->bus);
}

void destroy(dut_if *d)
{
    if (!d)
        return;
    rtl_dut *r = of(d);
    cosim_done(r->cs, r->top);
    delete r->top;
    delete r;
    free(d);
}

} // namespace

struct dut_if *dut_rtl_create(cosim *cs, char *err, size_t errlen)
{
    dut_if *d = static_cast<dut_if *>(calloc(1, sizeof *d));
    if (!d) {
        snprintf(err, errlen, "out of memory");
        return nullptr;
    }
    rtl_dut *r = new rtl_dut{};
    r->cs = cs;
    r->top = new Vcrypto_top{cs->ctx};
    r->bus.ops = &kBusOps;
    r->bus.priv = r;
    cosim_attach(cs, r->top);
    cosim_reset(cs, r->top);
    d->name = "rtl";
    d->priv = r;
    d->reset = reset;
    d->drive = drive;
    d->tick = tick;
    d->sample = sample;
    d->cycle = cycle;
    d->destroy = destroy;
    return d;
}

// blk_sa_csr.cpp - transaction-level lock-step of rtl/sa_csr.v against struct sa_csr
// (hwmodel/sa_csr.[ch]) and the tables it programs (the nic_ctx's sa_cam, key RAMs, esn tables
// and per-SA counters, built here with the RTL's capacities).
//
// The C model performs an operation during the OP write; the RTL acks the OP write when it is
// done (key expansion takes 51..67 cycles), so the compare is per CSR access, not per cycle:
// every access goes to both, and the RTL's csr_rdata_o / csr_err_o (with csr_ack_o) are
// compared with sa_csr_read() and the address check. After every OP the RTL's RESULT, INDEX and
// DATA0..3 are read over the bus and compared with the C register file. The RTL is addressed
// with the C header's NICSIM_SAT_* offsets, so its register map is checked against regs.def.
//
// The datapath ports are probed between CSR accesses (the tables are then the same in both):
// RX lookups (keys of added SAs and random ones) against sa_cam_rx_lookup / rx_get, TX lookups
// against sa_cam_tx_get, the key RAM read port against key_ram_valid / key_ram_nr /
// key_ram_slot_dp (round keys, H, salt), the seq_hi port against esn_rx_seq_hi, and counter
// increments (cnt_*) mirrored with nic_ctx_sa_count on installed or HELD slots, which the
// STATS operations then compare.
//
// Packet offload: the RTL refuses ADD with CFG.OFFLOAD = packet with -EOPNOTSUPP after the
// field checks. Such an ADD goes to the C model only when its fields are invalid (then both
// answer -EINVAL from decode() / sa_check(), no table touched); a valid one is not sent to the
// C model: the harness sets the C port's OP, RESULT = -95 and KEY scrub itself.
//
// Stimulus: a fill phase (TX then RX adds until -ENOSPC), then random accesses: adds of every
// shape (dir incl. bad values, mode, offload, esn, v6, ICV 8/12/16 and bad, key material
// 20/28/36 and bad, reserved CFG bits, SPI 0, duplicate keys, windows incl. ones the esn table
// refuses, restore sequence numbers), deletes, frees (-EBUSY / -ENOENT), ESN, STATS, COUNT,
// RESET, unknown ops, reads of every register (KEY* read 0), writes to read-only registers, and
// bad or misaligned addresses.
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "Vsa_csr.h"
#include "cosim.h"

extern "C" {
#include "nic_ctx.h"
#include "sa_csr.h"
}

static const char help[] =
    "Transaction-level lock-step of rtl/sa_csr.v and the C sa_csr (SAT port + SA tables):\n"
    "every CSR access compared, datapath read ports probed between accesses.\n"
    "--cycles N  cycles to run (default 20000)";

static const unsigned kRx = 64, kTx = 64;   // sa_csr.v RxEntries / TxEntries defaults
static const unsigned kMaxWindow = 128;     // sa_csr.v MaxWindow
static const unsigned kDefaultWindow = 64;  // sa_csr.v DefaultWindow (params.def)
static const unsigned kAckTimeout = 2000;   // cycles an access may take (RESET ~130, ADD ~80)

struct harness {
    cosim *cs;
    Vsa_csr *top;
    nic_ctx ctx;
    sa_csr sat;
    std::vector<sa_rx_key> rx_keys; // keys of RX adds (for lookups)
    uint32_t last_deleted[2];
    // coverage
    uint64_t ops[8], op_ok[8], op_err[8], enospc, eexist, ebusy, enoent, eopnotsupp;
    uint64_t accesses, rx_hits, tx_hits, kr_hits, counts, hi_esn, conc_checks;
    uint32_t conc; // lookups run alongside this OP (ADD or RESET), 0 = none
};

static uint32_t addr_of(uint32_t reg)
{
    return 0x1000u + 4u * reg; // NICSIM_CSR_BLOCKS SAT base
}

static void wide_in(VlWide<4> &dst, const uint8_t b[16])
{
    uint32_t w[4];
    cosim_to_wide(b, w);
    for (int i = 0; i < 4; i++)
        dst[i] = w[i];
}

static void wide_out(const VlWide<4> &src, uint8_t b[16])
{
    uint32_t w[4];
    for (int i = 0; i < 4; i++)
        w[i] = src[i];
    cosim_from_wide(w, b);
}

static bool c_held(const harness *h, unsigned dir, uint32_t i)
{
    uint32_t cap = dir ? kTx : kRx;
    return i < cap && (h->sat.held[dir][i / 64] >> (i % 64) & 1);
}

static bool c_installed(const harness *h, unsigned dir, uint32_t i)
{
    return dir ? sa_cam_tx_get(&h->ctx.cam, i) != nullptr
               : sa_cam_rx_get(&h->ctx.cam, i) != nullptr;
}

// A random installed or HELD slot of dir (or a random in-range index when there is none).
static uint32_t pick_live(harness *h, uint32_t dir)
{
    uint32_t cap = dir ? kTx : kRx, live[kRx > kTx ? kRx : kTx], n = 0;
    for (uint32_t i = 0; i < cap; i++)
        if (c_installed(h, dir, i) || c_held(h, dir, i))
            live[n++] = i;
    return n ? live[cosim_below(h->cs, n)] : cosim_below(h->cs, cap);
}

// decode() + sa_check() of sa_csr.c: the -EINVAL an ADD gets before any table (0 if none).
static int c_add_precheck(const uint32_t *r)
{
    uint32_t cfg = r[NICSIM_SAT_CFG];
    const uint32_t known = NICSIM_SAT_CFG_MODE_MASK | NICSIM_SAT_CFG_OFFLOAD_MASK |
                           NICSIM_SAT_CFG_ESN_MASK | NICSIM_SAT_CFG_V6_MASK |
                           NICSIM_SAT_CFG_ICV_LEN_MASK | NICSIM_SAT_CFG_KEYMAT_LEN_MASK;
    uint32_t icv = (cfg >> NICSIM_SAT_CFG_ICV_LEN_LSB) & ((1u << NICSIM_SAT_CFG_ICV_LEN_WIDTH) - 1);
    uint32_t km = (cfg >> NICSIM_SAT_CFG_KEYMAT_LEN_LSB) &
                  ((1u << NICSIM_SAT_CFG_KEYMAT_LEN_WIDTH) - 1);
    bool esn = cfg & NICSIM_SAT_CFG_ESN_MASK;
    if (r[NICSIM_SAT_DIR] > 1 || (cfg & ~known) || (icv != 8 && icv != 12 && icv != 16) ||
        (km != 20 && km != 28 && km != 36) || r[NICSIM_SAT_SPI] == 0 ||
        (!esn && r[NICSIM_SAT_SEQ_HI] != 0))
        return -EINVAL;
    return 0;
}

// Lookups issued while an ADD or RESET is under way (h->conc): the datapath must see the
// operation as atomic: an ADD's slot misses until the ack (the C table before the operation,
// which the C side still holds: it performs the OP after the RTL's ack); a RESET answers every
// lookup with a miss (the table after it).
struct conc_req {
    bool valid;
    int rx_idx;          // expected RX answer (-1 miss)
    sa_cam_cfg rx_cfg;
    bool tx_hit;
    sa_cam_tx_entry tx;
};

static conc_req conc_issue(harness *h, bool on, bool after_reset)
{
    cosim *cs = h->cs;
    Vsa_csr *top = h->top;
    conc_req q;
    memset(&q, 0, sizeof q);
    top->rx_req_valid_i = on;
    top->tx_req_valid_i = on;
    if (!on)
        return q;
    q.valid = true;
    sa_rx_key k;
    memset(&k, 0, sizeof k);
    if (!h->rx_keys.empty() && cosim_below(cs, 4))
        k = h->rx_keys[cosim_below(cs, (uint32_t)h->rx_keys.size())];
    else {
        k.spi = 1 + cosim_below(cs, 8);
        k.v6 = cosim_below(cs, 2);
        cosim_bytes(cs, k.daddr, 16);
    }
    k.proto = SA_CAM_PROTO_ESP;
    // the slot an ADD takes is the lowest free one: ask for it often
    uint32_t ti = cosim_below(cs, 2) ? 0 : cosim_below(cs, kTx + 2);
    while (cosim_below(cs, 2) == 0 && ti < kTx && (c_installed(h, 1, ti) || c_held(h, 1, ti)))
        ti++;
    bool rst = after_reset;
    q.rx_idx = rst ? -1 : sa_cam_rx_lookup(&h->ctx.cam, &k);
    if (q.rx_idx >= 0)
        q.rx_cfg = sa_cam_rx_get(&h->ctx.cam, (uint32_t)q.rx_idx)->cfg;
    const sa_cam_tx_entry *e = rst ? nullptr : sa_cam_tx_get(&h->ctx.cam, ti);
    q.tx_hit = e != nullptr;
    if (e)
        q.tx = *e;
    top->rx_req_spi_i = k.spi;
    top->rx_req_v6_i = k.v6;
    wide_in(top->rx_req_daddr_i, k.daddr);
    top->tx_req_idx_i = ti;
    return q;
}

static void conc_check(harness *h, const conc_req &q)
{
    cosim *cs = h->cs;
    Vsa_csr *top = h->top;
    if (!q.valid)
        return;
    cosim_check(cs, "rx_rsp_valid_o (during op)", 1, top->rx_rsp_valid_o);
    cosim_check(cs, "rx_rsp_hit_o (during op)", q.rx_idx >= 0, top->rx_rsp_hit_o);
    cosim_check(cs, "rx_rsp_idx_o (during op)", q.rx_idx >= 0 ? (uint32_t)q.rx_idx : 0,
                top->rx_rsp_idx_o);
    cosim_check(cs, "rx_rsp_flags_o (during op)", q.rx_idx >= 0 ? q.rx_cfg.flags : 0,
                top->rx_rsp_flags_o);
    cosim_check(cs, "rx_rsp_icv_len_o (during op)", q.rx_idx >= 0 ? q.rx_cfg.icv_len : 0,
                top->rx_rsp_icv_len_o);
    cosim_check(cs, "tx_rsp_valid_o (during op)", 1, top->tx_rsp_valid_o);
    cosim_check(cs, "tx_rsp_hit_o (during op)", q.tx_hit, top->tx_rsp_hit_o);
    cosim_check(cs, "tx_rsp_spi_o (during op)", q.tx_hit ? q.tx.spi : 0, top->tx_rsp_spi_o);
    cosim_check(cs, "tx_rsp_flags_o (during op)", q.tx_hit ? q.tx.cfg.flags : 0,
                top->tx_rsp_flags_o);
    h->conc_checks++;
}

// One access on the RTL bus: drive, clock until the ack, return data and error.
static bool rtl_access(harness *h, bool we, uint32_t addr, uint32_t wdata, uint32_t *rdata,
                       bool *err)
{
    Vsa_csr *top = h->top;
    top->csr_req_i = 1;
    top->csr_we_i = we;
    top->csr_addr_i = addr;
    top->csr_wdata_i = wdata;
    conc_req prev; // the lookup issued before the previous tick: its answer is out now
    memset(&prev, 0, sizeof prev);
    // RESET takes effect at the end of the cycle after the one its write is taken in (a cycle
    // later when the block is still acking the previous access); refused (DIR > 1): never
    unsigned rst_from = (top->csr_ack_o ? 1 : 0) + 2;
    bool rst_ok = h->conc == NICSIM_SAT_OP_RESET && h->sat.reg[NICSIM_SAT_DIR] <= 1;
    for (unsigned n = 0; n < kAckTimeout; n++) {
        conc_req q = conc_issue(h, h->conc != 0, rst_ok && n >= rst_from);
        cosim_tick(h->cs, top);
        conc_check(h, prev);
        prev = q;
        if (top->csr_ack_o) {
            *rdata = top->csr_rdata_o;
            *err = top->csr_err_o;
            top->csr_req_i = 0;
            top->csr_we_i = 0;
            top->csr_addr_i = 0;
            top->csr_wdata_i = 0;
            h->accesses++;
            if (h->conc) { // drain the lookup in flight
                conc_issue(h, false, false);
                cosim_tick(h->cs, top);
                conc_check(h, prev);
            }
            return true;
        }
    }
    cosim_check(h->cs, "csr_ack_o (timeout)", 1, 0);
    return false;
}

static bool in_block(uint32_t addr)
{
    return addr >= 0x1000u && addr < addr_of(NICSIM_SAT_NREGS) && (addr & 3) == 0;
}

static uint32_t csr_read(harness *h, uint32_t addr)
{
    uint32_t rd = 0;
    bool err = false;
    if (!rtl_access(h, false, addr, 0, &rd, &err))
        return 0;
    uint32_t exp = in_block(addr) ? sa_csr_read(&h->sat, (addr - 0x1000u) / 4) : 0;
    char name[48];
    snprintf(name, sizeof name, "csr_rdata_o @%#x", addr);
    cosim_check(h->cs, name, exp, rd);
    snprintf(name, sizeof name, "csr_err_o (read @%#x)", addr);
    cosim_check(h->cs, name, !in_block(addr), err);
    return rd;
}

static void check_outcome(harness *h)
{
    static const uint32_t regs[] = {NICSIM_SAT_RESULT, NICSIM_SAT_INDEX, NICSIM_SAT_DATA0,
                                    NICSIM_SAT_DATA1, NICSIM_SAT_DATA2, NICSIM_SAT_DATA3};
    for (uint32_t r : regs)
        csr_read(h, addr_of(r));
}

static void csr_write(harness *h, uint32_t addr, uint32_t value)
{
    uint32_t rd = 0;
    bool err = false;
    h->conc = addr == addr_of(NICSIM_SAT_OP) &&
                      (value == NICSIM_SAT_OP_ADD || value == NICSIM_SAT_OP_RESET) &&
                      cosim_below(h->cs, 2)
                  ? value
                  : 0;
    bool acked = rtl_access(h, true, addr, value, &rd, &err);
    h->conc = 0;
    if (!acked)
        return;
    char name[48];
    snprintf(name, sizeof name, "csr_err_o (write @%#x)", addr);
    cosim_check(h->cs, name, !in_block(addr), err);
    if (!in_block(addr))
        return;
    uint32_t reg = (addr - 0x1000u) / 4;
    if (reg != NICSIM_SAT_OP) {
        sa_csr_write(&h->sat, reg, value);
        return;
    }
    uint32_t *r = h->sat.reg;
    bool packet = (r[NICSIM_SAT_CFG] & NICSIM_SAT_CFG_OFFLOAD_MASK) != 0;
    unsigned o = value < 8 ? value : 0;
    h->ops[o]++;
    if (value == NICSIM_SAT_OP_ADD && packet && c_add_precheck(r) == 0) {
        // the RTL refuses packet offload: mirror that on the C port without touching tables
        r[NICSIM_SAT_OP] = value;
        r[NICSIM_SAT_RESULT] = (uint32_t)-EOPNOTSUPP;
        memset(&r[NICSIM_SAT_KEY0], 0, 9 * sizeof(uint32_t));
    } else {
        sa_csr_write(&h->sat, reg, value);
    }
    int rc = (int)r[NICSIM_SAT_RESULT];
    (rc ? h->op_err : h->op_ok)[o]++;
    h->enospc += rc == -ENOSPC;
    h->eexist += rc == -EEXIST;
    h->ebusy += rc == -EBUSY;
    h->enoent += rc == -ENOENT;
    h->eopnotsupp += rc == -EOPNOTSUPP;
    check_outcome(h);
}

static void wreg(harness *h, uint32_t reg, uint32_t v)
{
    csr_write(h, addr_of(reg), v);
}

// ---- datapath probes (bus idle) --------------------------------------------------------------

static void probe_rx(harness *h)
{
    cosim *cs = h->cs;
    Vsa_csr *top = h->top;
    sa_rx_key k;
    memset(&k, 0, sizeof k);
    if (!h->rx_keys.empty() && cosim_below(cs, 4)) {
        k = h->rx_keys[cosim_below(cs, (uint32_t)h->rx_keys.size())];
        if (!k.v6 && cosim_below(cs, 4) == 0)
            k.daddr[4 + cosim_below(cs, 12)] = (uint8_t)cosim_rand(cs); // ignored for IPv4
        if (cosim_below(cs, 8) == 0)
            k.v6 ^= 1;
    } else {
        k.spi = cosim_below(cs, 4) ? 1 + cosim_below(cs, 8) : (uint32_t)cosim_rand(cs);
        k.v6 = cosim_below(cs, 2);
        cosim_bytes(cs, k.daddr, 16);
    }
    k.proto = SA_CAM_PROTO_ESP;
    int idx = sa_cam_rx_lookup(&h->ctx.cam, &k);
    const sa_cam_rx_entry *e = idx >= 0 ? sa_cam_rx_get(&h->ctx.cam, (uint32_t)idx) : nullptr;
    top->rx_req_valid_i = 1;
    top->rx_req_spi_i = k.spi;
    top->rx_req_v6_i = k.v6;
    wide_in(top->rx_req_daddr_i, k.daddr);
    cosim_tick(cs, top);
    top->rx_req_valid_i = 0;
    cosim_tick(cs, top);
    cosim_check(cs, "rx_rsp_valid_o", 1, top->rx_rsp_valid_o);
    cosim_check(cs, "rx_rsp_hit_o", idx >= 0, top->rx_rsp_hit_o);
    cosim_check(cs, "rx_rsp_idx_o", idx >= 0 ? (uint32_t)idx : 0, top->rx_rsp_idx_o);
    cosim_check(cs, "rx_rsp_mode_o", e ? e->cfg.mode : 0, top->rx_rsp_mode_o);
    cosim_check(cs, "rx_rsp_offload_o", e ? e->cfg.offload : 0, top->rx_rsp_offload_o);
    cosim_check(cs, "rx_rsp_icv_len_o", e ? e->cfg.icv_len : 0, top->rx_rsp_icv_len_o);
    cosim_check(cs, "rx_rsp_flags_o", e ? e->cfg.flags : 0, top->rx_rsp_flags_o);
    h->rx_hits += idx >= 0;
}

static void probe_tx(harness *h)
{
    cosim *cs = h->cs;
    Vsa_csr *top = h->top;
    uint32_t i = cosim_below(cs, 8) ? cosim_below(cs, kTx + 4) : (uint32_t)cosim_rand(cs) & 0xffff;
    const sa_cam_tx_entry *e = sa_cam_tx_get(&h->ctx.cam, i);
    top->tx_req_valid_i = 1;
    top->tx_req_idx_i = i;
    cosim_tick(cs, top);
    top->tx_req_valid_i = 0;
    cosim_tick(cs, top);
    cosim_check(cs, "tx_rsp_valid_o", 1, top->tx_rsp_valid_o);
    cosim_check(cs, "tx_rsp_hit_o", e != nullptr, top->tx_rsp_hit_o);
    cosim_check(cs, "tx_rsp_spi_o", e ? e->spi : 0, top->tx_rsp_spi_o);
    cosim_check(cs, "tx_rsp_mode_o", e ? e->cfg.mode : 0, top->tx_rsp_mode_o);
    cosim_check(cs, "tx_rsp_offload_o", e ? e->cfg.offload : 0, top->tx_rsp_offload_o);
    cosim_check(cs, "tx_rsp_icv_len_o", e ? e->cfg.icv_len : 0, top->tx_rsp_icv_len_o);
    cosim_check(cs, "tx_rsp_flags_o", e ? e->cfg.flags : 0, top->tx_rsp_flags_o);
    h->tx_hits += e != nullptr;
}

static void probe_kr(harness *h)
{
    cosim *cs = h->cs;
    Vsa_csr *top = h->top;
    unsigned dir = cosim_below(cs, 2);
    uint32_t cap = dir ? kTx : kRx;
    uint32_t slot = cosim_below(cs, 8) ? cosim_below(cs, cap + 4) : (uint32_t)cosim_rand(cs);
    const key_ram *kr = dir ? h->ctx.kr_tx : h->ctx.kr_rx;
    top->kr_tx_i = dir;
    top->kr_slot_i = slot;
    top->eval();
    bool v = key_ram_valid(kr, slot);
    cosim_check(cs, "kr_valid_o", v, top->kr_valid_o);
    cosim_check(cs, "kr_nr_o", key_ram_nr(kr, slot), top->kr_nr_o);
    const key_ram_slot *s = key_ram_slot_dp(kr, slot);
    uint8_t zero[16 * (AES_MAX_NR + 1)] = {0};
    uint8_t b[16];
    for (unsigned r = 0; r <= AES_MAX_NR && !cosim_failed(cs); r++) {
        uint32_t w[4];
        for (int i = 0; i < 4; i++)
            w[i] = top->kr_ks_o[4 * r + i];
        cosim_from_wide(w, b);
        cosim_check_bytes(cs, "kr_ks_o", s ? s->ks.rk[r] : zero, b, 16);
    }
    wide_out(top->kr_h_o, b);
    cosim_check_bytes(cs, "kr_h_o", s ? s->h : zero, b, 16);
    uint32_t salt = s ? (uint32_t)s->salt[0] << 24 | s->salt[1] << 16 | s->salt[2] << 8 | s->salt[3]
                      : 0;
    cosim_check(cs, "kr_salt_o", salt, top->kr_salt_o);
    h->kr_hits += v;
    cosim_tick(cs, top);
}

static void probe_hi(harness *h)
{
    cosim *cs = h->cs;
    Vsa_csr *top = h->top;
    uint32_t i = cosim_below(cs, 4) ? pick_live(h, 0) : cosim_below(cs, kRx + 2);
    for (uint32_t n = 0; n < 8 && cosim_below(cs, 2); n++) { // prefer an ESN crypto SA
        const esn_sa *e = esn_get(&h->ctx.esn_rx, i);
        if (e && e->esn)
            break;
        i = pick_live(h, 0);
    }
    const esn_sa *es = esn_get(&h->ctx.esn_rx, i);
    // near the window bottom (where the high half changes) or anywhere
    uint32_t seql = es && cosim_below(cs, 4) ? (uint32_t)es->sn + cosim_below(cs, 129) - 64
                                             : (uint32_t)cosim_rand(cs);
    uint32_t seqh = 0;
    esn_rx_seq_hi(&h->ctx.esn_rx, i, seql, &seqh);
    h->hi_esn += es && es->esn && es->kind == ESN_KIND_RX_CRYPTO;
    top->hi_req_valid_i = 1;
    top->hi_req_idx_i = i;
    top->hi_req_seql_i = seql;
    cosim_tick(cs, top);
    top->hi_req_valid_i = 0;
    cosim_check(cs, "hi_rsp_valid_o", 1, top->hi_rsp_valid_o);
    cosim_check(cs, "hi_rsp_seqh_o", seqh, top->hi_rsp_seqh_o);
}

static void probe_cnt(harness *h)
{
    cosim *cs = h->cs;
    Vsa_csr *top = h->top;
    unsigned dir = cosim_below(cs, 2);
    uint32_t i = cosim_below(cs, 8) == 0 ? (uint32_t)cosim_rand(cs) & 0xffff
                 : cosim_below(cs, 2)     ? pick_live(h, dir)
                                          : cosim_below(cs, (dir ? kTx : kRx) + 2);
    uint16_t bytes = (uint16_t)cosim_rand(cs);
    if (c_installed(h, dir, i) || c_held(h, dir, i)) {
        nic_ctx_sa_count(&h->ctx, dir ? NIC_SA_OUT : NIC_SA_IN, i, bytes);
        h->counts++;
    }
    top->cnt_valid_i = 1;
    top->cnt_tx_i = dir;
    top->cnt_idx_i = i;
    top->cnt_bytes_i = bytes;
    cosim_tick(cs, top);
    top->cnt_valid_i = 0;
}

// ---- operation stimulus ----------------------------------------------------------------------

static uint32_t cfg_word(uint32_t mode, uint32_t offload, uint32_t esn, uint32_t v6, uint32_t icv,
                         uint32_t km)
{
    return mode << NICSIM_SAT_CFG_MODE_LSB | offload << NICSIM_SAT_CFG_OFFLOAD_LSB |
           esn << NICSIM_SAT_CFG_ESN_LSB | v6 << NICSIM_SAT_CFG_V6_LSB |
           icv << NICSIM_SAT_CFG_ICV_LEN_LSB | km << NICSIM_SAT_CFG_KEYMAT_LEN_LSB;
}

static void write_keys(harness *h, bool all)
{
    cosim *cs = h->cs;
    for (uint32_t k = 0; k < 9; k++)
        if (all || cosim_below(cs, 2))
            wreg(h, NICSIM_SAT_KEY0 + k, (uint32_t)cosim_rand(cs));
}

// After an ADD: keep the key of a new RX SA for lookups and duplicate adds.
static void remember_rx_key(harness *h)
{
    const uint32_t *r = h->sat.reg;
    if (r[NICSIM_SAT_RESULT] != 0 || r[NICSIM_SAT_DIR] != 0)
        return;
    sa_rx_key k;
    memset(&k, 0, sizeof k);
    k.spi = r[NICSIM_SAT_SPI];
    k.proto = SA_CAM_PROTO_ESP;
    k.v6 = (r[NICSIM_SAT_CFG] & NICSIM_SAT_CFG_V6_MASK) != 0;
    for (unsigned i = 0; i < 16; i++)
        k.daddr[i] = (uint8_t)(r[NICSIM_SAT_ADDR0 + i / 4] >> (24 - 8 * (i % 4)));
    if (h->rx_keys.size() < 256)
        h->rx_keys.push_back(k);
    else
        h->rx_keys[cosim_below(h->cs, 256)] = k;
}

static void random_add(harness *h)
{
    cosim *cs = h->cs;
    static const uint32_t icvs[] = {8, 12, 16};
    static const uint32_t kms[] = {20, 28, 36};
    uint32_t dir = cosim_below(cs, 16) ? cosim_below(cs, 2) : 2 + cosim_below(cs, 4);
    uint32_t esn = cosim_below(cs, 2), v6 = cosim_below(cs, 2);
    uint32_t icv = cosim_below(cs, 12) ? icvs[cosim_below(cs, 3)] : cosim_below(cs, 32);
    uint32_t km = cosim_below(cs, 12) ? kms[cosim_below(cs, 3)] : cosim_below(cs, 64);
    uint32_t offload = cosim_below(cs, 8) == 0;
    uint32_t cfg = cfg_word(cosim_below(cs, 2), offload, esn, v6, icv, km);
    if (cosim_below(cs, 24) == 0)
        cfg |= 1u << (4 + cosim_below(cs, 28)) & ~(NICSIM_SAT_CFG_ICV_LEN_MASK |
                                                   NICSIM_SAT_CFG_KEYMAT_LEN_MASK);
    uint32_t spi = cosim_below(cs, 16) == 0 ? 0 : cosim_below(cs, 4) ? 1 + cosim_below(cs, 8)
                                                                      : (uint32_t)cosim_rand(cs);
    wreg(h, NICSIM_SAT_DIR, dir);
    wreg(h, NICSIM_SAT_CFG, cfg);
    wreg(h, NICSIM_SAT_SPI, spi);
    // addresses: a small pool (duplicates), IPv4 with or without junk in the unused words
    if (cosim_below(cs, 2)) {
        uint32_t a = cosim_below(cs, 4);
        for (uint32_t w = 0; w < 8; w++) {
            uint32_t v = w == 0 || w == 4 ? 0x0a000001u + a
                         : cosim_below(cs, 6) == 0 ? (uint32_t)cosim_rand(cs)
                         : (v6 ? a * 0x01010101u : 0);
            if (w < 4 || cosim_below(cs, 2))
                wreg(h, NICSIM_SAT_ADDR0 + w, v);
        }
    }
    if (!h->rx_keys.empty() && cosim_below(cs, 4) == 0) {
        // the key of an earlier RX add: -EEXIST while it is installed
        const sa_rx_key &k = h->rx_keys[cosim_below(cs, (uint32_t)h->rx_keys.size())];
        wreg(h, NICSIM_SAT_DIR, 0);
        wreg(h, NICSIM_SAT_SPI, k.spi);
        wreg(h, NICSIM_SAT_CFG, (cfg & ~NICSIM_SAT_CFG_V6_MASK) |
                                    (k.v6 ? NICSIM_SAT_CFG_V6_MASK : 0));
        for (uint32_t w = 0; w < 4; w++)
            wreg(h, NICSIM_SAT_ADDR0 + w,
                 (uint32_t)k.daddr[4 * w] << 24 | k.daddr[4 * w + 1] << 16 |
                     k.daddr[4 * w + 2] << 8 | k.daddr[4 * w + 3]);
    }
    if (cosim_below(cs, 2)) {
        static const uint32_t wins[] = {0, 32, 64, 100, 128, 256, 1024, 0x80000000u, 0x80000001u,
                                        0xffffffffu};
        uint32_t r = cosim_below(cs, 8);
        wreg(h, NICSIM_SAT_WINDOW, r < 4 ? 0 : r < 7 ? wins[cosim_below(cs, 10)]
                                                     : (uint32_t)cosim_rand(cs));
    }
    if (cosim_below(cs, 2)) {
        uint32_t r = cosim_below(cs, 4);
        uint32_t lo = r == 0 ? 0 : r == 1 ? cosim_below(cs, 200) : (uint32_t)cosim_rand(cs);
        uint32_t hi = cosim_below(cs, 3) == 0 ? cosim_below(cs, 3) == 0 ? 0xffffffffu
                                                                        : cosim_below(cs, 4)
                                              : 0;
        wreg(h, NICSIM_SAT_SEQ_LO, lo);
        wreg(h, NICSIM_SAT_SEQ_HI, hi);
    }
    if (cosim_below(cs, 8) == 0)
        wreg(h, NICSIM_SAT_LIFE_SOFT_PKTS + cosim_below(cs, 4), (uint32_t)cosim_rand(cs));
    write_keys(h, cosim_below(cs, 2));
    wreg(h, NICSIM_SAT_OP, NICSIM_SAT_OP_ADD);
    remember_rx_key(h);
}

static uint32_t pick_index(harness *h, uint32_t dir)
{
    cosim *cs = h->cs;
    uint32_t r = cosim_below(cs, 16);
    if (r < 4 && dir < 2)
        return h->last_deleted[dir];
    if (r < 10 && dir < 2)
        return pick_live(h, dir);
    if (r < 15)
        return cosim_below(cs, (dir ? kTx : kRx) + 3);
    return cosim_below(cs, 2) ? 0x80000000u + cosim_below(cs, 4) : (uint32_t)cosim_rand(cs);
}

static void index_op(harness *h, uint32_t op)
{
    cosim *cs = h->cs;
    uint32_t dir = cosim_below(cs, 24) ? cosim_below(cs, 2) : 2 + cosim_below(cs, 3);
    if (op == NICSIM_SAT_OP_ESN && cosim_below(cs, 4))
        dir = 0;
    uint32_t idx = pick_index(h, dir);
    if (dir < 2 && cosim_below(cs, 2)) {
        // a slot the operation can succeed on: HELD for FREE, an ESN crypto SA for ESN
        uint32_t cap = dir ? kTx : kRx, cand[kRx > kTx ? kRx : kTx], n = 0;
        for (uint32_t i = 0; i < cap; i++) {
            const esn_sa *es = dir ? nullptr : esn_get(&h->ctx.esn_rx, i);
            if (op == NICSIM_SAT_OP_FREE ? c_held(h, dir, i)
                : op == NICSIM_SAT_OP_ESN ? es && es->esn && c_installed(h, dir, i)
                                          : false)
                cand[n++] = i;
        }
        if (n)
            idx = cand[cosim_below(cs, n)];
    }
    wreg(h, NICSIM_SAT_DIR, dir);
    wreg(h, NICSIM_SAT_INDEX, idx);
    if (op == NICSIM_SAT_OP_ESN) {
        wreg(h, NICSIM_SAT_SEQ_LO, (uint32_t)cosim_rand(cs));
        wreg(h, NICSIM_SAT_SEQ_HI, cosim_below(cs, 4) ? cosim_below(cs, 3)
                                                      : (uint32_t)cosim_rand(cs));
    }
    wreg(h, NICSIM_SAT_OP, op);
    if (op == NICSIM_SAT_OP_DELETE && h->sat.reg[NICSIM_SAT_RESULT] == 0)
        h->last_deleted[dir] = idx;
}

// Fill phase: adds of one direction until the table answers -ENOSPC (plus one more).
static void fill(harness *h, uint32_t dir, uint64_t budget)
{
    cosim *cs = h->cs;
    wreg(h, NICSIM_SAT_DIR, dir);
    wreg(h, NICSIM_SAT_WINDOW, 0);
    wreg(h, NICSIM_SAT_SEQ_HI, 0);
    for (unsigned n = 0; n < (dir ? kTx : kRx) + 2 && cs->cycle < budget && !cosim_failed(cs);
         n++) {
        wreg(h, NICSIM_SAT_CFG,
             cfg_word(cosim_below(cs, 2), 0, cosim_below(cs, 2), 0, 16, 20 + 8 * cosim_below(cs, 3)));
        wreg(h, NICSIM_SAT_SPI, 0x1000 + n);
        wreg(h, NICSIM_SAT_SEQ_LO, cosim_below(cs, 1000));
        if (dir == 0)
            wreg(h, NICSIM_SAT_ADDR0, 0xc0a80000u + cosim_below(cs, 4));
        write_keys(h, false);
        wreg(h, NICSIM_SAT_OP, NICSIM_SAT_OP_ADD);
        remember_rx_key(h);
        if ((n & 7) == 0) {
            probe_rx(h);
            probe_tx(h);
            probe_kr(h);
        }
    }
}

static int body(cosim *cs)
{
    const uint64_t cycles = cs->cycles ? cs->cycles : 20000;
    harness *h = new harness();
    memset(&h->ctx, 0, sizeof h->ctx);
    h->cs = cs;
    nicsim_params_default(&h->ctx.p);
    h->ctx.p.rx_sa_entries = kRx;
    h->ctx.p.tx_sa_entries = kTx;
    h->ctx.p.replay_window = kDefaultWindow;
    h->ctx.p.max_replay_window = kMaxWindow;
    sa_cam_params cp = {kRx, kTx, SA_CAM_DEFAULT_LATENCY};
    esn_params etx = {kTx, 0}, erx = {kRx, kMaxWindow};
    h->ctx.kr_tx = key_ram_create(kTx);
    h->ctx.kr_rx = key_ram_create(kRx);
    h->ctx.sa_tx = (sa_counters *)calloc(kTx, sizeof(sa_counters));
    h->ctx.sa_rx = (sa_counters *)calloc(kRx, sizeof(sa_counters));
    if (sa_cam_init(&h->ctx.cam, &cp) || esn_init(&h->ctx.esn_tx, &etx) ||
        esn_init(&h->ctx.esn_rx, &erx) || !h->ctx.kr_tx || !h->ctx.kr_rx || !h->ctx.sa_tx ||
        !h->ctx.sa_rx || sa_csr_init(&h->sat, &h->ctx)) {
        fprintf(stderr, "cosim sa_csr: cannot build the C tables\n");
        return 1;
    }

    Vsa_csr *top = new Vsa_csr{cs->ctx};
    h->top = top;
    cosim_attach(cs, top);
    top->csr_req_i = 0;
    top->rx_req_valid_i = 0;
    top->tx_req_valid_i = 0;
    top->hi_req_valid_i = 0;
    top->cnt_valid_i = 0;
    top->kr_tx_i = 0;
    top->kr_slot_i = 0;
    cosim_reset(cs, top);

    // fill both tables first (ENOSPC, then the random phase runs on full tables), then random
    if (cycles >= 15000) {
        fill(h, 1, cycles);
        fill(h, 0, cycles);
        if (!cs->quiet && cs->win_lo > cs->win_hi)
            printf("cosim sa_csr: tables filled at cycle %" PRIu64 "\n", cs->cycle);
    }
    while (cs->cycle < cycles && !cosim_failed(cs)) {
        uint32_t r = cosim_below(cs, 100);
        if (r < 30)
            random_add(h);
        else if (r < 45)
            index_op(h, NICSIM_SAT_OP_DELETE);
        else if (r < 58)
            index_op(h, NICSIM_SAT_OP_FREE);
        else if (r < 64)
            index_op(h, NICSIM_SAT_OP_ESN);
        else if (r < 72)
            index_op(h, NICSIM_SAT_OP_STATS);
        else if (r < 76) {
            wreg(h, NICSIM_SAT_DIR, cosim_below(cs, 8) ? cosim_below(cs, 2) : 7);
            wreg(h, NICSIM_SAT_OP, NICSIM_SAT_OP_COUNT);
        } else if (r < 77 && cosim_below(cs, 3) == 0) {
            wreg(h, NICSIM_SAT_DIR, cosim_below(cs, 8) ? cosim_below(cs, 2) : 3);
            wreg(h, NICSIM_SAT_OP, NICSIM_SAT_OP_RESET);
        } else if (r < 79) {
            wreg(h, NICSIM_SAT_OP, cosim_below(cs, 2) ? 0 : 8 + (uint32_t)cosim_below(cs, 1000));
        } else if (r < 84) {
            csr_read(h, addr_of(cosim_below(cs, NICSIM_SAT_NREGS)));
        } else if (r < 86) {
            // writes to read-only registers, KEY writes read back 0
            uint32_t reg = cosim_below(cs, 2) ? NICSIM_SAT_RESULT + cosim_below(cs, 5)
                                              : NICSIM_SAT_KEY0 + cosim_below(cs, 9);
            wreg(h, reg, (uint32_t)cosim_rand(cs));
            csr_read(h, addr_of(reg));
        } else if (r < 88) {
            // outside the block or misaligned
            uint32_t a = cosim_below(cs, 2) ? (uint32_t)cosim_rand(cs)
                                            : addr_of(cosim_below(cs, NICSIM_SAT_NREGS + 4)) +
                                                  cosim_below(cs, 4);
            if (cosim_below(cs, 2))
                csr_read(h, a);
            else
                csr_write(h, a, (uint32_t)cosim_rand(cs));
        } else if (r < 91) {
            probe_rx(h);
        } else if (r < 93) {
            probe_tx(h);
        } else if (r < 95) {
            probe_kr(h);
        } else if (r < 97) {
            for (unsigned n = 0; n < 4; n++)
                probe_hi(h);
        } else {
            for (unsigned n = 0; n < 4; n++)
                probe_cnt(h);
        }
    }

    if (!cs->quiet && cs->win_lo > cs->win_hi) {
        static const char *names[8] = {"op0/bad", "add", "delete", "free",
                                       "esn",     "stats", "reset", "count"};
        for (int o = 0; o < 8; o++)
            printf("cosim sa_csr: %-7s %6" PRIu64 " ok %6" PRIu64 " err %6" PRIu64 "\n", names[o],
                   h->ops[o], h->op_ok[o], h->op_err[o]);
        printf("cosim sa_csr: enospc %" PRIu64 " eexist %" PRIu64 " ebusy %" PRIu64
               " enoent %" PRIu64 " eopnotsupp %" PRIu64 "\n",
               h->enospc, h->eexist, h->ebusy, h->enoent, h->eopnotsupp);
        printf("cosim sa_csr: %" PRIu64 " csr accesses; lookups hit rx %" PRIu64 " tx %" PRIu64
               "; key slots valid %" PRIu64 "; counted packets %" PRIu64 "; hi on ESN SAs %" PRIu64
               "\n",
               h->accesses, h->rx_hits, h->tx_hits, h->kr_hits, h->counts, h->hi_esn);
        printf("cosim sa_csr: %" PRIu64 " lookup pairs compared while an ADD or RESET ran\n",
               h->conc_checks);
    }
    cosim_done(cs, top);
    delete top;
    sa_csr_destroy(&h->sat);
    sa_cam_destroy(&h->ctx.cam);
    esn_destroy(&h->ctx.esn_tx);
    esn_destroy(&h->ctx.esn_rx);
    key_ram_destroy(h->ctx.kr_tx);
    key_ram_destroy(h->ctx.kr_rx);
    free(h->ctx.sa_tx);
    free(h->ctx.sa_rx);
    delete h;
    return 0;
}

int main(int argc, char **argv)
{
    return cosim_main(argc, argv, "sa_csr", help, body);
}

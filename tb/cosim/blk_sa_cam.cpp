// blk_sa_cam.cpp - lock-step of rtl/sa_cam.v against struct sa_cam (hwmodel/sa_cam.h).
//
// The C block is a function table, not clocked, so this file holds its port-level reference:
// each cycle the RX and TX lookups are answered from the C table as it is before the cycle's
// command (sa_cam_rx_lookup + sa_cam_rx_get, sa_cam_tx_get) and come out SA_CAM_DEFAULT_LATENCY
// (2) cycles later; the command (sa_cam_rx_add / rx_del / tx_add / tx_del) is applied at the
// edge and its outcome is on done/status/index one cycle later. HELD indices are masked into the
// C allocator around an add exactly as sa_csr.c's mask_held() does.
//
// Stimulus (small key space so the 64-entry tables fill and keys collide): phases that mostly
// add (until -ENOSPC) or mostly delete; keys from 8 SPIs x 6 addresses x v4/v6, where each IPv6
// address starts with the bytes of an IPv4 one (same low bytes, different key) and IPv4 keys
// carry junk in bytes 4..15 (ignored); -EINVAL cases (SPI 0, proto, v6 > 1, mode, offload, ICV
// length, flag bits, OUTER_V6 on RX); deletes of used, free and out-of-range indices; HELD
// slots after a delete, freed later; lookups of present, absent and deleted keys and handles.
// Compared every cycle: every output port.
#include "Vsa_cam.h"
#include "cosim.h"

#include <cerrno>
#include <cstring>
#include <vector>

extern "C" {
#include "sa_cam.h"
}

static const char help[] =
    "Lock-step of rtl/sa_cam.v (64 + 64 entries) and the C sa_cam: fill/drain phases, duplicate\n"
    "and invalid adds, deletes, HELD masks, RX/TX lookups of present and absent SAs.\n"
    "--cycles N  cycles to compare (default 20000)";

static const unsigned kEntries = 64; // the RTL's RxEntries / TxEntries defaults
static const unsigned kLatency = SA_CAM_DEFAULT_LATENCY;

struct rx_rsp {
    bool valid, hit;
    uint32_t idx;
    sa_cam_cfg cfg;
};
struct tx_rsp {
    bool valid, hit;
    sa_cam_tx_entry e;
};

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

// sa_csr.c mask_held(): held indices count as used while an add allocates.
static void mask_held(sa_cam_alloc *a, uint64_t held, bool on)
{
    if (!held)
        return;
    unsigned n = (unsigned)__builtin_popcountll(held);
    if (on) {
        a->used[0] |= held;
        a->count += n;
    } else {
        a->used[0] &= ~held;
        a->count -= n;
        a->hint = 0;
    }
}

static int status_code(int rc)
{
    switch (rc) {
    case -EINVAL:
        return 1;
    case -EEXIST:
        return 2;
    case -ENOSPC:
        return 3;
    case -ENOENT:
        return 4;
    default:
        return rc >= 0 ? 0 : 7;
    }
}

// The small key space: SPI from 8 values, address from 6 (v4 and v6 sharing the first bytes).
static void pick_key(cosim *cs, sa_rx_key *k, const uint8_t addrs[6][16])
{
    static const uint32_t spis[8] = {1, 2, 0x100, 0xdeadbeef, 0xffffffff, 7, 0x80000000, 3};
    memset(k, 0, sizeof *k);
    k->spi = spis[cosim_below(cs, 8)];
    k->proto = SA_CAM_PROTO_ESP;
    k->v6 = (uint8_t)cosim_below(cs, 2);
    memcpy(k->daddr, addrs[cosim_below(cs, 6)], 16);
    if (!k->v6) // bytes 4..15 do not count for IPv4: put junk there now and then
        for (int i = 4; i < 16; i++)
            k->daddr[i] = cosim_below(cs, 4) ? 0 : (uint8_t)cosim_rand(cs);
}

static void pick_cfg(cosim *cs, sa_cam_cfg *cfg, bool rx)
{
    static const uint8_t icv[3] = {8, 12, 16};
    cfg->mode = (uint8_t)cosim_below(cs, 2);
    cfg->offload = (uint8_t)cosim_below(cs, 2);
    cfg->icv_len = icv[cosim_below(cs, 3)];
    cfg->flags = (uint8_t)cosim_below(cs, rx ? 2 : 4);
    if (cosim_below(cs, 12) == 0) { // one invalid field
        switch (cosim_below(cs, 5)) {
        case 0:
            cfg->mode = (uint8_t)(2 + cosim_below(cs, 254));
            break;
        case 1:
            cfg->offload = (uint8_t)(2 + cosim_below(cs, 254));
            break;
        case 2:
            cfg->icv_len = (uint8_t)cosim_rand(cs);
            break;
        case 3:
            cfg->flags = (uint8_t)(cosim_rand(cs) | 0x04);
            break;
        default:
            cfg->flags |= SA_CFG_OUTER_V6; // invalid on RX only
            break;
        }
    }
}

static int body(cosim *cs)
{
    const uint64_t cycles = cs->cycles ? cs->cycles : 20000;
    Vsa_cam *top = new Vsa_cam{cs->ctx};
    cosim_attach(cs, top);
    sa_cam c;
    sa_cam_params p = {kEntries, kEntries, kLatency};
    if (sa_cam_init(&c, &p) != 0) {
        fprintf(stderr, "cosim sa_cam: sa_cam_init failed\n");
        delete top;
        return 1;
    }
    uint8_t addrs[6][16];
    for (int a = 0; a < 6; a++) {
        cosim_bytes(cs, addrs[a], 16);
        if (a >= 3) // IPv6 addresses that begin like the IPv4 ones
            memcpy(addrs[a], addrs[a - 3], 4);
    }
    uint64_t held[2] = {0, 0}; // HELD bitmaps (RX, TX), as sa_csr keeps them
    top->rx_req_valid_i = 0;
    top->tx_req_valid_i = 0;
    top->cmd_valid_i = 0;
    top->rx_held_i = 0;
    top->tx_held_i = 0;
    cosim_reset(cs, top);

    rx_rsp rx_pipe[kLatency];
    tx_rsp tx_pipe[kLatency];
    memset(rx_pipe, 0, sizeof rx_pipe);
    memset(tx_pipe, 0, sizeof tx_pipe);
    uint64_t cov[4][8] = {}, rx_hits = 0, tx_hits = 0; // op x status; lookups that hit
    bool filling = true;
    uint64_t phase_end = 0;
    while (cs->cycle < cycles && !cosim_failed(cs)) {
        if (cs->cycle >= phase_end) {
            filling = !filling;
            phase_end = cs->cycle + 100 + cosim_below(cs, 300);
        }
        // ---- RX lookup request ----
        sa_rx_key lk;
        bool lvalid = cosim_below(cs, 4) != 0;
        pick_key(cs, &lk, addrs);
        if (cosim_below(cs, 3) == 0 && sa_cam_rx_count(&c)) { // a present key, reworded
            uint32_t i = cosim_below(cs, kEntries);
            const sa_cam_rx_entry *e = sa_cam_rx_get(&c, i);
            if (e)
                lk = e->key;
        }
        if (cosim_below(cs, 30) == 0)
            lk.spi = 0;
        if (cosim_below(cs, 30) == 0)
            lk.proto = (uint8_t)cosim_rand(cs);
        top->rx_req_valid_i = lvalid;
        top->rx_req_spi_i = lk.spi;
        top->rx_req_proto_i = lk.proto;
        top->rx_req_v6_i = lk.v6;
        wide_in(top->rx_req_daddr_i, lk.daddr);
        // ---- TX lookup request ----
        bool tvalid = cosim_below(cs, 4) != 0;
        uint32_t th = cosim_below(cs, 16) == 0 ? (uint32_t)cosim_rand(cs)
                                               : cosim_below(cs, kEntries + 4);
        top->tx_req_valid_i = tvalid;
        top->tx_req_idx_i = th;
        // ---- command ----
        bool cvalid = cosim_below(cs, 3) != 0;
        unsigned op = cosim_below(cs, 4); // 0 RX add, 1 RX del, 2 TX add, 3 TX del
        if (cosim_below(cs, 4) != 0)      // the phase decides add or delete most of the time
            op = (op & 2) | (filling ? 0 : 1);
        sa_rx_key ck;
        pick_key(cs, &ck, addrs);
        sa_cam_cfg cfg;
        pick_cfg(cs, &cfg, op == 0);
        if (cosim_below(cs, 25) == 0)
            ck.spi = 0;
        if (cosim_below(cs, 40) == 0)
            ck.proto = (uint8_t)cosim_rand(cs);
        if (cosim_below(cs, 40) == 0)
            ck.v6 = (uint8_t)(2 + cosim_below(cs, 254));
        uint8_t saddr[16];
        cosim_bytes(cs, saddr, 16);
        uint32_t didx = cosim_below(cs, kEntries);
        switch (cosim_below(cs, 10)) {
        case 0:
            didx = kEntries + cosim_below(cs, 8); // just out of range
            break;
        case 1:
            didx = (uint32_t)cosim_rand(cs) | 0x10000; // far out (the index port is 32 bits)
            break;
        default:
            break;
        }
        top->cmd_valid_i = cvalid;
        top->cmd_op_i = op;
        top->cmd_idx_i = didx;
        top->cmd_spi_i = ck.spi;
        top->cmd_proto_i = ck.proto;
        top->cmd_v6_i = ck.v6;
        wide_in(top->cmd_daddr_i, ck.daddr);
        wide_in(top->cmd_saddr_i, saddr);
        top->cmd_mode_i = cfg.mode;
        top->cmd_offload_i = cfg.offload;
        top->cmd_icv_len_i = cfg.icv_len;
        top->cmd_flags_i = cfg.flags;
        top->rx_held_i = held[0];
        top->tx_held_i = held[1];

        // ---- reference: lookups on the table before this cycle's command ----
        rx_rsp rr{};
        rr.valid = lvalid;
        if (lvalid) {
            int idx = sa_cam_rx_lookup(&c, &lk);
            if (idx >= 0) {
                rr.hit = true;
                rr.idx = (uint32_t)idx;
                rr.cfg = sa_cam_rx_get(&c, (uint32_t)idx)->cfg;
            }
        }
        tx_rsp tr{};
        tr.valid = tvalid;
        if (tvalid) {
            const sa_cam_tx_entry *e = sa_cam_tx_get(&c, th);
            if (e) {
                tr.hit = true;
                tr.e = *e;
            }
        }
        // ---- reference: the command, at the edge ----
        int rc = 0;
        if (cvalid) {
            switch (op) {
            case 0:
                mask_held(&c.rx_alloc, held[0], true);
                rc = sa_cam_rx_add(&c, &ck, &cfg);
                mask_held(&c.rx_alloc, held[0], false);
                break;
            case 1:
                rc = sa_cam_rx_del(&c, didx);
                break;
            case 2: {
                sa_cam_tx_entry e{};
                e.spi = ck.spi;
                e.cfg = cfg;
                memcpy(e.outer_saddr, saddr, 16);
                memcpy(e.outer_daddr, ck.daddr, 16);
                mask_held(&c.tx_alloc, held[1], true);
                rc = sa_cam_tx_add(&c, &e);
                mask_held(&c.tx_alloc, held[1], false);
                break;
            }
            default:
                rc = sa_cam_tx_del(&c, didx);
                break;
            }
        }
        // HELD: a deleted slot is held now and then (sa_csr DELETE), held slots are freed
        // later (sa_csr FREE); never on a slot that is in use.
        if (cvalid && (op & 1) && rc == 0 && cosim_below(cs, 2))
            held[op >> 1] |= 1ull << didx;
        for (int d = 0; d < 2; d++)
            if (held[d] && cosim_below(cs, 8) == 0)
                held[d] &= ~(1ull << cosim_below(cs, kEntries));

        if (cvalid)
            cov[op][status_code(rc)]++;
        rx_hits += rr.hit;
        tx_hits += tr.hit;

        cosim_tick(cs, top);

        // ---- compare every port ----
        for (unsigned s = kLatency - 1; s > 0; s--) {
            rx_pipe[s] = rx_pipe[s - 1];
            tx_pipe[s] = tx_pipe[s - 1];
        }
        rx_pipe[0] = rr;
        tx_pipe[0] = tr;
        // after this edge the outputs show what entered kLatency - 1 iterations ago
        const rx_rsp &xr = rx_pipe[kLatency - 1];
        const tx_rsp &xt = tx_pipe[kLatency - 1];
        cosim_check(cs, "rx_rsp_valid_o", xr.valid, top->rx_rsp_valid_o);
        cosim_check(cs, "rx_rsp_hit_o", xr.hit, top->rx_rsp_hit_o);
        cosim_check(cs, "rx_rsp_idx_o", xr.idx, top->rx_rsp_idx_o);
        cosim_check(cs, "rx_rsp_mode_o", xr.cfg.mode, top->rx_rsp_mode_o);
        cosim_check(cs, "rx_rsp_offload_o", xr.cfg.offload, top->rx_rsp_offload_o);
        cosim_check(cs, "rx_rsp_icv_len_o", xr.cfg.icv_len, top->rx_rsp_icv_len_o);
        cosim_check(cs, "rx_rsp_flags_o", xr.cfg.flags, top->rx_rsp_flags_o);
        cosim_check(cs, "tx_rsp_valid_o", xt.valid, top->tx_rsp_valid_o);
        cosim_check(cs, "tx_rsp_hit_o", xt.hit, top->tx_rsp_hit_o);
        cosim_check(cs, "tx_rsp_spi_o", xt.e.spi, top->tx_rsp_spi_o);
        cosim_check(cs, "tx_rsp_mode_o", xt.e.cfg.mode, top->tx_rsp_mode_o);
        cosim_check(cs, "tx_rsp_offload_o", xt.e.cfg.offload, top->tx_rsp_offload_o);
        cosim_check(cs, "tx_rsp_icv_len_o", xt.e.cfg.icv_len, top->tx_rsp_icv_len_o);
        cosim_check(cs, "tx_rsp_flags_o", xt.e.cfg.flags, top->tx_rsp_flags_o);
        uint8_t b[16];
        wide_out(top->tx_rsp_saddr_o, b);
        cosim_check_bytes(cs, "tx_rsp_saddr_o", xt.e.outer_saddr, b, 16);
        wide_out(top->tx_rsp_daddr_o, b);
        cosim_check_bytes(cs, "tx_rsp_daddr_o", xt.e.outer_daddr, b, 16);
        cosim_check(cs, "done_o", cvalid, top->done_o);
        cosim_check(cs, "status_o", cvalid ? status_code(rc) : 0, top->status_o);
        cosim_check(cs, "index_o", cvalid && rc > 0 && !(op & 1) ? (uint32_t)rc : 0,
                    top->index_o);
        cosim_check(cs, "rx_count_o", sa_cam_rx_count(&c), top->rx_count_o);
        cosim_check(cs, "tx_count_o", sa_cam_tx_count(&c), top->tx_count_o);
    }
    if (!cs->quiet && cs->win_lo > cs->win_hi) {
        static const char *ops[4] = {"rx_add", "rx_del", "tx_add", "tx_del"};
        for (int o = 0; o < 4; o++)
            printf("cosim sa_cam: %s ok %llu einval %llu eexist %llu enospc %llu enoent %llu\n",
                   ops[o], (unsigned long long)cov[o][0], (unsigned long long)cov[o][1],
                   (unsigned long long)cov[o][2], (unsigned long long)cov[o][3],
                   (unsigned long long)cov[o][4]);
        printf("cosim sa_cam: lookups hit rx %llu tx %llu\n", (unsigned long long)rx_hits,
               (unsigned long long)tx_hits);
    }
    sa_cam_destroy(&c);
    cosim_done(cs, top);
    delete top;
    return 0;
}

int main(int argc, char **argv)
{
    return cosim_main(argc, argv, "sa_cam", help, body);
}

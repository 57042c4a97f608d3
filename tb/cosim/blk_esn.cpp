// blk_esn.cpp - lock-step of rtl/esn.v against struct esn_table (hwmodel/esn.h).
//
// The C block is a function table, not clocked, so this file holds its port-level reference:
// each cycle the read ports are answered from the C table as it is before the cycle's command
// (esn_rx_check, esn_rx_seq_hi, esn_get and the bitmap row) and the command (esn_sa_tx /
// esn_sa_rx_packet / esn_sa_rx_crypto / esn_sa_clear / esn_tx_next / esn_rx_update /
// esn_tx_set / esn_rx_set / esn_rx_advance) is applied at the edge; every result is on the
// RTL's ports one cycle later (ESN_CHECK_CYCLES = ESN_UPDATE_CYCLES = ESN_TX_CYCLES = 1).
//
// Stimulus: 8 busy SAs (plus now and then any index and out-of-range ones) that are configured
// with every kind, ESN on and off, every allowed packet window (32, 64, 96, 128) and invalid
// ones, used and cleared. Sequence numbers are drawn around the interesting places: near 0,
// around the window edges, around 2^32 and 2^64 (through esn_tx_set / esn_rx_set /
// esn_rx_advance), random; updates mostly with the full SN a check returned (so windows slide
// across 2^32 with ESN), sometimes replays and old ones; TX counters run into -EOVERFLOW.
// Compared every cycle: every output port.
#include "Vesn.h"
#include "cosim.h"

#include <cerrno>
#include <cstring>

extern "C" {
#include "esn.h"
}

static const char help[] =
    "Lock-step of rtl/esn.v (64 SAs, max window 128) and the C esn table: every SA kind,\n"
    "windows, ESN inference and its edges, replays, TX overflow, set/restore, advance_esn.\n"
    "--cycles N  cycles to compare (default 20000)";

static const unsigned kEntries = 64;   // the RTL's Entries default
static const unsigned kMaxWindow = 128; // the RTL's MaxWindow default
static const unsigned kBusy = 8;       // SAs most of the stimulus works on

enum { OP_CFG_TX, OP_CFG_RXP, OP_CFG_RXC, OP_CLEAR, OP_TX_NEXT, OP_RX_UPDATE, OP_TX_SET,
       OP_RX_SET, OP_RX_ADVANCE, OP_NOPS };

static int code(int rc) // C return value -> the RTL's status code
{
    switch (rc) {
    case -EINVAL:
        return 3;
    case -EOVERFLOW:
        return 4;
    case -ERANGE:
        return 5;
    default:
        return rc; // ESN_OK / ESN_REPLAY / ESN_TOO_OLD, 0
    }
}

static uint32_t pick_idx(cosim *cs)
{
    switch (cosim_below(cs, 40)) {
    case 0:
        return kEntries + cosim_below(cs, 4);
    case 1:
        return (uint32_t)cosim_rand(cs);
    case 2:
    case 3:
        return cosim_below(cs, kEntries);
    default:
        return cosim_below(cs, kBusy);
    }
}

// A 64-bit value near one of the places where the rules change.
static uint64_t near_edge(cosim *cs, uint32_t w)
{
    uint64_t d = cosim_below(cs, w + 4);
    uint64_t base;
    switch (cosim_below(cs, 8)) {
    case 0:
        return d; // near 0
    case 1:
        base = 1ull << 32; // around 2^32
        break;
    case 2:
        base = (uint64_t)(1 + cosim_below(cs, 7)) << 32; // around some k * 2^32
        break;
    case 3:
        return UINT64_MAX - d; // near 2^64 - 1
    case 4:
        base = 0xffffffff00000000ull; // around the start of the last subspace
        break;
    case 5:
        return cosim_rand(cs) >> cosim_below(cs, 64);
    default:
        base = 0xffffffffull; // around 2^32 - 1 (non-ESN end)
        break;
    }
    return cosim_below(cs, 2) ? base + d : base - d;
}

// A received low half near the window of SA state s (or anywhere).
static uint32_t pick_seql(cosim *cs, const esn_sa *s)
{
    uint32_t w = s && s->window ? s->window : 64;
    w = w > (1u << 20) ? (1u << 20) : w;
    uint32_t tl = s ? (uint32_t)s->sn : 0;
    int64_t d = (int64_t)cosim_below(cs, w + 8) - (int64_t)w - 3; // tl - w - 3 .. tl + 4
    switch (cosim_below(cs, 8)) {
    case 0:
        return cosim_below(cs, 4); // 0 .. 3
    case 1:
        return 0xffffffffu - cosim_below(cs, 4);
    case 2:
        return (uint32_t)cosim_rand(cs);
    case 3: // around the bottom of a crypto SA / Bl
        return (uint32_t)(tl - w + 1 + (uint32_t)cosim_below(cs, 5) - 2);
    default:
        return (uint32_t)(tl + d);
    }
}

// Most reads go to an SA of the kind the port serves, if one of the busy SAs has it.
static uint32_t pick_idx_kind(cosim *cs, const esn_table *t, int kind)
{
    uint32_t start = cosim_below(cs, kBusy);
    if (cosim_below(cs, 4) != 0)
        for (uint32_t k = 0; k < kBusy; k++) {
            const esn_sa *s = esn_get(t, (start + k) % kBusy);
            if (s && s->kind == kind)
                return (start + k) % kBusy;
        }
    return pick_idx(cs);
}

static int body(cosim *cs)
{
    const uint64_t cycles = cs->cycles ? cs->cycles : 20000;
    Vesn *top = new Vesn{cs->ctx};
    cosim_attach(cs, top);
    esn_table t;
    esn_params p = {kEntries, kMaxWindow};
    if (esn_init(&t, &p) != 0) {
        fprintf(stderr, "cosim esn: esn_init failed\n");
        delete top;
        return 1;
    }
    const uint32_t row_words = t.row_words;
    top->chk_valid_i = 0;
    top->hi_valid_i = 0;
    top->cmd_valid_i = 0;
    top->get_idx_i = 0;
    cosim_reset(cs, top);

    uint64_t last_seq[kEntries] = {}; // the full SN of the last OK check, per SA
    uint64_t cov_cmd[OP_NOPS + 1][6] = {}, cov_chk[6] = {}, cov_hi[6] = {};
    uint64_t crossings = 0; // RX updates that moved T into a new 2^32 subspace
    uint64_t chk_erange = 0; // ESN checks where A2.2 named a subspace that does not exist
    while (cs->cycle < cycles && !cosim_failed(cs)) {
        // ---- check port ----
        bool cv = cosim_below(cs, 4) != 0;
        uint32_t ci = pick_idx_kind(cs, &t, ESN_KIND_RX_PACKET);
        uint32_t cseql = pick_seql(cs, esn_get(&t, ci));
        // ---- seq_hi port ----
        bool hv = cosim_below(cs, 4) != 0;
        uint32_t hi = pick_idx_kind(cs, &t, ESN_KIND_RX_CRYPTO);
        uint32_t hseql = pick_seql(cs, esn_get(&t, hi));
        // ---- get port ----
        uint32_t gi = pick_idx(cs);
        // ---- command ----
        bool mv = cosim_below(cs, 4) != 0;
        uint32_t mi = pick_idx(cs);
        const esn_sa *ms = esn_get(&t, mi);
        unsigned op;
        bool mesn = cosim_below(cs, 2);
        uint32_t mwin = 32 * (1 + cosim_below(cs, kMaxWindow / 32));
        uint64_t marg = near_edge(cs, mwin);
        int kind = ms ? ms->kind : ESN_KIND_FREE;
        if (cosim_below(cs, 50) == 0) {
            op = cosim_below(cs, 16); // anything, reserved ops included
        } else if (kind == ESN_KIND_FREE) {
            op = cosim_below(cs, 3); // configure
        } else if (cosim_below(cs, 60) == 0) {
            op = OP_CLEAR;
        } else if (kind == ESN_KIND_TX) {
            op = cosim_below(cs, 12) == 0 ? OP_TX_SET : OP_TX_NEXT;
        } else if (kind == ESN_KIND_RX_PACKET) {
            op = cosim_below(cs, 20) == 0 ? OP_RX_SET : OP_RX_UPDATE;
        } else {
            op = OP_RX_ADVANCE;
        }
        if (op == OP_CFG_RXC || (op == OP_CFG_RXP && cosim_below(cs, 10) == 0)) {
            static const uint32_t wins[] = {0, 1, 2, 16, 31, 33, 100, 160, 256, 0x80000000u,
                                            0x80000001u, 0xffffffffu};
            mwin = cosim_below(cs, 3) ? mwin : wins[cosim_below(cs, 12)];
        }
        if (ms && op == OP_RX_UPDATE) {
            uint32_t w = ms->window < 1 ? 1 : ms->window > (1u << 20) ? (1u << 20) : ms->window;
            switch (cosim_below(cs, 6)) {
            case 0:
            case 1:
            case 2:
                marg = last_seq[mi]; // the SN its check returned (may repeat: a replay)
                break;
            case 3:
                marg = ms->sn + cosim_below(cs, 2 * w) - w; // around T
                break;
            case 4:
                marg = ms->sn + 1 + cosim_below(cs, 4 * kMaxWindow); // a slide
                break;
            default:
                break; // near an edge
            }
        }
        if (op == OP_RX_ADVANCE && cosim_below(cs, 2))
            marg = (uint64_t)(0xffffffffu - cosim_below(cs, 3)) << 32 | (uint32_t)cosim_rand(cs);
        top->chk_valid_i = cv;
        top->chk_idx_i = ci;
        top->chk_seql_i = cseql;
        top->hi_valid_i = hv;
        top->hi_idx_i = hi;
        top->hi_seql_i = hseql;
        top->get_idx_i = gi;
        top->cmd_valid_i = mv;
        top->cmd_op_i = op;
        top->cmd_idx_i = mi;
        top->cmd_esn_i = mesn;
        top->cmd_window_i = mwin;
        top->cmd_arg_i = marg;

        // ---- reference: read ports on the state before this cycle's command ----
        uint64_t cseq = 0;
        int crc = cv ? esn_rx_check(&t, ci, cseql, &cseq) : 0;
        if (!cv || crc < 0)
            cseq = 0;
        if (cv && crc == ESN_OK)
            last_seq[ci % kEntries] = cseq;
        if (cv && crc >= 0) {
            const esn_sa *s = esn_get(&t, ci);
            uint32_t h;
            if (s && s->esn && esn_infer_hi(s->sn, s->window, cseql, &h) == -ERANGE)
                chk_erange++;
        }
        uint32_t hseqh = 0;
        int hrc = hv ? esn_rx_seq_hi(&t, hi, hseql, &hseqh) : 0;
        if (!hv || hrc == -EINVAL)
            hseqh = 0;
        esn_sa g{};
        uint32_t grow[kMaxWindow / 32] = {};
        if (const esn_sa *gs = esn_get(&t, gi)) {
            g = *gs;
            memcpy(grow, t.bitmap + (size_t)gi * row_words, row_words * 4);
        }
        // ---- reference: the command, at the edge ----
        int mrc = 0;
        uint64_t msn = 0;
        if (mv) {
            uint64_t old_top = ms ? ms->sn : 0;
            switch (op) {
            case OP_CFG_TX:
                mrc = esn_sa_tx(&t, mi, mesn);
                break;
            case OP_CFG_RXP:
                mrc = esn_sa_rx_packet(&t, mi, mesn, mwin);
                break;
            case OP_CFG_RXC:
                mrc = esn_sa_rx_crypto(&t, mi, mesn, mwin);
                break;
            case OP_CLEAR:
                mrc = esn_sa_clear(&t, mi);
                break;
            case OP_TX_NEXT:
                mrc = esn_tx_next(&t, mi, &msn);
                if (mrc)
                    msn = 0;
                break;
            case OP_RX_UPDATE:
                mrc = esn_rx_update(&t, mi, marg);
                if (mrc == ESN_OK && (marg >> 32) != (old_top >> 32) && marg > old_top)
                    crossings++;
                break;
            case OP_TX_SET:
                mrc = esn_tx_set(&t, mi, marg);
                break;
            case OP_RX_SET:
                mrc = esn_rx_set(&t, mi, marg);
                break;
            case OP_RX_ADVANCE:
                mrc = esn_rx_advance(&t, mi, (uint32_t)(marg >> 32), (uint32_t)marg);
                break;
            default:
                mrc = -EINVAL; // reserved op
                break;
            }
            cov_cmd[op < OP_NOPS ? op : OP_NOPS][code(mrc)]++;
        }
        if (cv)
            cov_chk[code(crc)]++;
        if (hv)
            cov_hi[code(hrc)]++;

        cosim_tick(cs, top);

        // ---- compare every port ----
        cosim_check(cs, "chk_valid_o", cv, top->chk_valid_o);
        cosim_check(cs, "chk_status_o", cv ? code(crc) : 0, top->chk_status_o);
        cosim_check(cs, "chk_seq_o", cseq, top->chk_seq_o);
        cosim_check(cs, "hi_valid_o", hv, top->hi_valid_o);
        cosim_check(cs, "hi_status_o", hv ? code(hrc) : 0, top->hi_status_o);
        cosim_check(cs, "hi_seqh_o", hseqh, top->hi_seqh_o);
        cosim_check(cs, "get_kind_o", g.kind, top->get_kind_o);
        cosim_check(cs, "get_esn_o", g.esn, top->get_esn_o);
        cosim_check(cs, "get_window_o", g.window, top->get_window_o);
        cosim_check(cs, "get_sn_o", g.sn, top->get_sn_o);
        for (uint32_t w = 0; w < kMaxWindow / 32; w++)
            cosim_check(cs, "get_row_o", grow[w], top->get_row_o[w]);
        cosim_check(cs, "done_o", mv, top->done_o);
        cosim_check(cs, "status_o", mv ? code(mrc) : 0, top->status_o);
        cosim_check(cs, "sn_o", msn, top->sn_o);
    }
    if (!cs->quiet && cs->win_lo > cs->win_hi) {
        static const char *ops[OP_NOPS + 1] = {"cfg_tx",  "cfg_rxp", "cfg_rxc",
                                               "clear",   "tx_next", "rx_update",
                                               "tx_set",  "rx_set",  "rx_advance",
                                               "reserved"};
        for (int o = 0; o <= OP_NOPS; o++)
            printf("cosim esn: %-10s ok %llu replay %llu too_old %llu einval %llu eoverflow %llu\n",
                   ops[o], (unsigned long long)cov_cmd[o][0], (unsigned long long)cov_cmd[o][1],
                   (unsigned long long)cov_cmd[o][2], (unsigned long long)cov_cmd[o][3],
                   (unsigned long long)cov_cmd[o][4]);
        printf("cosim esn: check ok %llu replay %llu too_old %llu (%llu by A2.2 -ERANGE) "
               "einval %llu\n",
               (unsigned long long)cov_chk[0], (unsigned long long)cov_chk[1],
               (unsigned long long)cov_chk[2], (unsigned long long)chk_erange,
               (unsigned long long)cov_chk[3]);
        printf("cosim esn: seq_hi ok %llu erange %llu einval %llu; window slides across 2^32: "
               "%llu\n",
               (unsigned long long)cov_hi[0], (unsigned long long)cov_hi[5],
               (unsigned long long)cov_hi[3], (unsigned long long)crossings);
    }
    esn_destroy(&t);
    cosim_done(cs, top);
    delete top;
    return 0;
}

int main(int argc, char **argv)
{
    return cosim_main(argc, argv, "esn", help, body);
}

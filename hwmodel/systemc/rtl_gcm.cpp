// rtl_gcm.cpp - the GCM engines of a card as Verilated RTL (rtl/gcm_engine.v, verilator --sc).
//
// Mixed abstraction through the gcm_unit engine backend (hwmodel/gcm_unit.h): the C gcm_unit
// still schedules jobs and moves bytes, but each cycle it steps, the engine ports it drives go
// to an RTL instance and the outputs come back from it:
//   eval    inputs -> the RTL's sc_signals (the key RAM read port: kr_* from the slot the unit
//           addresses, combinational as key_ram.v's rd_* port), clk_i low
//   commit  one clock: clk_i high, two delta cycles (the signals update, the Verilated model
//           evaluates), outputs -> the engine's port fields
// The RTL is clocked in delta cycles from inside the C model's step, in the card's SC_THREAD
// (wait() is legal there): its clock is the C model's clock edge, so the card still runs
// loosely timed and a cycle the scheduler skips (unit idle) is not clocked, as in the C model.
// Instances are SC modules, so they are made at elaboration: a pool (2 cards x 2 directions x
// RTL_GCM_ENGINES) that units claim at creation and give back at destruction.
#include "rtl_gcm.h"

#include <cstdio>
#include <cstring>
#include <memory>
#include <vector>

#include <systemc>

#include "Vgcm_engine.h"
#include "nic_tlm.h"

extern "C" {
#include "gcm_unit.h"
#include "key_ram.h"
}

namespace nicsim_sc {

namespace {

using sc_core::sc_signal;
using sc_core::SC_ZERO_TIME;

// Inputs are written by whichever thread runs the card that holds the engine (the driver's
// thread while the card is being made, the card's own afterwards): many writers, one at a time.
template <class T> using in_sig = sc_signal<T, sc_core::SC_MANY_WRITERS>;

struct rtl_engine {
    std::unique_ptr<Vgcm_engine> m;
    in_sig<bool> clk, rst_n, start, decrypt, kr_valid, in_valid;
    sc_signal<bool> in_ready, out_valid, done, icv_ok, err, busy;
    in_sig<uint32_t> aad_len, icv_len, kr_nr, in_nbytes, key_slot, len, kr_salt;
    sc_signal<uint32_t> out_nbytes, kr_slot;
    in_sig<uint64_t> iv;
    in_sig<sc_dt::sc_bv<128>> aad, icv, kr_h, in_data;
    sc_signal<sc_dt::sc_bv<128>> out_data, tag;
    in_sig<sc_dt::sc_bv<1920>> kr_ks;
    bool used = false;

    explicit rtl_engine(const char *name) : m(new Vgcm_engine(name))
    {
        m->clk_i(clk);
        m->rst_ni(rst_n);
        m->start_i(start);
        m->key_slot_i(key_slot);
        m->iv_i(iv);
        m->aad_i(aad);
        m->aad_len_i(aad_len);
        m->len_i(len);
        m->decrypt_i(decrypt);
        m->icv_len_i(icv_len);
        m->icv_i(icv);
        m->kr_slot_o(kr_slot);
        m->kr_valid_i(kr_valid);
        m->kr_ks_i(kr_ks);
        m->kr_nr_i(kr_nr);
        m->kr_h_i(kr_h);
        m->kr_salt_i(kr_salt);
        m->in_valid_i(in_valid);
        m->in_ready_o(in_ready);
        m->in_data_i(in_data);
        m->in_nbytes_i(in_nbytes);
        m->out_valid_o(out_valid);
        m->out_data_o(out_data);
        m->out_nbytes_o(out_nbytes);
        m->done_o(done);
        m->tag_o(tag);
        m->icv_ok_o(icv_ok);
        m->err_o(err);
        m->busy_o(busy);
    }
};

// Byte i of a 16-byte block is bits [127-8i -: 8] (rtl/README.md): word k (bits 32k+31..32k)
// holds bytes 12-4k .. 15-4k, big-endian.
void put_block(sc_dt::sc_bv_base &v, unsigned block, const uint8_t *b)
{
    for (unsigned k = 0; k < 4; k++) {
        const uint8_t *p = b + 4 * (3 - k);
        v.set_word(static_cast<int>(4 * block + k),
                   static_cast<sc_dt::sc_digit>(uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 |
                                                uint32_t(p[2]) << 8 | p[3]));
    }
}

void get_block(const sc_dt::sc_bv_base &v, uint8_t *b)
{
    for (unsigned k = 0; k < 4; k++) {
        uint32_t w = static_cast<uint32_t>(v.get_word(static_cast<int>(k)));
        uint8_t *p = b + 4 * (3 - k);
        p[0] = uint8_t(w >> 24), p[1] = uint8_t(w >> 16), p[2] = uint8_t(w >> 8), p[3] = uint8_t(w);
    }
}

sc_dt::sc_bv<128> block(const uint8_t *b)
{
    sc_dt::sc_bv<128> v;
    put_block(v, 0, b);
    return v;
}

uint32_t be32(const uint8_t *p)
{
    return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | p[3];
}

class rtl_gcm_pool : public sc_core::sc_module {
public:
    std::vector<std::unique_ptr<rtl_engine>> eng;
    explicit rtl_gcm_pool(sc_core::sc_module_name n, unsigned count) : sc_module(n)
    {
        for (unsigned i = 0; i < count; i++) {
            char name[32];
            std::snprintf(name, sizeof(name), "gcm_engine_%u", i);
            eng.emplace_back(new rtl_engine(name));
        }
    }
};

rtl_gcm_pool *pool;
unsigned long long clocks;

void step_deltas(unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        sc_core::wait(SC_ZERO_TIME);
}

void reset(rtl_engine *r)
{
    r->rst_n.write(false);
    r->clk.write(false);
    r->start.write(false);
    r->in_valid.write(false);
    step_deltas(2);
    r->clk.write(true);
    step_deltas(2);
    r->clk.write(false);
    r->rst_n.write(true);
    step_deltas(2);
}

extern "C" void be_eval(void *ctx, struct gcm_engine *e, uint64_t now)
{
    (void)now;
    auto *r = static_cast<rtl_engine *>(ctx);
    r->start.write(e->start_i);
    if (e->start_i) { // the job ports are sampled only with start_i
        r->key_slot.write(e->key_slot_i);
        uint64_t iv = 0;
        for (unsigned i = 0; i < 8; i++)
            iv = iv << 8 | e->iv_i[i];
        r->iv.write(iv);
        r->aad.write(block(e->aad_i));
        r->aad_len.write(e->aad_len_i);
        r->len.write(e->len_i);
        r->decrypt.write(e->decrypt_i);
        r->icv_len.write(e->icv_len_i);
        r->icv.write(block(e->icv_i));
        // the key RAM read port, addressed by key_slot_i (kr_slot_o)
        const struct key_ram_slot *s = e->kr_i ? key_ram_slot_dp(e->kr_i, e->key_slot_i) : nullptr;
        r->kr_valid.write(s != nullptr);
        if (s) {
            sc_dt::sc_bv<1920> ks;
            for (unsigned k = 0; k <= AES_MAX_NR; k++)
                put_block(ks, k, s->ks.rk[k]);
            r->kr_ks.write(ks);
            r->kr_nr.write(s->ks.nr);
            r->kr_h.write(block(s->h));
            r->kr_salt.write(be32(s->salt));
        }
    }
    r->in_valid.write(e->in_valid_i);
    if (e->in_valid_i) {
        r->in_data.write(block(e->in_data_i));
        r->in_nbytes.write(e->in_nbytes_i);
    }
    r->clk.write(false);
}

extern "C" void be_commit(void *ctx, struct gcm_engine *e)
{
    auto *r = static_cast<rtl_engine *>(ctx);
    clocks++;
    step_deltas(1); // inputs and clk_i = 0 settle
    r->clk.write(true);
    step_deltas(2); // the edge: the model evaluates, its outputs update
    e->in_ready_o = r->in_ready.read();
    e->out_valid_o = r->out_valid.read();
    get_block(r->out_data.read(), e->out_data_o);
    e->out_nbytes_o = static_cast<uint8_t>(r->out_nbytes.read());
    e->done_o = r->done.read();
    get_block(r->tag.read(), e->tag_o);
    e->icv_ok_o = r->icv_ok.read();
    e->err_o = r->err.read();
    e->busy_o = r->busy.read();
}

extern "C" void be_release(void *ctx)
{
    static_cast<rtl_engine *>(ctx)->used = false;
}

extern "C" int factory(void *fctx, struct gcm_unit *u, struct gcm_engine_backend *be)
{
    (void)fctx, (void)u;
    for (auto &r : pool->eng) {
        if (r->used)
            continue;
        r->used = true;
        reset(r.get());
        *be = {be_eval, be_commit, be_release, r.get()};
        return 0;
    }
    std::fprintf(stderr, "nicsim_sc: --rtl-gcm: all %zu RTL GCM engines are in use\n",
                 pool->eng.size());
    return -1;
}

}  // namespace

void rtl_gcm_elaborate(unsigned engines)
{
    if (!pool)
        pool = new rtl_gcm_pool("rtl_gcm", engines);
}

int rtl_gcm_attach(struct nic *n, const struct nicsim_params *p, nic_tlm *card, char *err,
                   size_t errlen)
{
    (void)n, (void)card;
    if (!pool) {
        std::snprintf(err, errlen, "--rtl-gcm: no RTL engines were elaborated");
        return -1;
    }
    if (!p->data_mode) {
        std::snprintf(err, errlen,
                      "--rtl-gcm needs the bit-accurate data mode (data_mode = 1 in --config)");
        return -1;
    }
    return 0;
}

void rtl_gcm_factory(bool on)
{
    gcm_unit_set_engine_factory(on ? factory : nullptr, nullptr);
}

unsigned long long rtl_gcm_clocks()
{
    return clocks;
}

bool rtl_gcm_built()
{
    return true;
}

}  // namespace nicsim_sc

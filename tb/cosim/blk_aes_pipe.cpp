// blk_aes_pipe.cpp - lock-step of rtl/aes_pipe.v against struct aes_pipe (hwmodel/aes_core.h).
//
// Stimulus: random keys of every size (a new key only while the pipe is empty: ks_i must be
// stable while blocks are in flight), random stalls (en_i), random gaps (in_valid_i), random
// blocks and tags. Compared every cycle: out_valid_o; out_tag_o and out_data_o while valid
// (they are don't-care otherwise, as in both models).
#include "Vaes_pipe.h"
#include "cosim.h"

extern "C" {
#include "aes_core.h"
}

static const char help[] =
    "Lock-step of rtl/aes_pipe.v and the C aes_pipe: random keys (128/192/256), stalls, gaps.\n"
    "--cycles N  cycles to compare (default 20000)";

static void drive_key(Vaes_pipe *top, const aes_ks *ks)
{
    uint8_t rk[(AES_MAX_NR + 1) * 16];
    memcpy(rk, ks->rk, sizeof rk);
    uint32_t w[(AES_MAX_NR + 1) * 4];
    cosim_to_wide_n(rk, w, AES_MAX_NR + 1);
    for (unsigned i = 0; i < (AES_MAX_NR + 1) * 4; i++)
        top->ks_i[i] = w[i];
    top->ks_nr_i = ks->nr;
}

static int body(cosim *cs)
{
    const uint64_t cycles = cs->cycles ? cs->cycles : 20000;
    Vaes_pipe *top = new Vaes_pipe{cs->ctx};
    cosim_attach(cs, top);
    aes_pipe c;
    aes_pipe_init(&c, aes_ops_select(false));
    aes_ks ks;
    memset(&ks, 0, sizeof ks);
    c.ks_i = &ks;
    top->en_i = 0;
    top->in_valid_i = 0;
    drive_key(top, &ks);
    cosim_reset(cs, top);
    uint64_t rekey_at = 0;
    while (cs->cycle < cycles && !cosim_failed(cs)) {
        if (cs->cycle >= rekey_at && c.nvalid_q == 0) { // empty: a new key may come
            uint8_t key[32];
            cosim_bytes(cs, key, sizeof key);
            aes_expand_key(&ks, key, 16 + 8 * cosim_below(cs, 3));
            drive_key(top, &ks);
            rekey_at = cs->cycle + 50 + cosim_below(cs, 400);
        }
        bool draining = cs->cycle >= rekey_at; // stop feeding so the pipe empties
        c.en_i = cosim_below(cs, 8) != 0;
        c.in_valid_i = !draining && cosim_below(cs, 4) != 0;
        c.in_tag_i = (uint32_t)cosim_rand(cs);
        cosim_bytes(cs, c.in_data_i, 16);
        top->en_i = c.en_i;
        top->in_valid_i = c.in_valid_i;
        top->in_tag_i = c.in_tag_i;
        uint32_t w[4];
        cosim_to_wide(c.in_data_i, w);
        for (int i = 0; i < 4; i++)
            top->in_data_i[i] = w[i];
        aes_pipe_eval(&c, cs->cycle);
        aes_pipe_commit(&c);
        cosim_tick(cs, top);
        const aes_stage *o = aes_pipe_out(&c);
        bool v = o && o->valid;
        cosim_check(cs, "out_valid_o", v, top->out_valid_o);
        if (v) {
            uint8_t d[16];
            cosim_from_wide(top->out_data_o.data(), d);
            cosim_check(cs, "out_tag_o", o->tag, top->out_tag_o);
            cosim_check_bytes(cs, "out_data_o", o->state, d, 16);
        }
    }
    cosim_done(cs, top);
    delete top;
    return 0;
}

int main(int argc, char **argv)
{
    return cosim_main(argc, argv, "aes_pipe", help, body);
}

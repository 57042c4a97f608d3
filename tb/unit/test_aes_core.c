/* test_aes_core.c - AES rounds, key expansion and the aes_pipe block.
 * Known answers: FIPS-197 (Nov 2001) Appendix A (key expansion), Appendix B (cipher example) and
 * Appendix C (example vectors, including the round-by-round trace of C.1). Equality of the
 * AES-NI and portable paths on random keys and blocks; stage-by-stage pipe timing. */
#include <criterion/criterion.h>

#include <errno.h>
#include <string.h>

#include "aes_core.h"
#include "sim.h"

static size_t hex(uint8_t *out, const char *s)
{
    size_t n = 0;
    int hi = -1;
    for (; *s; s++) {
        int v;
        if (*s >= '0' && *s <= '9')
            v = *s - '0';
        else if (*s >= 'a' && *s <= 'f')
            v = *s - 'a' + 10;
        else
            continue;
        if (hi < 0) {
            hi = v;
        } else {
            out[n++] = (uint8_t)(hi << 4 | v);
            hi = -1;
        }
    }
    return n;
}

static uint64_t rng_next(uint64_t *s) /* splitmix64: seeded, reproducible */
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static void rng_fill(uint64_t *s, uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)rng_next(s);
}

static const struct aes_ops *both_ops(unsigned i)
{
    return aes_ops_select(i == 0);
}

Test(aes_core, fips197_appendix_c)
{
    /* FIPS-197 Appendix C.1 / C.2 / C.3: key 00 01 02 ..., plaintext 00112233...ff */
    static const struct {
        size_t klen;
        const char *ct;
    } v[] = {
        {16, "69c4e0d86a7b0430d8cdb78070b4c55a"},
        {24, "dda97ca4864cdfe06eaf70a0ec0d7191"},
        {32, "8ea2b7ca516745bfeafc49904b496089"},
    };
    uint8_t key[32], pt[16], ct[16], out[16];
    for (unsigned i = 0; i < 32; i++)
        key[i] = (uint8_t)i;
    hex(pt, "00112233445566778899aabbccddeeff");
    for (unsigned k = 0; k < 3; k++) {
        struct aes_ks ks;
        cr_assert_eq(aes_expand_key(&ks, key, v[k].klen), 0);
        cr_assert_eq(ks.nr, 10 + 2 * k);
        cr_assert_eq(aes_key_len(&ks), v[k].klen);
        hex(ct, v[k].ct);
        for (unsigned o = 0; o < 2; o++) {
            aes_encrypt_block(both_ops(o), &ks, pt, out);
            cr_assert(memcmp(out, ct, 16) == 0, "C.%u %s", k + 1, both_ops(o)->name);
        }
    }
}

Test(aes_core, fips197_appendix_b_and_c1_rounds)
{
    /* Appendix B: key 2b7e1516..., input 3243f6a8... -> 3925841d... */
    uint8_t key[16], in[16], exp[16], out[16];
    struct aes_ks ks;
    hex(key, "2b7e151628aed2a6abf7158809cf4f3c");
    hex(in, "3243f6a8885a308d313198a2e0370734");
    hex(exp, "3925841d02dc09fbdc118597196a0b32");
    cr_assert_eq(aes_expand_key(&ks, key, 16), 0);
    aes_encrypt_block(aes_ops_select(true), &ks, in, out);
    cr_assert(memcmp(out, exp, 16) == 0);

    /* Appendix C.1 trace: round[1].start = 00102030..f0 (input ^ rk0); round[2].start =
     * 89d810e8855ace682d1843d8cb128fe4 (after round 1); round[3].start = 4915598f... */
    uint8_t k1[16], s[16], r1[16], r2[16], r1start[16];
    for (unsigned i = 0; i < 16; i++)
        k1[i] = (uint8_t)i;
    hex(in, "00112233445566778899aabbccddeeff");
    hex(r1start, "00102030405060708090a0b0c0d0e0f0");
    hex(r1, "89d810e8855ace682d1843d8cb128fe4");
    hex(r2, "4915598f55e5d7a0daca94fa1f0a63f7");
    cr_assert_eq(aes_expand_key(&ks, k1, 16), 0);
    for (unsigned o = 0; o < 2; o++) {
        for (unsigned i = 0; i < 16; i++)
            s[i] = in[i] ^ ks.rk[0][i];
        cr_assert(memcmp(s, r1start, 16) == 0);
        both_ops(o)->round(s, ks.rk[1]);
        cr_assert(memcmp(s, r1, 16) == 0, "round 1, %s", both_ops(o)->name);
        both_ops(o)->round(s, ks.rk[2]);
        cr_assert(memcmp(s, r2, 16) == 0, "round 2, %s", both_ops(o)->name);
    }
}

Test(aes_core, fips197_appendix_a_key_expansion)
{
    /* Appendix A.1 / A.2 / A.3: the last round key (w[4nr] .. w[4nr+3]). */
    static const struct {
        const char *key, *last;
    } v[] = {
        {"2b7e151628aed2a6abf7158809cf4f3c", "d014f9a8c9ee2589e13f0cc8b6630ca6"},
        {"8e73b0f7da0e6452c810f32b809079e562f8ead2522c6b7b", "e98ba06f448c773c8ecc720401002202"},
        {"603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4",
         "fe4890d1e6188d0b046df344706c631e"},
    };
    for (unsigned k = 0; k < 3; k++) {
        uint8_t key[32], last[16];
        struct aes_ks ks;
        size_t kl = hex(key, v[k].key);
        hex(last, v[k].last);
        cr_assert_eq(aes_expand_key(&ks, key, kl), 0);
        cr_assert(memcmp(ks.rk[ks.nr], last, 16) == 0, "A.%u", k + 1);
        /* The first Nk words are the key: the key RAM relies on it. */
        cr_assert(memcmp(&ks.rk[0][0], key, kl) == 0);
    }
}

Test(aes_core, expand_key_rejects_bad_length)
{
    struct aes_ks ks;
    uint8_t key[33] = {1};
    cr_assert_eq(aes_expand_key(&ks, key, 15), -EINVAL);
    cr_assert_eq(aes_expand_key(&ks, key, 33), -EINVAL);
    cr_assert_eq(aes_expand_key(&ks, NULL, 16), -EINVAL);
    cr_assert_eq(ks.nr, 0);
    cr_assert_eq(aes_key_len(&ks), 0);
}

Test(aes_core, aesni_and_portable_agree)
{
    if (!aes_ni_available())
        cr_skip_test("no AES-NI on this CPU");
    const struct aes_ops *ni = aes_ops_select(false), *c = aes_ops_select(true);
    cr_assert_str_eq(ni->name, "aesni");
    cr_assert_str_eq(c->name, "portable");
    uint64_t seed = 0x5eed0001;
    for (unsigned t = 0; t < 3000; t++) {
        uint8_t key[32], a[16], b[16], rk[16];
        struct aes_ks ks;
        rng_fill(&seed, key, sizeof(key));
        rng_fill(&seed, a, 16);
        rng_fill(&seed, rk, 16);
        memcpy(b, a, 16);
        ni->round(a, rk);
        c->round(b, rk);
        cr_assert(memcmp(a, b, 16) == 0, "round, trial %u", t);
        ni->final_round(a, rk);
        c->final_round(b, rk);
        cr_assert(memcmp(a, b, 16) == 0, "final round, trial %u", t);
        cr_assert_eq(aes_expand_key(&ks, key, 16 + 8 * (t % 3)), 0);
        aes_encrypt_block(ni, &ks, a, a);
        aes_encrypt_block(c, &ks, b, b);
        cr_assert(memcmp(a, b, 16) == 0, "block, trial %u", t);
    }
}

/* One cycle of the pipe: eval then commit. */
static void pipe_cycle(struct aes_pipe *p, uint64_t now)
{
    aes_pipe_eval(p, now);
    aes_pipe_commit(p);
}

Test(aes_core, pipe_stage_by_stage)
{
    /* A block entering at cycle 0 is in stage s at cycle s + 1 with rounds 0..s+1 applied, and
     * on the output at cycle nr; every other stage stays empty. */
    uint64_t seed = 0x5eed0002;
    for (unsigned k = 0; k < 3; k++) {
        for (unsigned o = 0; o < 2; o++) {
            uint8_t key[32], in[16], exp[16], ct[16];
            struct aes_ks ks;
            struct aes_pipe p;
            rng_fill(&seed, key, 32);
            rng_fill(&seed, in, 16);
            cr_assert_eq(aes_expand_key(&ks, key, 16 + 8 * k), 0);
            aes_pipe_init(&p, both_ops(o));
            p.ks_i = &ks;
            p.in_valid_i = true;
            p.in_tag_i = 77;
            memcpy(p.in_data_i, in, 16);
            for (unsigned i = 0; i < 16; i++)
                exp[i] = in[i] ^ ks.rk[0][i];
            for (unsigned c = 0; c < ks.nr; c++) {
                pipe_cycle(&p, c);
                p.in_valid_i = false;
                if (c + 1 == ks.nr)
                    aes_ops_select(true)->final_round(exp, ks.rk[c + 1]);
                else
                    aes_ops_select(true)->round(exp, ks.rk[c + 1]);
                for (unsigned s = 0; s < ks.nr; s++)
                    cr_assert_eq(p.q[s].valid, s == c, "key %u stage %u cycle %u", k, s, c + 1);
                cr_assert_eq(p.q[c].tag, 77);
                cr_assert(memcmp(p.q[c].state, exp, 16) == 0, "stage %u", c);
                cr_assert_eq(aes_pipe_out(&p)->valid, c + 1 == ks.nr);
            }
            aes_encrypt_block(aes_ops_select(true), &ks, in, ct);
            cr_assert(memcmp(aes_pipe_out(&p)->state, ct, 16) == 0);
            pipe_cycle(&p, ks.nr);
            cr_assert_eq(p.nvalid_q, 0);
            cr_assert_eq(aes_pipe_next_event(&p, 99), SIM_NEVER);
        }
    }
}

Test(aes_core, pipe_one_block_per_cycle_with_stall)
{
    /* 40 blocks, one offered per cycle except during a stall (en_i = 0, which also blocks the
     * input): each comes out nr cycles of movement after it entered, in order, tags intact. */
    uint64_t seed = 0x5eed0003;
    uint8_t key[32], blk[40][16], ct[40][16];
    struct aes_ks ks;
    struct aes_pipe p;
    rng_fill(&seed, key, 32);
    rng_fill(&seed, &blk[0][0], sizeof(blk));
    cr_assert_eq(aes_expand_key(&ks, key, 32), 0);
    for (unsigned i = 0; i < 40; i++)
        aes_encrypt_block(aes_ops_select(true), &ks, blk[i], ct[i]);
    aes_pipe_init(&p, aes_ops_select(false));
    p.ks_i = &ks;
    unsigned sent = 0, got = 0, moves = 0;
    uint64_t enter_move[40];
    for (uint64_t t = 0; got < 40; t++) {
        cr_assert(t < 200);
        const struct aes_stage *o = aes_pipe_out(&p);
        const bool stall = t >= 20 && t < 25;
        if (o->valid && !stall) { /* the output register is consumed in the cycle it moves */
            cr_assert_eq(o->tag, got);
            cr_assert(memcmp(o->state, ct[got], 16) == 0, "block %u", got);
            cr_assert_eq(moves - enter_move[got], ks.nr);
            got++;
        }
        p.en_i = !stall;
        p.in_valid_i = !stall && sent < 40;
        if (p.in_valid_i) {
            p.in_tag_i = sent;
            memcpy(p.in_data_i, blk[sent], 16);
            enter_move[sent++] = moves;
        }
        pipe_cycle(&p, t);
        moves += !stall;
    }
}

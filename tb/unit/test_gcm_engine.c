/* test_gcm_engine.c - key RAM, the beat-level gcm_engine and the packet-level gcm_unit.
 *
 * References:
 *  - McGrew & Viega, "The Galois/Counter Mode of Operation (GCM)", revised 2005, Appendix B,
 *    Test Cases 1, 2, 3 (AES-128), 7, 8, 9 (AES-192), 13, 14, 15 (AES-256): the cases with a
 *    96-bit IV and no AAD (the AAD cases are covered in test_ghash.c). The 96-bit IV is split as
 *    RFC 4106 does: the first 4 bytes are the key RAM salt, the last 8 the job's explicit IV.
 *  - OpenSSL EVP called directly here (an independent reference) and gold_gcm_encrypt /
 *    gold_gcm_decrypt from tb/golden, for seeded random jobs.
 * Timing: done_o at start + gcm_engine_latency(); a unit job's t_done - t_start equals
 * gcm_unit_latency(), in BIT and FAST mode alike, and both modes give identical bytes, icv_ok
 * and t_done for every job.
 */
#include <criterion/criterion.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "esp_golden.h"
#include "gcm_engine.h"
#include "gcm_unit.h"
#include "key_ram.h"
#include "sim.h"

/* ---- helpers ----------------------------------------------------------------------------- */
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

static uint64_t rng_next(uint64_t *s)
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

static const EVP_CIPHER *evp_gcm(size_t klen)
{
    return klen == 16 ? EVP_aes_128_gcm() : klen == 24 ? EVP_aes_192_gcm() : EVP_aes_256_gcm();
}

/* The independent reference: OpenSSL EVP, 96-bit nonce, full 16-byte tag. */
static void ref_encrypt(const uint8_t *key, size_t klen, const uint8_t nonce[12],
                        const uint8_t *aad, size_t alen, const uint8_t *pt, size_t len,
                        uint8_t *ct, uint8_t tag[16])
{
    EVP_CIPHER_CTX *x = EVP_CIPHER_CTX_new();
    int n;
    uint8_t fin[16];
    cr_assert(x);
    cr_assert_eq(EVP_EncryptInit_ex(x, evp_gcm(klen), NULL, key, nonce), 1);
    if (alen)
        cr_assert_eq(EVP_EncryptUpdate(x, NULL, &n, aad, (int)alen), 1);
    if (len)
        cr_assert_eq(EVP_EncryptUpdate(x, ct, &n, pt, (int)len), 1);
    cr_assert_eq(EVP_EncryptFinal_ex(x, fin, &n), 1);
    cr_assert_eq(EVP_CIPHER_CTX_ctrl(x, EVP_CTRL_GCM_GET_TAG, 16, tag), 1);
    EVP_CIPHER_CTX_free(x);
}

static unsigned nr_of(size_t klen)
{
    return (unsigned)(klen / 4 + 6);
}

/* ---- key RAM ----------------------------------------------------------------------------- */
Test(key_ram, write_free_and_errors)
{
    cr_assert_null(key_ram_create(0));
    struct key_ram *kr = key_ram_create(4);
    cr_assert(kr);
    cr_assert_eq(key_ram_capacity(kr), 4);
    uint8_t km[36];
    uint64_t seed = 0x5eed0201;
    rng_fill(&seed, km, sizeof(km));
    cr_assert_eq(key_ram_write(kr, 4, km, 20), -ERANGE);
    cr_assert_eq(key_ram_write(kr, 0, km, 16), -EINVAL);
    cr_assert_eq(key_ram_write(kr, 0, km, 32), -EINVAL);
    cr_assert_eq(key_ram_write(kr, 0, NULL, 20), -EINVAL);
    cr_assert_eq(key_ram_write(NULL, 0, km, 20), -EINVAL);
    cr_assert_eq(key_ram_free(kr, 9), -ERANGE);
    cr_assert(!key_ram_valid(kr, 0));
    cr_assert_null(key_ram_slot_dp(kr, 0));
    cr_assert_null(key_ram_slot_dp(kr, 99));
    cr_assert_eq(key_ram_nr(kr, 0), 0);

    for (unsigned k = 0; k < 3; k++) {
        size_t klen = 16 + 8 * k;
        cr_assert_eq(key_ram_write(kr, k, km, klen + 4), 0);
        cr_assert(key_ram_valid(kr, k));
        cr_assert_eq(key_ram_nr(kr, k), nr_of(klen));
        const struct key_ram_slot *s = key_ram_slot_dp(kr, k);
        cr_assert(s);
        cr_assert(memcmp(&s->ks.rk[0][0], km, klen) == 0, "first Nk words are the key");
        cr_assert(memcmp(s->salt, km + klen, 4) == 0);
        /* H = E_K(0^128), checked with OpenSSL ECB */
        uint8_t zero[16] = {0}, h[16];
        int n;
        EVP_CIPHER_CTX *x = EVP_CIPHER_CTX_new();
        const EVP_CIPHER *c = klen == 16   ? EVP_aes_128_ecb()
                              : klen == 24 ? EVP_aes_192_ecb()
                                           : EVP_aes_256_ecb();
        cr_assert_eq(EVP_EncryptInit_ex(x, c, NULL, km, NULL), 1);
        cr_assert_eq(EVP_EncryptUpdate(x, h, &n, zero, 16), 1);
        EVP_CIPHER_CTX_free(x);
        cr_assert(memcmp(s->h, h, 16) == 0);
    }
    /* a failed write leaves the slot as it was */
    uint32_t gen = key_ram_slot_dp(kr, 1)->gen;
    cr_assert_eq(key_ram_write(kr, 1, km, 21), -EINVAL);
    cr_assert(key_ram_valid(kr, 1));
    cr_assert_eq(key_ram_slot_dp(kr, 1)->gen, gen);
    /* a rewrite changes the generation */
    cr_assert_eq(key_ram_write(kr, 1, km, 28), 0);
    cr_assert_neq(key_ram_slot_dp(kr, 1)->gen, gen);

    /* free zeroes every byte of key material (look through the datapath pointer kept from
     * before the free: the table entry itself) */
    const struct key_ram_slot *s = key_ram_slot_dp(kr, 2);
    cr_assert_eq(key_ram_free(kr, 2), 0);
    cr_assert(!key_ram_valid(kr, 2));
    cr_assert_null(key_ram_slot_dp(kr, 2));
    const uint8_t *b = (const uint8_t *)s;
    for (size_t i = 0; i < offsetof(struct key_ram_slot, gen); i++)
        cr_assert_eq(b[i], 0, "byte %zu of a freed slot", i);
    cr_assert_eq(key_ram_free(kr, 2), 0); /* freeing a free slot is fine */
    key_ram_destroy(kr);
}

Test(key_ram, capacity_65536)
{
    cr_assert_lt(sizeof(struct key_ram_slot), 300);
    struct key_ram *kr = key_ram_create(65536);
    cr_assert(kr);
    uint8_t km[36] = {1, 2, 3};
    cr_assert_eq(key_ram_write(kr, 65535, km, 36), 0);
    cr_assert_eq(key_ram_write(kr, 65536, km, 36), -ERANGE);
    cr_assert_eq(key_ram_nr(kr, 65535), 14);
    key_ram_destroy(kr);
}

/* ---- gcm_engine -------------------------------------------------------------------------- */
struct eng_run {
    uint64_t done_at;
    bool icv_ok, err;
    uint8_t tag[16];
    unsigned nbeats;
    uint64_t beat_at[128];
};

/* Drive one job from cycle 0 (start_i) to done_o. Each cycle: sample the Moore outputs, drive
 * the inputs, eval, commit. Beats are withheld in cycles [stall_from, stall_from + stall_n). */
static void run_engine(struct gcm_engine *e, const struct key_ram *kr, uint32_t slot,
                       const uint8_t iv[8], const uint8_t *aad, unsigned alen, const uint8_t *in,
                       uint32_t len, bool dec, unsigned icv_len, const uint8_t *icv, uint8_t *out,
                       struct eng_run *r, uint64_t stall_from, uint64_t stall_n)
{
    uint32_t in_off = 0, out_off = 0;
    memset(r, 0, sizeof(*r));
    for (uint64_t t = 0;; t++) {
        cr_assert_lt(t, 10000);
        if (e->out_valid_o) {
            cr_assert_lt(r->nbeats, 128);
            memcpy(out + out_off, e->out_data_o, e->out_nbytes_o);
            out_off += e->out_nbytes_o;
            r->beat_at[r->nbeats++] = t;
        }
        if (e->done_o) {
            r->done_at = t;
            r->icv_ok = e->icv_ok_o;
            r->err = e->err_o;
            memcpy(r->tag, e->tag_o, 16);
            cr_assert_eq(out_off, r->err ? 0 : len);
            cr_assert(!e->busy_o);
            e->start_i = e->in_valid_i = false; /* the cycle of done_o: let the pulse drop */
            gcm_engine_eval(e, t);
            gcm_engine_commit(e);
            return;
        }
        cr_assert_eq(e->busy_o, t > 0);
        e->start_i = t == 0;
        if (t == 0) {
            e->kr_i = kr;
            e->key_slot_i = slot;
            memcpy(e->iv_i, iv, 8);
            memset(e->aad_i, 0, 16);
            if (alen)
                memcpy(e->aad_i, aad, alen);
            e->aad_len_i = (uint8_t)alen;
            e->len_i = len;
            e->decrypt_i = dec;
            e->icv_len_i = (uint8_t)icv_len;
            memset(e->icv_i, 0, 16);
            if (icv)
                memcpy(e->icv_i, icv, icv_len);
        }
        const bool stalled = t >= stall_from && t < stall_from + stall_n;
        const uint32_t nb = len - in_off < 16 ? len - in_off : 16;
        e->in_valid_i = t > 0 && !stalled && in_off < len;
        if (e->in_valid_i) {
            memset(e->in_data_i, 0, 16);
            memcpy(e->in_data_i, in + in_off, nb);
            e->in_nbytes_i = (uint8_t)nb;
        }
        const bool take = e->in_valid_i && e->in_ready_o;
        gcm_engine_eval(e, t);
        gcm_engine_commit(e);
        if (take)
            in_off += nb;
    }
}

/* McGrew-Viega Appendix B test cases with a 96-bit IV and no AAD. */
static const struct mv_case {
    const char *name, *key, *iv, *pt, *ct, *tag;
} mv_cases[] = {
    {"TC1", "00000000000000000000000000000000", "000000000000000000000000", "", "",
     "58e2fccefa7e3061367f1d57a4e7455a"},
    {"TC2", "00000000000000000000000000000000", "000000000000000000000000",
     "00000000000000000000000000000000", "0388dace60b6a392f328c2b971b2fe78",
     "ab6e47d42cec13bdf53a67b21257bddf"},
    {"TC3", "feffe9928665731c6d6a8f9467308308", "cafebabefacedbaddecaf888",
     "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
     "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255",
     "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
     "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985",
     "4d5c2af327cd64a62cf35abd2ba6fab4"},
    {"TC7", "000000000000000000000000000000000000000000000000", "000000000000000000000000", "",
     "", "cd33b28ac773f74ba00ed1f312572435"},
    {"TC8", "000000000000000000000000000000000000000000000000", "000000000000000000000000",
     "00000000000000000000000000000000", "98e7247c07f0fe411c267e4384b0f600",
     "2ff58d80033927ab8ef4d4587514f0fb"},
    {"TC9", "feffe9928665731c6d6a8f9467308308feffe9928665731c", "cafebabefacedbaddecaf888",
     "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
     "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255",
     "3980ca0b3c00e841eb06fac4872a2757859e1ceaa6efd984628593b40ca1e19c"
     "7d773d00c144c525ac619d18c84a3f4718e2448b2fe324d9ccda2710acade256",
     "9924a7c8587336bfb118024db8674a14"},
    {"TC13", "0000000000000000000000000000000000000000000000000000000000000000",
     "000000000000000000000000", "", "", "530f8afbc74536b9a963b4f1c4cb738b"},
    {"TC14", "0000000000000000000000000000000000000000000000000000000000000000",
     "000000000000000000000000", "00000000000000000000000000000000",
     "cea7403d4d606b6e074ec5d3baf39d18", "d0d1c8a799996bf0265b98b5d48ab919"},
    {"TC15", "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308",
     "cafebabefacedbaddecaf888",
     "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
     "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255",
     "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
     "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad",
     "b094dac5d93471bdec1a502270e3cc6c"},
};

Test(gcm_engine, mcgrew_viega_vectors)
{
    struct key_ram *kr = key_ram_create(1);
    cr_assert(kr);
    struct gcm_engine *e = malloc(sizeof(*e));
    cr_assert(e);
    for (size_t c = 0; c < sizeof(mv_cases) / sizeof(mv_cases[0]); c++) {
        const struct mv_case *v = &mv_cases[c];
        uint8_t km[36], iv12[12], pt[64], ct[64], tag[16], out[64];
        size_t klen = hex(km, v->key);
        hex(iv12, v->iv);
        memcpy(km + klen, iv12, 4); /* RFC 4106 split: salt = IV[0..3] */
        size_t len = hex(pt, v->pt);
        cr_assert_eq(hex(ct, v->ct), len);
        hex(tag, v->tag);
        cr_assert_eq(key_ram_write(kr, 0, km, klen + 4), 0);
        for (unsigned o = 0; o < 2; o++) {
            struct eng_run r;
            gcm_engine_init(e, o == 1);
            run_engine(e, kr, 0, iv12 + 4, NULL, 0, pt, (uint32_t)len, false, 16, NULL, out, &r,
                       0, 0);
            cr_assert(memcmp(out, ct, len) == 0, "%s ciphertext, portable %u", v->name, o);
            cr_assert(memcmp(r.tag, tag, 16) == 0, "%s tag, portable %u", v->name, o);
            cr_assert(r.icv_ok && !r.err);
            cr_assert_eq(r.done_at, gcm_engine_latency((uint32_t)len, nr_of(klen)), "%s",
                         v->name);
            /* decrypt, good and corrupted tag */
            run_engine(e, kr, 0, iv12 + 4, NULL, 0, ct, (uint32_t)len, true, 16, tag, out, &r, 0,
                       0);
            cr_assert(memcmp(out, pt, len) == 0);
            cr_assert(r.icv_ok, "%s decrypt", v->name);
            cr_assert_eq(r.done_at, gcm_engine_latency((uint32_t)len, nr_of(klen)));
            uint8_t bad[16];
            memcpy(bad, tag, 16);
            bad[15] ^= 0x01;
            run_engine(e, kr, 0, iv12 + 4, NULL, 0, ct, (uint32_t)len, true, 16, bad, out, &r,
                       0, 0);
            cr_assert(!r.icv_ok, "%s corrupted tag", v->name);
            /* truncated ICVs compare only their bytes: a flip beyond them is not seen */
            run_engine(e, kr, 0, iv12 + 4, NULL, 0, ct, (uint32_t)len, true, 12, bad, out, &r,
                       0, 0);
            cr_assert(r.icv_ok);
            cr_assert(memcmp(r.tag, tag, 12) == 0);
            for (unsigned i = 12; i < 16; i++)
                cr_assert_eq(r.tag[i], 0);
        }
    }
    free(e);
    key_ram_destroy(kr);
}

Test(gcm_engine, cycle_timeline)
{
    /* 100 bytes (7 beats) with an 8-byte AAD, every key size: beat j leaves at nr + 3 + j,
     * in_ready_o is high exactly in the cycles a beat is taken, done_o at n + nr + 3. */
    struct key_ram *kr = key_ram_create(3);
    struct gcm_engine *e = malloc(sizeof(*e));
    cr_assert(kr && e);
    uint64_t seed = 0x5eed0301;
    uint8_t km[36], iv[8], aad[8], pt[100], ct[100], tag[16], nonce[12], out[100];
    rng_fill(&seed, km, sizeof(km));
    rng_fill(&seed, iv, 8);
    rng_fill(&seed, aad, 8);
    rng_fill(&seed, pt, sizeof(pt));
    for (unsigned k = 0; k < 3; k++) {
        size_t klen = 16 + 8 * k;
        unsigned nr = nr_of(klen);
        cr_assert_eq(key_ram_write(kr, k, km, klen + 4), 0);
        memcpy(nonce, km + klen, 4);
        memcpy(nonce + 4, iv, 8);
        ref_encrypt(km, klen, nonce, aad, 8, pt, 100, ct, tag);
        gcm_engine_init(e, false);
        struct eng_run r;
        run_engine(e, kr, k, iv, aad, 8, pt, 100, false, 16, NULL, out, &r, 0, 0);
        cr_assert(memcmp(out, ct, 100) == 0);
        cr_assert(memcmp(r.tag, tag, 16) == 0);
        cr_assert_eq(r.nbeats, 7);
        for (unsigned j = 0; j < 7; j++)
            cr_assert_eq(r.beat_at[j], nr + 3 + j, "key %u beat %u", k, j);
        cr_assert_eq(r.done_at, 7 + nr + 3);
        cr_assert_eq(r.done_at, gcm_engine_latency(100, nr));
        cr_assert(!e->done_o && !e->busy_o); /* run_engine stepped the done cycle */
        cr_assert_eq(gcm_engine_next_event(e, 51), SIM_NEVER);

        /* a 3-cycle hole in the data stream while keystream waits: everything shifts by 3 */
        run_engine(e, kr, k, iv, aad, 8, pt, 100, false, 16, NULL, out, &r, nr + 4, 3);
        cr_assert(memcmp(out, ct, 100) == 0);
        cr_assert(memcmp(r.tag, tag, 16) == 0);
        cr_assert_eq(r.done_at, gcm_engine_latency(100, nr) + 3);
    }
    free(e);
    key_ram_destroy(kr);
}

Test(gcm_engine, refused_start)
{
    struct key_ram *kr = key_ram_create(2);
    struct gcm_engine *e = malloc(sizeof(*e));
    cr_assert(kr && e);
    uint8_t iv[8] = {0}, out[16];
    struct eng_run r;
    gcm_engine_init(e, false);
    run_engine(e, kr, 1, iv, NULL, 0, NULL, 0, false, 16, NULL, out, &r, 0, 0); /* empty slot */
    cr_assert(r.err && !r.icv_ok);
    cr_assert_eq(r.done_at, 1);
    run_engine(e, kr, 7, iv, NULL, 0, NULL, 0, false, 16, NULL, out, &r, 0, 0); /* no slot */
    cr_assert(r.err);
    free(e);
    key_ram_destroy(kr);
}

/* ---- gcm_unit harness: a job source and a sink as sim blocks ----------------------------- */
struct tb_src {
    gcm_job_stream *link;
    struct gcm_job **jobs;
    size_t n, next_q, next_d;
};

static void src_eval(void *self, uint64_t now)
{
    struct tb_src *s = self;
    (void)now;
    stream_hold_producer(s->link);
    s->next_d = s->next_q;
    if (!s->link->valid_d && s->next_q < s->n) {
        s->link->valid_d = true;
        s->link->data_d = s->jobs[s->next_q];
        s->next_d = s->next_q + 1;
    }
}

static void src_commit(void *self)
{
    struct tb_src *s = self;
    s->next_q = s->next_d;
}

static uint64_t src_next(const void *self, uint64_t now)
{
    const struct tb_src *s = self;
    if (stream_fire(s->link) || (!s->link->valid_q && s->next_q < s->n))
        return now;
    return SIM_NEVER;
}

struct tb_sink {
    gcm_job_stream *link;
    uint64_t ready_from; /* out.ready is high from this cycle on */
    struct gcm_job *got_d;
    uint64_t got_at_d;
    size_t ngot;
    struct gcm_job *got[2048];
    uint64_t got_at[2048];
};

static void sink_eval(void *self, uint64_t now)
{
    struct tb_sink *k = self;
    stream_hold_consumer(k->link);
    k->got_d = stream_fire(k->link) ? k->link->data_q : NULL;
    k->got_at_d = now;
    k->link->ready_d = now + 1 >= k->ready_from;
}

static void sink_commit(void *self)
{
    struct tb_sink *k = self;
    if (k->got_d) {
        cr_assert_lt(k->ngot, 2048);
        k->got_at[k->ngot] = k->got_at_d;
        k->got[k->ngot++] = k->got_d;
        k->got_d = NULL;
    }
}

static uint64_t sink_next(const void *self, uint64_t now)
{
    const struct tb_sink *k = self;
    if (stream_fire(k->link))
        return now;
    if (!k->link->ready_q)
        return k->ready_from > now + 1 ? k->ready_from - 1 : now;
    return SIM_NEVER;
}

struct tb {
    struct sim sim;
    struct gcm_unit *u;
    struct tb_src src;
    struct tb_sink *sink;
};

static void tb_init(struct tb *t, const struct gcm_unit_cfg *cfg, uint64_t ready_from)
{
    memset(t, 0, sizeof(*t));
    t->u = gcm_unit_create(cfg);
    t->sink = calloc(1, sizeof(*t->sink));
    cr_assert(t->u && t->sink);
    t->src.link = &t->u->in;
    t->sink->link = &t->u->out;
    t->sink->ready_from = ready_from;
    t->u->out.ready_q = ready_from == 0;
    sim_init(&t->sim);
    struct sim_block b1 = {"src", &t->src, src_eval, src_commit, src_next};
    struct sim_block b2 = gcm_unit_sim_block(t->u, "gcm_unit");
    struct sim_block b3 = {"sink", t->sink, sink_eval, sink_commit, sink_next};
    cr_assert_eq(sim_add(&t->sim, &b1), 0);
    cr_assert_eq(sim_add(&t->sim, &b2), 0);
    cr_assert_eq(sim_add(&t->sim, &b3), 0);
}

static void tb_run(struct tb *t, struct gcm_job **jobs, size_t n)
{
    t->src.jobs = jobs;
    t->src.n = n;
    t->src.next_q = t->src.next_d = 0;
    size_t before = t->sink->ngot;
    cr_assert(sim_run(&t->sim, t->sim.cycle + 10000000));
    cr_assert_eq(t->sink->ngot - before, n);
    for (size_t i = 0; i < n; i++)
        cr_assert(t->sink->got[before + i] == jobs[i], "jobs leave in order");
    cr_assert(gcm_unit_idle(t->u));
}

static void tb_fini(struct tb *t)
{
    gcm_unit_destroy(t->u);
    free(t->sink);
}

/* ---- random jobs ------------------------------------------------------------------------- */
enum { CORRUPT_NONE, CORRUPT_ICV, CORRUPT_DATA };

struct tjob {
    uint32_t slot;
    size_t klen;
    uint32_t len;
    bool decrypt;
    unsigned icv_len, corrupt;
    uint8_t iv[8], aad[12];
    unsigned alen;
    uint8_t *pt, *ct;      /* reference plaintext / ciphertext                           */
    uint8_t tag[16];       /* reference full tag                                          */
    uint8_t *in;           /* what the job is given (ct possibly corrupted, or pt)        */
    uint8_t icv_in[16];    /* what the job is given as ICV (decrypt)                      */
    bool expect_ok;
};

struct keyset {
    struct key_ram *kr;
    uint8_t km[16][36];
    size_t klen[16];
};

static void keyset_init(struct keyset *ks, uint64_t *seed)
{
    ks->kr = key_ram_create(16);
    cr_assert(ks->kr);
    for (unsigned s = 0; s < 16; s++) {
        ks->klen[s] = 16 + 8 * (s % 3);
        rng_fill(seed, ks->km[s], 36);
        cr_assert_eq(key_ram_write(ks->kr, s, ks->km[s], ks->klen[s] + 4), 0);
    }
}

static void tjob_make(struct tjob *t, const struct keyset *ks, uint64_t *seed, unsigned klen_sel,
                      uint32_t len, bool decrypt)
{
    memset(t, 0, sizeof(*t));
    /* slots with the wanted key size; runs of jobs often share one (the FAST key cache) */
    t->slot = (uint32_t)(klen_sel + 3 * (rng_next(seed) % 5));
    t->klen = ks->klen[t->slot];
    t->len = len;
    t->decrypt = decrypt;
    static const unsigned icvs[3] = {8, 12, 16};
    t->icv_len = icvs[rng_next(seed) % 3];
    t->alen = (rng_next(seed) & 1) ? 12 : 8;
    rng_fill(seed, t->iv, 8);
    rng_fill(seed, t->aad, 12);
    t->pt = malloc(len + 1);
    t->ct = malloc(len + 1);
    t->in = malloc(len + 1);
    cr_assert(t->pt && t->ct && t->in);
    rng_fill(seed, t->pt, len);
    uint8_t nonce[12];
    memcpy(nonce, ks->km[t->slot] + t->klen, 4);
    memcpy(nonce + 4, t->iv, 8);
    ref_encrypt(ks->km[t->slot], t->klen, nonce, t->aad, t->alen, t->pt, len, t->ct, t->tag);

    /* the golden library must agree with the direct EVP reference */
    uint8_t *gct = malloc(len + 1), gtag[16];
    cr_assert(gct);
    cr_assert_eq(gold_gcm_encrypt(ks->km[t->slot], t->klen, nonce, 12, t->aad, t->alen, t->pt,
                                  len, gct, gtag, 16),
                 GOLD_OK);
    cr_assert(memcmp(gct, t->ct, len) == 0 && memcmp(gtag, t->tag, 16) == 0, "golden vs EVP");
    free(gct);

    t->expect_ok = true;
    if (!decrypt) {
        memcpy(t->in, t->pt, len);
        return;
    }
    memcpy(t->in, t->ct, len);
    memcpy(t->icv_in, t->tag, 16);
    uint64_t r = rng_next(seed);
    t->corrupt = (r % 4 == 0) ? CORRUPT_ICV : (r % 4 == 1 && len) ? CORRUPT_DATA : CORRUPT_NONE;
    if (t->corrupt == CORRUPT_ICV)
        t->icv_in[(r >> 8) % t->icv_len] ^= (uint8_t)(1u << ((r >> 16) % 8));
    if (t->corrupt == CORRUPT_DATA)
        t->in[(r >> 8) % len] ^= (uint8_t)(1u << ((r >> 16) % 8));
    t->expect_ok = t->corrupt == CORRUPT_NONE;
    /* golden decrypt gives the same verdict */
    uint8_t *gpt = malloc(len + 1);
    cr_assert(gpt);
    enum gold_status gs = gold_gcm_decrypt(ks->km[t->slot], t->klen, nonce, 12, t->aad, t->alen,
                                           t->in, len, t->icv_in, t->icv_len, gpt);
    cr_assert_eq(gs, t->expect_ok ? GOLD_OK : GOLD_E_BAD_ICV);
    free(gpt);
}

static void tjob_free(struct tjob *t)
{
    free(t->pt);
    free(t->ct);
    free(t->in);
}

/* Instantiate a gcm_job (with its own buffers) for one unit. */
struct ujob {
    struct gcm_job j;
    uint8_t *buf;
    uint8_t icv[16];
};

static void ujob_make(struct ujob *u, const struct tjob *t, const struct keyset *ks)
{
    memset(u, 0, sizeof(*u));
    u->buf = malloc(t->len + 1);
    cr_assert(u->buf);
    memcpy(u->buf, t->in, t->len);
    memset(u->icv, 0xee, 16);
    if (t->decrypt)
        memcpy(u->icv, t->icv_in, t->icv_len);
    u->j.kr = ks->kr;
    u->j.slot = t->slot;
    memcpy(u->j.iv, t->iv, 8);
    memcpy(u->j.aad, t->aad, 12);
    u->j.aad_len = (uint8_t)t->alen;
    u->j.data = u->buf;
    u->j.len = t->len;
    u->j.decrypt = t->decrypt;
    u->j.icv_len = (uint8_t)t->icv_len;
    u->j.icv = u->icv;
    u->j.icv_ok = !t->expect_ok; /* poison: the unit must write the result */
    u->j.err = 12345;
}

static void ujob_check(const struct ujob *u, const struct tjob *t, size_t i)
{
    cr_assert_eq(u->j.err, 0, "job %zu", i);
    cr_assert_eq(u->j.icv_ok, t->expect_ok, "job %zu (len %u, decrypt %d, corrupt %u)", i,
                 t->len, t->decrypt, t->corrupt);
    if (!t->decrypt) {
        cr_assert(memcmp(u->buf, t->ct, t->len) == 0, "job %zu ciphertext", i);
        cr_assert(memcmp(u->icv, t->tag, t->icv_len) == 0, "job %zu ICV", i);
    } else if (t->expect_ok) {
        cr_assert(memcmp(u->buf, t->pt, t->len) == 0, "job %zu plaintext", i);
    } else {
        /* no plaintext released: the buffer still holds the received ciphertext */
        cr_assert(memcmp(u->buf, t->in, t->len) == 0, "job %zu released data", i);
    }
    cr_assert_eq(u->j.t_done - u->j.t_start, gcm_unit_latency(t->len, nr_of(t->klen)), "job %zu",
                 i);
}

/* Run the jobs through a FAST unit, a BIT unit and (optionally) a BIT unit on the portable
 * path; check each against the reference and the modes against each other. */
static void run_modes(struct tjob *tj, size_t n, const struct keyset *ks, bool portable_too)
{
    const unsigned nunits = portable_too ? 3 : 2;
    struct ujob *uj[3];
    struct gcm_job **ptr[3];
    uint64_t steps[3], cycles[3];
    for (unsigned m = 0; m < nunits; m++) {
        struct gcm_unit_cfg cfg;
        gcm_unit_cfg_default(&cfg);
        cfg.mode = m == 0 ? GCM_DATA_FAST : GCM_DATA_BIT;
        cfg.force_portable = m == 2;
        uj[m] = calloc(n, sizeof(struct ujob));
        ptr[m] = calloc(n, sizeof(struct gcm_job *));
        cr_assert(uj[m] && ptr[m]);
        for (size_t i = 0; i < n; i++) {
            ujob_make(&uj[m][i], &tj[i], ks);
            ptr[m][i] = &uj[m][i].j;
        }
        struct tb t;
        tb_init(&t, &cfg, 0);
        tb_run(&t, ptr[m], n);
        for (size_t i = 0; i < n; i++) {
            ujob_check(&uj[m][i], &tj[i], i);
            /* back to back: the next job is taken in the cycle this one appears on out */
            if (i + 1 < n)
                cr_assert_eq(uj[m][i + 1].j.t_start, uj[m][i].j.t_done);
            cr_assert_eq(t.sink->got_at[i], uj[m][i].j.t_done);
        }
        steps[m] = t.sim.steps;
        cycles[m] = t.sim.cycle;
        tb_fini(&t);
    }
    for (unsigned m = 1; m < nunits; m++) {
        cr_assert_eq(cycles[m], cycles[0]);
        for (size_t i = 0; i < n; i++) {
            cr_assert_eq(uj[m][i].j.t_start, uj[0][i].j.t_start, "job %zu", i);
            cr_assert_eq(uj[m][i].j.t_done, uj[0][i].j.t_done, "job %zu", i);
            cr_assert_eq(uj[m][i].j.icv_ok, uj[0][i].j.icv_ok);
            cr_assert(memcmp(uj[m][i].buf, uj[0][i].buf, tj[i].len) == 0, "job %zu bytes", i);
            cr_assert(memcmp(uj[m][i].icv, uj[0][i].icv, 16) == 0, "job %zu icv", i);
        }
    }
    /* FAST skips the cycles in between: about two scheduler steps per job */
    cr_assert_leq(steps[0], 2 * n + 4, "fast steps %llu for %zu jobs",
                  (unsigned long long)steps[0], n);
    cr_assert_eq(steps[1], cycles[1], "BIT mode steps every cycle while busy");
    for (unsigned m = 0; m < nunits; m++) {
        for (size_t i = 0; i < n; i++)
            free(uj[m][i].buf);
        free(uj[m]);
        free(ptr[m]);
    }
}

static void random_jobs(bool decrypt, uint64_t seed0)
{
    uint64_t seed = seed0;
    struct keyset ks;
    keyset_init(&ks, &seed);
    /* lengths 0..200, 1500 and 9000, every key size */
    const size_t nlen = 201 + 2;
    const size_t n = nlen * 3;
    struct tjob *tj = calloc(n, sizeof(*tj));
    cr_assert(tj);
    size_t i = 0;
    for (size_t l = 0; l < nlen; l++) {
        uint32_t len = l <= 200 ? (uint32_t)l : l == 201 ? 1500u : 9000u;
        for (unsigned k = 0; k < 3; k++)
            tjob_make(&tj[i++], &ks, &seed, k, len, decrypt);
    }
    run_modes(tj, n, &ks, false);
    for (i = 0; i < n; i++)
        tjob_free(&tj[i]);
    free(tj);
    key_ram_destroy(ks.kr);
}

Test(gcm_unit, random_encrypt_fast_equals_bit)
{
    random_jobs(false, 0x5eed1001);
}

Test(gcm_unit, random_decrypt_fast_equals_bit)
{
    random_jobs(true, 0x5eed1002);
}

Test(gcm_unit, portable_path_equals_aesni)
{
    /* BIT mode with force_portable against BIT with AES-NI / PCLMUL and FAST. */
    uint64_t seed = 0x5eed1003;
    struct keyset ks;
    keyset_init(&ks, &seed);
    struct tjob tj[60];
    for (unsigned i = 0; i < 60; i++)
        tjob_make(&tj[i], &ks, &seed, i % 3, i < 58 ? (uint32_t)(i * 7) : 1500u, i & 1);
    run_modes(tj, 60, &ks, true);
    for (unsigned i = 0; i < 60; i++)
        tjob_free(&tj[i]);
    key_ram_destroy(ks.kr);
}

Test(gcm_unit, bad_jobs_refused_in_one_cycle)
{
    uint64_t seed = 0x5eed1004;
    struct keyset ks;
    keyset_init(&ks, &seed);
    cr_assert_eq(key_ram_free(ks.kr, 5), 0);
    for (unsigned m = 0; m < 2; m++) {
        struct gcm_unit_cfg cfg;
        gcm_unit_cfg_default(&cfg);
        cfg.mode = m ? GCM_DATA_BIT : GCM_DATA_FAST;
        cfg.max_len = 2048;
        uint8_t buf[4096], orig[4096], icv[16];
        rng_fill(&seed, orig, sizeof(orig));
        memset(icv, 0x5a, 16);
        struct gcm_job j[6];
        for (unsigned i = 0; i < 6; i++) {
            memset(&j[i], 0, sizeof(j[i]));
            j[i] = (struct gcm_job){.kr = ks.kr, .slot = 0, .aad_len = 8, .data = buf, .len = 64,
                                    .icv_len = 16, .icv = icv, .icv_ok = true};
        }
        j[0].slot = 5;        /* freed slot */
        j[1].slot = 99;       /* out of range */
        j[2].aad_len = 4;
        j[3].icv_len = 10;
        j[4].len = 4096;      /* > max_len */
        j[5].icv = NULL;
        static const int expect[6] = {-ENOKEY, -ENOKEY, -EINVAL, -EINVAL, -EINVAL, -EINVAL};
        struct gcm_job *p[6];
        for (unsigned i = 0; i < 6; i++)
            p[i] = &j[i];
        memcpy(buf, orig, sizeof(buf));
        struct tb t;
        tb_init(&t, &cfg, 0);
        tb_run(&t, p, 6);
        for (unsigned i = 0; i < 6; i++) {
            cr_assert_eq(j[i].err, expect[i], "mode %u job %u", m, i);
            cr_assert(!j[i].icv_ok);
            cr_assert_eq(j[i].t_done, j[i].t_start + 1);
        }
        cr_assert(memcmp(buf, orig, sizeof(buf)) == 0, "data untouched");
        for (unsigned i = 0; i < 16; i++)
            cr_assert_eq(icv[i], 0x5a);
        tb_fini(&t);
    }
    key_ram_destroy(ks.kr);
}

Test(gcm_unit, slot_rewrite_rekeys_fast_cache)
{
    /* Same slot, new key between jobs: FAST must not reuse its cached OpenSSL key. */
    uint64_t seed = 0x5eed1005;
    struct keyset ks;
    keyset_init(&ks, &seed);
    for (unsigned m = 0; m < 2; m++) {
        struct gcm_unit_cfg cfg;
        gcm_unit_cfg_default(&cfg);
        cfg.mode = m ? GCM_DATA_BIT : GCM_DATA_FAST;
        struct tb t;
        tb_init(&t, &cfg, 0);
        for (unsigned round = 0; round < 3; round++) {
            rng_fill(&seed, ks.km[4], 36);
            cr_assert_eq(key_ram_write(ks.kr, 4, ks.km[4], ks.klen[4] + 4), 0);
            struct tjob tj;
            struct ujob uj;
            memset(&tj, 0, sizeof(tj));
            tj.slot = 4;
            tj.klen = ks.klen[4];
            tj.len = 100;
            tj.icv_len = 16;
            tj.alen = 8;
            tj.expect_ok = true;
            rng_fill(&seed, tj.iv, 8);
            rng_fill(&seed, tj.aad, 12);
            tj.pt = malloc(100);
            tj.ct = malloc(100);
            tj.in = malloc(100);
            cr_assert(tj.pt && tj.ct && tj.in);
            rng_fill(&seed, tj.pt, 100);
            uint8_t nonce[12];
            memcpy(nonce, ks.km[4] + tj.klen, 4);
            memcpy(nonce + 4, tj.iv, 8);
            ref_encrypt(ks.km[4], tj.klen, nonce, tj.aad, 8, tj.pt, 100, tj.ct, tj.tag);
            memcpy(tj.in, tj.pt, 100);
            ujob_make(&uj, &tj, &ks);
            struct gcm_job *p = &uj.j;
            tb_run(&t, &p, 1);
            ujob_check(&uj, &tj, round);
            free(uj.buf);
            tjob_free(&tj);
        }
        tb_fini(&t);
    }
    key_ram_destroy(ks.kr);
}

Test(gcm_unit, blocked_out_stream)
{
    /* The sink takes nothing before cycle 400: finished jobs wait in the unit, results and
     * t_done stay identical between modes and the first job still meets the formula. */
    uint64_t seed = 0x5eed1006;
    struct keyset ks;
    keyset_init(&ks, &seed);
    struct tjob tj[4];
    for (unsigned i = 0; i < 4; i++)
        tjob_make(&tj[i], &ks, &seed, i % 3, 64 + 100 * i, i & 1);
    uint64_t t_done[2][4];
    for (unsigned m = 0; m < 2; m++) {
        struct gcm_unit_cfg cfg;
        gcm_unit_cfg_default(&cfg);
        cfg.mode = m ? GCM_DATA_BIT : GCM_DATA_FAST;
        struct ujob uj[4];
        struct gcm_job *p[4];
        for (unsigned i = 0; i < 4; i++) {
            ujob_make(&uj[i], &tj[i], &ks);
            p[i] = &uj[i].j;
        }
        struct tb t;
        tb_init(&t, &cfg, 400);
        tb_run(&t, p, 4);
        for (unsigned i = 0; i < 4; i++) {
            cr_assert_eq(uj[i].j.icv_ok, tj[i].expect_ok);
            if (!tj[i].decrypt)
                cr_assert(memcmp(uj[i].buf, tj[i].ct, tj[i].len) == 0);
            else if (tj[i].expect_ok)
                cr_assert(memcmp(uj[i].buf, tj[i].pt, tj[i].len) == 0);
            t_done[m][i] = uj[i].j.t_done;
            free(uj[i].buf);
        }
        cr_assert_eq(uj[0].j.t_done - uj[0].j.t_start,
                     gcm_unit_latency(tj[0].len, nr_of(tj[0].klen)));
        cr_assert_eq(t.sink->got_at[0], 400);
        cr_assert_eq(uj[1].j.t_done, 401); /* waited for the slot on the out stream */
        tb_fini(&t);
    }
    for (unsigned i = 0; i < 4; i++)
        cr_assert_eq(t_done[0][i], t_done[1][i]);
    for (unsigned i = 0; i < 4; i++)
        tjob_free(&tj[i]);
    key_ram_destroy(ks.kr);
}

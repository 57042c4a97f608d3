/* aes_core.c - AES rounds (portable and AES-NI), key expansion and the aes_pipe block.
 * See aes_core.h for the contract and the pipe timing. */
#include "aes_core.h"

#include <errno.h>
#include <string.h>

#include "sim.h"

#if defined(__x86_64__) || defined(__i386__)
#define AES_CORE_X86 1
#include <immintrin.h>
#endif

/* FIPS-197 5.1.1 S-box: multiplicative inverse in GF(2^8) followed by the affine map, computed
 * once offline from that definition (not copied from a table). */
static const uint8_t aes_sbox[256] = {
    0x63, 0x7c, 0x77, 0x7b, 0xf2, 0x6b, 0x6f, 0xc5, 0x30, 0x01, 0x67, 0x2b, 0xfe, 0xd7, 0xab, 0x76,
    0xca, 0x82, 0xc9, 0x7d, 0xfa, 0x59, 0x47, 0xf0, 0xad, 0xd4, 0xa2, 0xaf, 0x9c, 0xa4, 0x72, 0xc0,
    0xb7, 0xfd, 0x93, 0x26, 0x36, 0x3f, 0xf7, 0xcc, 0x34, 0xa5, 0xe5, 0xf1, 0x71, 0xd8, 0x31, 0x15,
    0x04, 0xc7, 0x23, 0xc3, 0x18, 0x96, 0x05, 0x9a, 0x07, 0x12, 0x80, 0xe2, 0xeb, 0x27, 0xb2, 0x75,
    0x09, 0x83, 0x2c, 0x1a, 0x1b, 0x6e, 0x5a, 0xa0, 0x52, 0x3b, 0xd6, 0xb3, 0x29, 0xe3, 0x2f, 0x84,
    0x53, 0xd1, 0x00, 0xed, 0x20, 0xfc, 0xb1, 0x5b, 0x6a, 0xcb, 0xbe, 0x39, 0x4a, 0x4c, 0x58, 0xcf,
    0xd0, 0xef, 0xaa, 0xfb, 0x43, 0x4d, 0x33, 0x85, 0x45, 0xf9, 0x02, 0x7f, 0x50, 0x3c, 0x9f, 0xa8,
    0x51, 0xa3, 0x40, 0x8f, 0x92, 0x9d, 0x38, 0xf5, 0xbc, 0xb6, 0xda, 0x21, 0x10, 0xff, 0xf3, 0xd2,
    0xcd, 0x0c, 0x13, 0xec, 0x5f, 0x97, 0x44, 0x17, 0xc4, 0xa7, 0x7e, 0x3d, 0x64, 0x5d, 0x19, 0x73,
    0x60, 0x81, 0x4f, 0xdc, 0x22, 0x2a, 0x90, 0x88, 0x46, 0xee, 0xb8, 0x14, 0xde, 0x5e, 0x0b, 0xdb,
    0xe0, 0x32, 0x3a, 0x0a, 0x49, 0x06, 0x24, 0x5c, 0xc2, 0xd3, 0xac, 0x62, 0x91, 0x95, 0xe4, 0x79,
    0xe7, 0xc8, 0x37, 0x6d, 0x8d, 0xd5, 0x4e, 0xa9, 0x6c, 0x56, 0xf4, 0xea, 0x65, 0x7a, 0xae, 0x08,
    0xba, 0x78, 0x25, 0x2e, 0x1c, 0xa6, 0xb4, 0xc6, 0xe8, 0xdd, 0x74, 0x1f, 0x4b, 0xbd, 0x8b, 0x8a,
    0x70, 0x3e, 0xb5, 0x66, 0x48, 0x03, 0xf6, 0x0e, 0x61, 0x35, 0x57, 0xb9, 0x86, 0xc1, 0x1d, 0x9e,
    0xe1, 0xf8, 0x98, 0x11, 0x69, 0xd9, 0x8e, 0x94, 0x9b, 0x1e, 0x87, 0xe9, 0xce, 0x55, 0x28, 0xdf,
    0x8c, 0xa1, 0x89, 0x0d, 0xbf, 0xe6, 0x42, 0x68, 0x41, 0x99, 0x2d, 0x0f, 0xb0, 0x54, 0xbb, 0x16,
};

/* ---- portable round steps (state is column-major: byte r + 4c is row r, column c) ------- */
static uint8_t xtime(uint8_t a)
{
    return (uint8_t)((a << 1) ^ ((a & 0x80) ? 0x1b : 0x00));
}

/* SubBytes and ShiftRows in one pass: row r rotates left by r columns. */
static void sub_shift(uint8_t out[AES_BLOCK], const uint8_t in[AES_BLOCK])
{
    for (unsigned c = 0; c < 4; c++)
        for (unsigned r = 0; r < 4; r++)
            out[r + 4 * c] = aes_sbox[in[r + 4 * ((c + r) & 3)]];
}

static void mix_columns(uint8_t s[AES_BLOCK])
{
    for (unsigned c = 0; c < 4; c++) {
        uint8_t *a = &s[4 * c];
        uint8_t a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3];
        uint8_t all = a0 ^ a1 ^ a2 ^ a3;
        /* b_i = 2a_i ^ 3a_{i+1} ^ a_{i+2} ^ a_{i+3} = a_i ^ all ^ 2(a_i ^ a_{i+1}) */
        a[0] = a0 ^ all ^ xtime(a0 ^ a1);
        a[1] = a1 ^ all ^ xtime(a1 ^ a2);
        a[2] = a2 ^ all ^ xtime(a2 ^ a3);
        a[3] = a3 ^ all ^ xtime(a3 ^ a0);
    }
}

static void add_round_key(uint8_t s[AES_BLOCK], const uint8_t rk[AES_BLOCK])
{
    for (unsigned i = 0; i < AES_BLOCK; i++)
        s[i] ^= rk[i];
}

void aes_round(uint8_t state[AES_BLOCK], const uint8_t rk[AES_BLOCK])
{
    uint8_t t[AES_BLOCK];
    sub_shift(t, state);
    mix_columns(t);
    add_round_key(t, rk);
    memcpy(state, t, AES_BLOCK);
}

void aes_final_round(uint8_t state[AES_BLOCK], const uint8_t rk[AES_BLOCK])
{
    uint8_t t[AES_BLOCK];
    sub_shift(t, state);
    add_round_key(t, rk);
    memcpy(state, t, AES_BLOCK);
}

static const struct aes_ops aes_ops_portable = {"portable", aes_round, aes_final_round};

/* ---- AES-NI rounds: aesenc is exactly one FIPS-197 round in the same byte order --------- */
#ifdef AES_CORE_X86
__attribute__((target("aes,sse4.1"))) static void aes_round_ni(uint8_t state[AES_BLOCK],
                                                              const uint8_t rk[AES_BLOCK])
{
    __m128i s = _mm_loadu_si128((const __m128i *)(const void *)state);
    __m128i k = _mm_loadu_si128((const __m128i *)(const void *)rk);
    _mm_storeu_si128((__m128i *)(void *)state, _mm_aesenc_si128(s, k));
}

__attribute__((target("aes,sse4.1"))) static void aes_final_round_ni(uint8_t state[AES_BLOCK],
                                                                    const uint8_t rk[AES_BLOCK])
{
    __m128i s = _mm_loadu_si128((const __m128i *)(const void *)state);
    __m128i k = _mm_loadu_si128((const __m128i *)(const void *)rk);
    _mm_storeu_si128((__m128i *)(void *)state, _mm_aesenclast_si128(s, k));
}

static const struct aes_ops aes_ops_ni = {"aesni", aes_round_ni, aes_final_round_ni};

bool aes_ni_available(void)
{
    /* Read-only CPU feature query; no state of ours is kept. */
    return __builtin_cpu_supports("aes") && __builtin_cpu_supports("sse4.1");
}
#else
bool aes_ni_available(void)
{
    return false;
}
#endif

const struct aes_ops *aes_ops_select(bool force_portable)
{
#ifdef AES_CORE_X86
    if (!force_portable && aes_ni_available())
        return &aes_ops_ni;
#else
    (void)force_portable;
#endif
    return &aes_ops_portable;
}

/* ---- key expansion (FIPS-197 5.2), portable: it runs once per key RAM write ------------- */
int aes_expand_key(struct aes_ks *ks, const uint8_t *key, size_t key_len)
{
    memset(ks, 0, sizeof(*ks));
    if (!key || (key_len != 16 && key_len != 24 && key_len != 32))
        return -EINVAL;
    const unsigned nk = (unsigned)key_len / 4, nr = nk + 6, nwords = 4 * (nr + 1);
    uint8_t *w = &ks->rk[0][0]; /* word i is w[4i .. 4i+3] */
    uint8_t rcon = 0x01;
    memcpy(w, key, key_len);
    for (unsigned i = nk; i < nwords; i++) {
        uint8_t t[4];
        memcpy(t, &w[4 * (i - 1)], 4);
        if (i % nk == 0) {
            uint8_t t0 = t[0]; /* RotWord, SubWord, Rcon */
            t[0] = (uint8_t)(aes_sbox[t[1]] ^ rcon);
            t[1] = aes_sbox[t[2]];
            t[2] = aes_sbox[t[3]];
            t[3] = aes_sbox[t0];
            rcon = xtime(rcon);
        } else if (nk > 6 && i % nk == 4) {
            for (unsigned j = 0; j < 4; j++)
                t[j] = aes_sbox[t[j]];
        }
        for (unsigned j = 0; j < 4; j++)
            w[4 * i + j] = w[4 * (i - nk) + j] ^ t[j];
    }
    ks->nr = (uint8_t)nr;
    return 0;
}

void aes_encrypt_block(const struct aes_ops *ops, const struct aes_ks *ks,
                       const uint8_t in[AES_BLOCK], uint8_t out[AES_BLOCK])
{
    uint8_t s[AES_BLOCK];
    for (unsigned i = 0; i < AES_BLOCK; i++)
        s[i] = in[i] ^ ks->rk[0][i];
    for (unsigned r = 1; r < ks->nr; r++)
        ops->round(s, ks->rk[r]);
    ops->final_round(s, ks->rk[ks->nr]);
    memcpy(out, s, AES_BLOCK);
}

/* ---- aes_pipe ---------------------------------------------------------------------------- */
void aes_pipe_init(struct aes_pipe *p, const struct aes_ops *ops)
{
    memset(p, 0, sizeof(*p));
    p->ops = ops ? ops : aes_ops_select(false);
    p->en_i = true;
}

void aes_pipe_eval(struct aes_pipe *p, uint64_t now)
{
    (void)now;
    const struct aes_ks *ks = p->ks_i;
    const unsigned nr = ks ? ks->nr : 0;
    /* Registers are written only when the pipe moves (the _we of the RTL): a stalled or empty
     * pipe leaves d untouched and commit copies nothing. */
    p->nvalid_d = p->nvalid_q;
    p->we = false;
    if (!p->en_i || nr == 0 || (p->nvalid_q == 0 && !p->in_valid_i))
        return;
    unsigned nvalid = 0;
    for (unsigned s = nr - 1; s >= 1; s--) {
        const struct aes_stage *src = &p->q[s - 1];
        struct aes_stage *dst = &p->d[s];
        dst->valid = src->valid;
        if (!src->valid)
            continue; /* an empty stage's state and tag are don't-care */
        nvalid++;
        dst->tag = src->tag;
        memcpy(dst->state, src->state, AES_BLOCK);
        if (s == nr - 1)
            p->ops->final_round(dst->state, ks->rk[s + 1]);
        else
            p->ops->round(dst->state, ks->rk[s + 1]);
    }
    struct aes_stage *s0 = &p->d[0];
    s0->valid = p->in_valid_i;
    if (p->in_valid_i) {
        nvalid++;
        s0->tag = p->in_tag_i;
        for (unsigned i = 0; i < AES_BLOCK; i++)
            s0->state[i] = p->in_data_i[i] ^ ks->rk[0][i]; /* round 0 folded into the input */
        p->ops->round(s0->state, ks->rk[1]);           /* nr >= 10: stage 0 is never final */
    }
    p->nvalid_d = nvalid;
    p->we = true;
}

void aes_pipe_commit(struct aes_pipe *p)
{
    if (p->we)
        memcpy(p->q, p->d, p->ks_i->nr * sizeof(p->q[0]));
    p->we = false;
    p->nvalid_q = p->nvalid_d;
}

uint64_t aes_pipe_next_event(const struct aes_pipe *p, uint64_t now)
{
    return (p->nvalid_q || p->in_valid_i) ? now : SIM_NEVER;
}

/* ghash.c - GF(2^128) multiply (portable and PCLMULQDQ) and the ghash accumulator block.
 * See ghash.h for the bit order and timing. */
#include "ghash.h"

#include <string.h>

#include "sim.h"

#if defined(__x86_64__) || defined(__i386__)
#define GHASH_X86 1
#include <immintrin.h>
#endif

static uint64_t load_be64(const uint8_t *p)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < 8; i++)
        v = (v << 8) | p[i];
    return v;
}

static void store_be64(uint8_t *p, uint64_t v)
{
    for (unsigned i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (56 - 8 * i));
}

/* SP 800-38D Algorithm 1. Held big-endian in two words, the spec's bit 0 (x^0) is the MSB of
 * hi, so "rightshift" is a plain right shift across the pair. Branch-free on the data bits (the
 * masks), as a key-dependent multiplier should be. */
void gf128_mul_portable(uint8_t z[16], const uint8_t x[16], const uint8_t y[16])
{
    uint64_t xh = load_be64(x), xl = load_be64(x + 8);
    uint64_t vh = load_be64(y), vl = load_be64(y + 8);
    uint64_t zh = 0, zl = 0;
    for (unsigned i = 0; i < 128; i++) {
        uint64_t xi = (i < 64) ? (xh >> (63 - i)) & 1 : (xl >> (127 - i)) & 1;
        uint64_t m = (uint64_t)0 - xi;
        zh ^= vh & m;
        zl ^= vl & m;
        uint64_t lsb = (uint64_t)0 - (vl & 1);
        vl = (vl >> 1) | (vh << 63);
        vh = (vh >> 1) ^ (0xe100000000000000ull & lsb);
    }
    store_be64(z, zh);
    store_be64(z + 8, zl);
}

#ifdef GHASH_X86
/* Byte-reflect the block so that the field's x^0 is bit 127 of the register (the natural
 * integer order for PCLMULQDQ); the product of two reflected operands is then shifted left by
 * one and reduced modulo x^128 + x^127 + x^126 + x^121 + 1 (the reflected polynomial), the
 * method of Intel's "Carry-Less Multiplication and Its Usage for Computing the GCM Mode". */
__attribute__((target("pclmul,sse4.1"))) void gf128_mul_clmul(uint8_t z[16], const uint8_t x[16],
                                                              const uint8_t y[16])
{
    const __m128i bswap = _mm_set_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    __m128i a = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)x), bswap);
    __m128i b = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)y), bswap);

    /* 256-bit carry-less product hi:lo from four 64x64 products (schoolbook). */
    __m128i lo = _mm_clmulepi64_si128(a, b, 0x00);
    __m128i mid = _mm_xor_si128(_mm_clmulepi64_si128(a, b, 0x10), _mm_clmulepi64_si128(a, b, 0x01));
    __m128i hi = _mm_clmulepi64_si128(a, b, 0x11);
    lo = _mm_xor_si128(lo, _mm_slli_si128(mid, 8));
    hi = _mm_xor_si128(hi, _mm_srli_si128(mid, 8));

    /* Shift hi:lo left by one bit: reflected operands give a product one bit short. */
    __m128i lo_c = _mm_srli_epi32(lo, 31), hi_c = _mm_srli_epi32(hi, 31);
    lo = _mm_slli_epi32(lo, 1);
    hi = _mm_slli_epi32(hi, 1);
    __m128i cross = _mm_srli_si128(lo_c, 12); /* bit 127 of lo -> bit 0 of hi */
    hi_c = _mm_slli_si128(hi_c, 4);
    lo_c = _mm_slli_si128(lo_c, 4);
    lo = _mm_or_si128(lo, lo_c);
    hi = _mm_or_si128(_mm_or_si128(hi, hi_c), cross);

    /* Reduce: first phase folds the low 32-bit lanes' overflow (x^127, x^126, x^121 terms). */
    __m128i t = _mm_xor_si128(_mm_xor_si128(_mm_slli_epi32(lo, 31), _mm_slli_epi32(lo, 30)),
                              _mm_slli_epi32(lo, 25));
    __m128i carry = _mm_srli_si128(t, 4);
    lo = _mm_xor_si128(lo, _mm_slli_si128(t, 12));
    /* Second phase. */
    __m128i u = _mm_xor_si128(_mm_xor_si128(_mm_srli_epi32(lo, 1), _mm_srli_epi32(lo, 2)),
                              _mm_srli_epi32(lo, 7));
    u = _mm_xor_si128(u, carry);
    lo = _mm_xor_si128(lo, u);
    hi = _mm_xor_si128(hi, lo);

    _mm_storeu_si128((__m128i *)(void *)z, _mm_shuffle_epi8(hi, bswap));
}

bool gf128_clmul_available(void)
{
    return __builtin_cpu_supports("pclmul") && __builtin_cpu_supports("sse4.1");
}
#else
void gf128_mul_clmul(uint8_t z[16], const uint8_t x[16], const uint8_t y[16])
{
    gf128_mul_portable(z, x, y);
}

bool gf128_clmul_available(void)
{
    return false;
}
#endif

gf128_mul_fn gf128_mul_select(bool force_portable)
{
    if (!force_portable && gf128_clmul_available())
        return gf128_mul_clmul;
    return gf128_mul_portable;
}

/* ---- ghash block ------------------------------------------------------------------------- */
void ghash_init(struct ghash *g, gf128_mul_fn mul)
{
    memset(g, 0, sizeof(*g));
    g->mul = mul ? mul : gf128_mul_select(false);
}

void ghash_eval(struct ghash *g, uint64_t now)
{
    (void)now;
    if (!g->in_valid_i) {
        if (g->clear_i)
            memset(g->y_d, 0, 16);
        else
            memcpy(g->y_d, g->y_q, 16);
        return;
    }
    uint8_t x[16];
    for (unsigned i = 0; i < 16; i++)
        x[i] = (g->clear_i ? 0 : g->y_q[i]) ^ g->in_data_i[i];
    g->mul(g->y_d, x, g->h_i);
}

void ghash_commit(struct ghash *g)
{
    memcpy(g->y_q, g->y_d, 16);
}

uint64_t ghash_next_event(const struct ghash *g, uint64_t now)
{
    /* Y changes only when the parent offers a block or a clear. */
    return (g->in_valid_i || g->clear_i) ? now : SIM_NEVER;
}

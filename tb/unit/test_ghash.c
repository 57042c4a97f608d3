/* test_ghash.c - GF(2^128) multiply (PCLMULQDQ and portable) and the ghash block.
 * Known answers: McGrew & Viega, "The Galois/Counter Mode of Operation (GCM)", revised 2005
 * (the test cases NIST SP 800-38D refers to), Appendix B: Test Case 2 (H, X_1, GHASH) and Test
 * Cases 4, 10 and 16 (AAD of 20 bytes, 60-byte plaintext), composed here from aes_core and the
 * ghash block, because their AAD is longer than the engine's one-block AAD port. */
#include <criterion/criterion.h>

#include <string.h>

#include "aes_core.h"
#include "ghash.h"
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

static gf128_mul_fn both_mul(unsigned i)
{
    return gf128_mul_select(i == 0);
}

Test(ghash, mcgrew_viega_tc2_multiply)
{
    /* Test Case 2: H = E_0(0^128), C = 0388dace..., X_1 = C * H, GHASH(H, {}, C). */
    uint8_t h[16], c[16], x1[16], gh[16], z[16], zero[16] = {0}, key[16] = {0}, hh[16];
    struct aes_ks ks;
    hex(h, "66e94bd4ef8a2c3b884cfa59ca342b2e");
    hex(c, "0388dace60b6a392f328c2b971b2fe78");
    hex(x1, "5e2ec746917062882c85b0685353deb7");
    hex(gh, "f38cbb1ad69223dcc3457ae5b6b0f885");
    cr_assert_eq(aes_expand_key(&ks, key, 16), 0);
    aes_encrypt_block(aes_ops_select(true), &ks, zero, hh);
    cr_assert(memcmp(hh, h, 16) == 0);
    for (unsigned o = 0; o < 2; o++) {
        gf128_mul_fn mul = both_mul(o);
        mul(z, c, h);
        cr_assert(memcmp(z, x1, 16) == 0, "path %u", o);
        /* second block: the length block, len(A) = 0, len(C) = 128 bits */
        uint8_t lenblk[16] = {0};
        lenblk[15] = 0x80;
        for (unsigned i = 0; i < 16; i++)
            z[i] ^= lenblk[i];
        mul(z, z, h); /* aliasing allowed */
        cr_assert(memcmp(z, gh, 16) == 0, "path %u", o);
    }
}

Test(ghash, field_identities)
{
    /* 1 in GCM bit order is 0x80 00 .. 00; x * 1 = x, x * 0 = 0, commutative, distributive. */
    uint64_t seed = 0x5eed0101;
    uint8_t one[16] = {0x80}, zero[16] = {0};
    for (unsigned t = 0; t < 2000; t++) {
        uint8_t a[16], b[16], c[16], z1[16], z2[16], z3[16], bc[16];
        rng_fill(&seed, a, 16);
        rng_fill(&seed, b, 16);
        rng_fill(&seed, c, 16);
        for (unsigned o = 0; o < 2; o++) {
            gf128_mul_fn mul = both_mul(o);
            mul(z1, a, one);
            cr_assert(memcmp(z1, a, 16) == 0);
            mul(z1, a, zero);
            cr_assert(memcmp(z1, zero, 16) == 0);
            mul(z1, a, b);
            mul(z2, b, a);
            cr_assert(memcmp(z1, z2, 16) == 0);
            for (unsigned i = 0; i < 16; i++)
                bc[i] = b[i] ^ c[i];
            mul(z3, a, bc);
            mul(z2, a, c);
            for (unsigned i = 0; i < 16; i++)
                z1[i] ^= z2[i];
            cr_assert(memcmp(z1, z3, 16) == 0, "a(b+c) = ab + ac, trial %u", t);
        }
    }
}

Test(ghash, clmul_and_portable_agree)
{
    if (!gf128_clmul_available())
        cr_skip_test("no PCLMULQDQ on this CPU");
    cr_assert(gf128_mul_select(false) == gf128_mul_clmul);
    cr_assert(gf128_mul_select(true) == gf128_mul_portable);
    /* every pair of single-bit operands (all reduction paths) ... */
    for (unsigned i = 0; i < 128; i++) {
        for (unsigned j = 0; j < 128; j++) {
            uint8_t a[16] = {0}, b[16] = {0}, z1[16], z2[16];
            a[i / 8] = (uint8_t)(0x80 >> (i % 8));
            b[j / 8] = (uint8_t)(0x80 >> (j % 8));
            gf128_mul_portable(z1, a, b);
            gf128_mul_clmul(z2, a, b);
            cr_assert(memcmp(z1, z2, 16) == 0, "bits %u, %u", i, j);
        }
    }
    /* ... and random operands */
    uint64_t seed = 0x5eed0102;
    for (unsigned t = 0; t < 50000; t++) {
        uint8_t a[16], b[16], z1[16], z2[16];
        rng_fill(&seed, a, 16);
        rng_fill(&seed, b, 16);
        gf128_mul_portable(z1, a, b);
        gf128_mul_clmul(z2, a, b);
        cr_assert(memcmp(z1, z2, 16) == 0, "trial %u", t);
    }
}

Test(ghash, block_timing)
{
    /* Y changes only at the clock edge after a valid block; it holds otherwise; clear_i starts
     * over (with or without a block in the same cycle). */
    uint8_t h[16], x[16], y1[16], y2[16], zero[16] = {0};
    uint64_t seed = 0x5eed0103;
    rng_fill(&seed, h, 16);
    rng_fill(&seed, x, 16);
    struct ghash g;
    ghash_init(&g, NULL);
    g.h_i = h;
    cr_assert_eq(ghash_next_event(&g, 5), SIM_NEVER);
    g.in_valid_i = true;
    memcpy(g.in_data_i, x, 16);
    cr_assert_eq(ghash_next_event(&g, 5), 5);
    ghash_eval(&g, 0);
    cr_assert(memcmp(g.y_q, zero, 16) == 0); /* not before the edge */
    ghash_commit(&g);
    gf128_mul_portable(y1, x, h);
    cr_assert(memcmp(g.y_q, y1, 16) == 0);
    g.in_valid_i = false;
    ghash_eval(&g, 1);
    ghash_commit(&g);
    cr_assert(memcmp(g.y_q, y1, 16) == 0); /* hold */
    g.in_valid_i = true;
    ghash_eval(&g, 2);
    ghash_commit(&g);
    for (unsigned i = 0; i < 16; i++)
        y2[i] = y1[i] ^ x[i];
    gf128_mul_portable(y2, y2, h);
    cr_assert(memcmp(g.y_q, y2, 16) == 0);
    g.clear_i = true;
    ghash_eval(&g, 3);
    ghash_commit(&g);
    cr_assert(memcmp(g.y_q, y1, 16) == 0); /* clear with a block: (0 ^ x) * H */
    g.in_valid_i = false;
    ghash_eval(&g, 4);
    ghash_commit(&g);
    cr_assert(memcmp(g.y_q, zero, 16) == 0);
}

/* GCM (96-bit IV) composed from the primitives, one GHASH block per cycle through the block. */
static void compose_gcm(gf128_mul_fn mul, const struct aes_ops *ops, const uint8_t *key,
                        size_t klen, const uint8_t iv[12], const uint8_t *aad, size_t alen,
                        const uint8_t *pt, size_t len, uint8_t *ct, uint8_t tag[16])
{
    struct aes_ks ks;
    uint8_t h[16], zero[16] = {0}, j0[16], ctr[16], ksb[16], blk[16];
    cr_assert_eq(aes_expand_key(&ks, key, klen), 0);
    aes_encrypt_block(ops, &ks, zero, h);
    struct ghash g;
    ghash_init(&g, mul);
    g.h_i = h;
    memcpy(j0, iv, 12);
    j0[12] = j0[13] = j0[14] = 0;
    j0[15] = 1;
    memcpy(ctr, j0, 16);
    uint64_t t = 0;
    g.clear_i = true;
    for (size_t off = 0; off < alen; off += 16) {
        memset(blk, 0, 16);
        memcpy(blk, aad + off, alen - off < 16 ? alen - off : 16);
        g.in_valid_i = true;
        memcpy(g.in_data_i, blk, 16);
        ghash_eval(&g, t++);
        ghash_commit(&g);
        g.clear_i = false;
    }
    for (size_t off = 0; off < len; off += 16) {
        size_t n = len - off < 16 ? len - off : 16;
        ctr[15]++; /* small test lengths: no carry out of the low byte */
        aes_encrypt_block(ops, &ks, ctr, ksb);
        memset(blk, 0, 16);
        for (size_t i = 0; i < n; i++)
            blk[i] = ct[off + i] = pt[off + i] ^ ksb[i];
        g.in_valid_i = true;
        memcpy(g.in_data_i, blk, 16);
        ghash_eval(&g, t++);
        ghash_commit(&g);
        g.clear_i = false;
    }
    memset(blk, 0, 16);
    uint64_t abits = alen * 8, cbits = len * 8;
    for (unsigned i = 0; i < 8; i++) {
        blk[7 - i] = (uint8_t)(abits >> (8 * i));
        blk[15 - i] = (uint8_t)(cbits >> (8 * i));
    }
    g.in_valid_i = true;
    memcpy(g.in_data_i, blk, 16);
    ghash_eval(&g, t);
    ghash_commit(&g);
    aes_encrypt_block(ops, &ks, j0, tag);
    for (unsigned i = 0; i < 16; i++)
        tag[i] ^= g.y_q[i];
}

Test(ghash, mcgrew_viega_tc4_tc10_tc16_composed)
{
    static const char *pt_hex = "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
                                "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39";
    static const char *aad_hex = "feedfacedeadbeeffeedfacedeadbeefabaddad2";
    static const struct {
        const char *name, *key, *ct, *tag;
    } v[] = {
        {"TC4", "feffe9928665731c6d6a8f9467308308",
         "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
         "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091",
         "5bc94fbc3221a5db94fae95ae7121a47"},
        {"TC10", "feffe9928665731c6d6a8f9467308308feffe9928665731c",
         "3980ca0b3c00e841eb06fac4872a2757859e1ceaa6efd984628593b40ca1e19c"
         "7d773d00c144c525ac619d18c84a3f4718e2448b2fe324d9ccda2710",
         "2519498e80f1478f37ba55bd6d27618c"},
        {"TC16", "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308",
         "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
         "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
         "76fc6ece0f4e1768cddf8853bb2d551b"},
    };
    uint8_t pt[64], aad[20], iv[12], key[32], ct[64], tag[16], ect[64], etag[16];
    size_t len = hex(pt, pt_hex), alen = hex(aad, aad_hex);
    hex(iv, "cafebabefacedbaddecaf888");
    cr_assert_eq(len, 60);
    for (unsigned k = 0; k < 3; k++) {
        size_t klen = hex(key, v[k].key);
        hex(ect, v[k].ct);
        hex(etag, v[k].tag);
        for (unsigned o = 0; o < 2; o++) {
            compose_gcm(both_mul(o), aes_ops_select(o == 0), key, klen, iv, aad, alen, pt, len,
                        ct, tag);
            cr_assert(memcmp(ct, ect, len) == 0, "%s ciphertext, path %u", v[k].name, o);
            cr_assert(memcmp(tag, etag, 16) == 0, "%s tag, path %u", v[k].name, o);
        }
    }
}

// blk_gcm_engine.cpp - lock-step of rtl/gcm_engine.v against struct gcm_engine
// (hwmodel/gcm_engine.h), and (--serve) a line-oriented server that runs single GCM jobs
// through the Verilated engine for `nicsim vectors --engine rtl` (tb/vectors/engine_rtl.c).
//
// Lock-step stimulus: one C key_ram (8 slots) feeds both sides: the C engine reads it through
// kr_i, the RTL's read port (kr_slot_o -> kr_*_i) is driven from key_ram_slot_dp() of the slot
// the RTL addresses (test code may call it). Slots are rewritten with random AES-128/192/256
// keys and freed at random cycles, also while a job runs (the engine latched its key at start).
// Jobs: AAD 0..16 bytes, payload 0..600 bytes, ICV length mostly 8/12/16 but any 1..16, encrypt
// and decrypt; decrypt jobs carry an OpenSSL ciphertext and tag, the tag corrupted in about a
// third of them. Some starts are invalid on purpose (slot free or out of range, aad_len > 16,
// icv_len 0 or > 16: err_o). Beats are withheld at random while in_ready_o is high (stalls);
// start_i and junk job fields are also driven while busy (must be ignored).
// Compared every cycle: in_ready_o, out_valid_o, done_o, err_o, busy_o, kr_slot_o; out_data_o and
// out_nbytes_o while out_valid_o; tag_o and icv_ok_o while done_o (the C contract). The harness
// also checks the C engine's icv_ok against the stimulus (good tag -> 1, corrupted -> 0), so a
// stimulus that never exercises the compare cannot pass silently.
#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

// AES_set_encrypt_key / AES_encrypt are deprecated in OpenSSL 3 but are the independent
// reference the serve mode wants (a key schedule that is not the C model's).
#define OPENSSL_API_COMPAT 0x10100000L
#include <openssl/aes.h>
#include <openssl/evp.h>

#include "Vgcm_engine.h"
#include "cosim.h"

extern "C" {
#include "gcm_engine.h"
#include "key_ram.h"
}

static const char help[] =
    "Lock-step of rtl/gcm_engine.v and the C gcm_engine: random keys (128/192/256), AAD 0..16,\n"
    "lengths 0..600, ICV 1..16, encrypt/decrypt with good and corrupted ICVs, input gaps,\n"
    "invalid starts.\n"
    "--cycles N   cycles to compare (default 20000)\n"
    "--packets N  stop after N jobs have finished (default: no limit)\n"
    "--serve      instead: read GCM jobs from stdin, one per line, answer on stdout\n"
    "             (format in tb/cosim/README.md)";

enum { NSLOTS = 8, MAXLEN = 600 };

static void wide_in(uint32_t *dst, const uint8_t b[16])
{
    cosim_to_wide(b, dst);
}

static void wide_out(const uint32_t *src, uint8_t b[16])
{
    cosim_from_wide(src, b);
}

static uint64_t be64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v << 8 | p[i];
    return v;
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

// The RTL's key RAM read data for one slot (NULL: kr_valid_i = 0 with junk data, which the
// engine must ignore).
static void drive_kr(Vgcm_engine *top, const key_ram_slot *s, uint32_t junk)
{
    uint32_t w[(AES_MAX_NR + 1) * 4];
    if (s) {
        cosim_to_wide_n(&s->ks.rk[0][0], w, AES_MAX_NR + 1);
        top->kr_valid_i = 1;
        top->kr_nr_i = s->ks.nr;
        wide_in(top->kr_h_i.data(), s->h);
        top->kr_salt_i = be32(s->salt);
    } else {
        for (unsigned i = 0; i < (AES_MAX_NR + 1) * 4; i++)
            w[i] = junk * (i + 1);
        top->kr_valid_i = 0;
        top->kr_nr_i = 10 + 2 * (junk % 3);
        for (int i = 0; i < 4; i++)
            top->kr_h_i[i] = junk ^ (uint32_t)i;
        top->kr_salt_i = junk;
    }
    for (unsigned i = 0; i < (AES_MAX_NR + 1) * 4; i++)
        top->kr_ks_i[i] = w[i];
}

// Job fields into both sides.
static void drive_job(gcm_engine *e, Vgcm_engine *top)
{
    top->start_i = e->start_i;
    top->key_slot_i = e->key_slot_i;
    top->iv_i = be64(e->iv_i);
    wide_in(top->aad_i.data(), e->aad_i);
    top->aad_len_i = e->aad_len_i & 31;
    top->len_i = e->len_i;
    top->decrypt_i = e->decrypt_i;
    top->icv_len_i = e->icv_len_i & 31;
    wide_in(top->icv_i.data(), e->icv_i);
}

static void drive_beat(gcm_engine *e, Vgcm_engine *top)
{
    top->in_valid_i = e->in_valid_i;
    wide_in(top->in_data_i.data(), e->in_data_i);
    top->in_nbytes_i = e->in_nbytes_i & 31;
}

// One cycle of both: settle the key RAM read port for the slot the RTL addresses, eval/commit
// the C engine, clock the RTL.
static void step(cosim *cs, gcm_engine *e, Vgcm_engine *top, const key_ram *kr, uint32_t junk)
{
    top->eval();
    drive_kr(top, key_ram_slot_dp(kr, top->kr_slot_o), junk);
    gcm_engine_eval(e, cs->cycle);
    gcm_engine_commit(e);
    cosim_tick(cs, top);
}

static void compare(cosim *cs, const gcm_engine *e, Vgcm_engine *top)
{
    cosim_check(cs, "in_ready_o", e->in_ready_o, top->in_ready_o);
    cosim_check(cs, "out_valid_o", e->out_valid_o, top->out_valid_o);
    cosim_check(cs, "done_o", e->done_o, top->done_o);
    cosim_check(cs, "err_o", e->err_o, top->err_o);
    cosim_check(cs, "busy_o", e->busy_o, top->busy_o);
    cosim_check(cs, "kr_slot_o", e->key_slot_i, top->kr_slot_o);
    uint8_t b[16];
    if (e->out_valid_o) {
        wide_out(top->out_data_o.data(), b);
        cosim_check_bytes(cs, "out_data_o", e->out_data_o, b, 16);
        cosim_check(cs, "out_nbytes_o", e->out_nbytes_o, top->out_nbytes_o);
    }
    if (e->done_o) {
        wide_out(top->tag_o.data(), b);
        cosim_check_bytes(cs, "tag_o", e->tag_o, b, 16);
        cosim_check(cs, "icv_ok_o", e->icv_ok_o, top->icv_ok_o);
    }
}

// AES-GCM with a 12-byte IV through OpenSSL EVP (the reference for decrypt stimulus).
static bool ossl_gcm_seal(const uint8_t *key, size_t key_len, const uint8_t iv[12],
                          const uint8_t *aad, size_t aad_len, const uint8_t *pt, size_t len,
                          uint8_t *ct, uint8_t tag[16])
{
    const EVP_CIPHER *c = key_len == 16 ? EVP_aes_128_gcm()
                          : key_len == 24 ? EVP_aes_192_gcm() : EVP_aes_256_gcm();
    EVP_CIPHER_CTX *x = EVP_CIPHER_CTX_new();
    int n = 0;
    bool ok = x && EVP_EncryptInit_ex(x, c, NULL, key, iv) == 1 &&
              (aad_len == 0 || EVP_EncryptUpdate(x, NULL, &n, aad, (int)aad_len) == 1) &&
              (len == 0 || EVP_EncryptUpdate(x, ct, &n, pt, (int)len) == 1) &&
              EVP_EncryptFinal_ex(x, ct + (len ? n : 0), &n) == 1 &&
              EVP_CIPHER_CTX_ctrl(x, EVP_CTRL_GCM_GET_TAG, 16, tag) == 1;
    EVP_CIPHER_CTX_free(x);
    return ok;
}

// ---------------------------------------------------------------------------------------------
// Lock-step
// ---------------------------------------------------------------------------------------------
struct job {
    bool active;          // started and not yet done
    bool expect_ok;       // decrypt: the ICV given is the right one
    bool check_ok;        // expect_ok is meaningful (a valid decrypt start)
    uint32_t len, given;  // payload bytes, bytes offered and taken so far
    std::vector<uint8_t> data;
};

static int body(cosim *cs)
{
    const uint64_t cycles = cs->cycles ? cs->cycles : 20000;
    Vgcm_engine *top = new Vgcm_engine{cs->ctx};
    cosim_attach(cs, top);
    key_ram *kr = key_ram_create(NSLOTS);
    gcm_engine *e = new gcm_engine;
    if (!kr) {
        fprintf(stderr, "cosim gcm_engine: key_ram_create failed\n");
        return 2;
    }
    gcm_engine_init(e, false);
    e->kr_i = kr;
    uint8_t keys[NSLOTS][36];   // key || salt of each slot, for the OpenSSL reference
    size_t key_len[NSLOTS] = {0};

    drive_job(e, top);
    drive_beat(e, top);
    cosim_reset(cs, top);
    job j{};
    uint64_t jobs = 0, errs = 0, bad_icv = 0, beats = 0;
    while (cs->cycle < cycles && !cosim_failed(cs) && (!cs->packets || jobs < cs->packets)) {
        // key RAM traffic, at any time (a running job holds its own copy of the key)
        if (cosim_below(cs, 40) == 0) {
            uint32_t s = cosim_below(cs, NSLOTS);
            if (cosim_below(cs, 5) == 0) {
                key_ram_free(kr, s);
                key_len[s] = 0;
            } else {
                size_t kl = 16 + 8 * cosim_below(cs, 3);
                cosim_bytes(cs, keys[s], kl + 4);
                key_ram_write(kr, s, keys[s], kl + 4);
                key_len[s] = kl;
            }
        }
        // job fields: a new job when idle, junk (and stray starts) otherwise
        bool idle = !e->busy_o;
        e->start_i = cosim_below(cs, idle ? 3 : 16) == 0;
        e->key_slot_i = cosim_below(cs, 16) == 0 ? cosim_below(cs, 3 * NSLOTS)
                                                 : cosim_below(cs, NSLOTS);
        cosim_bytes(cs, e->iv_i, 8);
        cosim_bytes(cs, e->aad_i, 16);
        e->aad_len_i = (uint8_t)(cosim_below(cs, 25) == 0 ? 17 + cosim_below(cs, 15)
                                                          : cosim_below(cs, 17));
        static const uint8_t icvs[3] = {8, 12, 16};
        e->icv_len_i = (uint8_t)(cosim_below(cs, 3) ? icvs[cosim_below(cs, 3)]
                                 : cosim_below(cs, 12) == 0 ? (cosim_below(cs, 2) ? 0 : 17 + cosim_below(cs, 15))
                                                            : 1 + cosim_below(cs, 16));
        uint32_t len = cosim_below(cs, 4) == 0 ? 16 * cosim_below(cs, MAXLEN / 16 + 1)
                                               : cosim_below(cs, MAXLEN + 1);
        e->len_i = len;
        e->decrypt_i = cosim_below(cs, 2);
        cosim_bytes(cs, e->icv_i, 16);
        if (idle && e->start_i) {
            j = job{};
            j.active = true;
            j.len = len;
            j.data.resize(len + 16);
            cosim_bytes(cs, j.data.data(), len + 16);
            uint32_t s = e->key_slot_i;
            bool valid = s < NSLOTS && key_ram_valid(kr, s);
            if (e->decrypt_i && valid) {
                // a real ciphertext and tag, so icv_ok can come out 1
                uint8_t iv[12], tag[16];
                memcpy(iv, keys[s] + key_len[s], 4);
                memcpy(iv + 4, e->iv_i, 8);
                std::vector<uint8_t> ct(len + 16);
                size_t al = e->aad_len_i <= 16 ? e->aad_len_i : 0;
                if (!ossl_gcm_seal(keys[s], key_len[s], iv, e->aad_i, al, j.data.data(), len,
                                   ct.data(), tag)) {
                    fprintf(stderr, "cosim gcm_engine: OpenSSL GCM failed\n");
                    return 2;
                }
                memcpy(j.data.data(), ct.data(), len);
                uint8_t il = e->icv_len_i;
                if (il >= 1 && il <= 16) {
                    memcpy(e->icv_i, tag, il); // bytes past icv_len stay random: not compared
                    j.expect_ok = cosim_below(cs, 3) != 0;
                    if (!j.expect_ok)
                        e->icv_i[cosim_below(cs, il)] ^= (uint8_t)(1u << cosim_below(cs, 8));
                    j.check_ok = e->aad_len_i <= 16;
                }
            }
        }
        drive_job(e, top);
        // data beat: withheld now and then while the engine waits for it
        bool ready = e->in_ready_o;
        e->in_valid_i = ready ? cosim_below(cs, 6) != 0 : cosim_below(cs, 2) != 0;
        if (ready && j.active) {
            uint32_t left = j.len - j.given;
            uint32_t nb = left < 16 ? left : 16;
            memset(e->in_data_i, 0, 16);
            memcpy(e->in_data_i, j.data.data() + j.given, nb);
            e->in_nbytes_i = (uint8_t)nb;
        } else {
            cosim_bytes(cs, e->in_data_i, 16);
            e->in_nbytes_i = (uint8_t)cosim_below(cs, 17);
        }
        drive_beat(e, top);
        bool fire = ready && e->in_valid_i;
        step(cs, e, top, kr, (uint32_t)cosim_rand(cs));
        if (fire) {
            uint32_t left = j.len - j.given;
            j.given += left < 16 ? left : 16;
            beats++;
        }
        compare(cs, e, top);
        if (e->done_o) {
            jobs++;
            errs += e->err_o;
            if (j.check_ok && !e->err_o) {
                bad_icv += !j.expect_ok;
                cosim_check(cs, "icv_ok_o(stimulus)", j.expect_ok, e->icv_ok_o);
            }
            j.active = false;
        }
    }
    if (!cs->quiet && !cosim_failed(cs))
        printf("cosim gcm_engine: %" PRIu64 " jobs (%" PRIu64 " refused, %" PRIu64
               " with a corrupted ICV), %" PRIu64 " beats\n",
               jobs, errs, bad_icv, beats);
    cosim_done(cs, top);
    delete top;
    delete e;
    key_ram_destroy(kr);
    return 0;
}

// ---------------------------------------------------------------------------------------------
// --serve: one GCM job per line through the Verilated engine (tb/cosim/README.md)
// ---------------------------------------------------------------------------------------------
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

static int hexval(int c)
{
    return c >= '0' && c <= '9' ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

static bool unhex(const std::string &s, std::vector<uint8_t> &out)
{
    out.clear();
    if (s.size() % 2)
        return false;
    for (size_t i = 0; i < s.size(); i += 2) {
        int a = hexval(s[i]), b = hexval(s[i + 1]);
        if (a < 0 || b < 0)
            return false;
        out.push_back((uint8_t)(a << 4 | b));
    }
    return true;
}

static std::string tohex(const uint8_t *p, size_t n)
{
    static const char d[] = "0123456789abcdef";
    std::string s;
    for (size_t i = 0; i < n; i++) {
        s += d[p[i] >> 4];
        s += d[p[i] & 15];
    }
    return s;
}

// Run one job through the RTL alone. The key schedule and H come from OpenSSL (AES_set_encrypt_key
// and AES_encrypt of the zero block), not from the C model, so published vectors check the RTL
// against an independent key schedule. Returns "" or an error reason.
static std::string serve_job(VerilatedContext *ctx, bool decrypt, const std::vector<uint8_t> &key,
                             const std::vector<uint8_t> &salt, const std::vector<uint8_t> &iv,
                             const std::vector<uint8_t> &aad, const std::vector<uint8_t> &data,
                             unsigned icv_len, const std::vector<uint8_t> &icv,
                             std::vector<uint8_t> &out, uint8_t tag[16], bool *icv_ok)
{
    if (key.size() != 16 && key.size() != 24 && key.size() != 32)
        return "key length";
    if (salt.size() != 4 || iv.size() != 8)
        return "salt/iv length";
    if (aad.size() > 16 || icv_len < 1 || icv_len > 16 || (decrypt && icv.size() != icv_len))
        return "aad/icv length";
    if (data.size() > UINT32_MAX)
        return "data length";
    AES_KEY ak;
    if (AES_set_encrypt_key(key.data(), (int)key.size() * 8, &ak) != 0)
        return "AES_set_encrypt_key";
    uint8_t rk[(AES_MAX_NR + 1) * 16] = {0};
    ossl_round_keys(&ak, key.data(), rk);
    uint8_t zero[16] = {0}, h[16];
    AES_encrypt(zero, h, &ak);

    Vgcm_engine *top = new Vgcm_engine{ctx};
    uint32_t w[(AES_MAX_NR + 1) * 4];
    cosim_to_wide_n(rk, w, AES_MAX_NR + 1);
    for (unsigned i = 0; i < (AES_MAX_NR + 1) * 4; i++)
        top->kr_ks_i[i] = w[i];
    top->kr_valid_i = 1;
    top->kr_nr_i = (uint8_t)ak.rounds;
    wide_in(top->kr_h_i.data(), h);
    top->kr_salt_i = be32(salt.data());
    top->key_slot_i = 0;
    top->start_i = 0;
    top->in_valid_i = 0;
    top->rst_ni = 0;
    top->clk_i = 0;
    top->eval();
    top->rst_ni = 1;
    top->eval();
    auto tick = [top]() {
        top->eval();
        top->clk_i = 1;
        top->eval();
        top->clk_i = 0;
        top->eval();
    };
    uint8_t b[16] = {0};
    top->start_i = 1;
    top->iv_i = be64(iv.data());
    memset(b, 0, 16);
    memcpy(b, aad.data(), aad.size());
    wide_in(top->aad_i.data(), b);
    top->aad_len_i = (uint8_t)aad.size();
    top->len_i = (uint32_t)data.size();
    top->decrypt_i = decrypt;
    top->icv_len_i = (uint8_t)icv_len;
    memset(b, 0, 16);
    if (decrypt)
        memcpy(b, icv.data(), icv_len);
    wide_in(top->icv_i.data(), b);
    tick();
    top->start_i = 0;
    size_t given = 0, got = 0;
    out.assign(data.size(), 0);
    const uint64_t nr = (uint64_t)ak.rounds;
    const uint64_t latency = data.size() / 16 + (data.size() % 16 != 0) + nr + 3;
    std::string err;
    for (uint64_t c = 1;; c++) {
        if (top->out_valid_o) {
            size_t nb = top->out_nbytes_o;
            wide_out(top->out_data_o.data(), b);
            if (got + nb > out.size())
                err = "engine: more output than input";
            else
                memcpy(out.data() + got, b, nb);
            got += nb;
        }
        if (top->done_o) {
            if (top->err_o)
                err = "engine refused the start";
            else if (c != latency)
                err = "engine: done after " + std::to_string(c) + " cycles, expected " +
                      std::to_string(latency);
            else if (got != data.size())
                err = "engine: output length";
            wide_out(top->tag_o.data(), tag);
            *icv_ok = top->icv_ok_o;
            break;
        }
        if (c > latency + 4) {
            err = "engine: no done_o";
            break;
        }
        top->in_valid_i = top->in_ready_o;
        memset(b, 0, 16);
        size_t nb = data.size() - given < 16 ? data.size() - given : 16;
        if (top->in_ready_o) {
            memcpy(b, data.data() + given, nb);
            given += nb;
        }
        wide_in(top->in_data_i.data(), b);
        top->in_nbytes_i = (uint8_t)nb;
        tick();
    }
    top->final();
    delete top;
    OPENSSL_cleanse(&ak, sizeof ak);
    OPENSSL_cleanse(rk, sizeof rk);
    return err;
}

static int serve(void)
{
    VerilatedContext ctx;
    ctx.randReset(0); // reset drives every register; no random state needed here
    char *line = nullptr;
    size_t cap = 0;
    ssize_t n;
    setvbuf(stdout, nullptr, _IOLBF, 0);
    while ((n = getline(&line, &cap, stdin)) >= 0) {
        std::string l(line, (size_t)n);
        while (!l.empty() && (l.back() == '\n' || l.back() == '\r'))
            l.pop_back();
        if (l.empty())
            continue;
        if (l == "quit")
            break;
        // gcm enc|dec key=.. salt=.. iv=.. aad=.. data=.. icvlen=N [icv=..]
        std::vector<std::string> tok;
        size_t p = 0;
        while (p < l.size()) {
            size_t q = l.find(' ', p);
            if (q == std::string::npos)
                q = l.size();
            if (q > p)
                tok.push_back(l.substr(p, q - p));
            p = q + 1;
        }
        std::vector<uint8_t> key, salt, iv, aad, data, icv;
        long icv_len = -1;
        bool ok = tok.size() >= 2 && tok[0] == "gcm" && (tok[1] == "enc" || tok[1] == "dec");
        bool have_key = false, have_salt = false, have_iv = false, have_data = false;
        for (size_t i = 2; ok && i < tok.size(); i++) {
            size_t eq = tok[i].find('=');
            if (eq == std::string::npos) {
                ok = false;
                break;
            }
            std::string k = tok[i].substr(0, eq), v = tok[i].substr(eq + 1);
            if (k == "key")
                ok = unhex(v, key), have_key = true;
            else if (k == "salt")
                ok = unhex(v, salt), have_salt = true;
            else if (k == "iv")
                ok = unhex(v, iv), have_iv = true;
            else if (k == "aad")
                ok = unhex(v, aad);
            else if (k == "data")
                ok = unhex(v, data), have_data = true;
            else if (k == "icv")
                ok = unhex(v, icv);
            else if (k == "icvlen") {
                char *end;
                errno = 0;
                icv_len = strtol(v.c_str(), &end, 10);
                ok = !errno && end != v.c_str() && !*end;
            } else
                ok = false;
        }
        if (!ok || !have_key || !have_salt || !have_iv || !have_data || icv_len < 0) {
            printf("err parse\n");
            continue;
        }
        bool dec = tok[1] == "dec";
        std::vector<uint8_t> out;
        uint8_t tag[16];
        bool icv_ok = false;
        std::string e = serve_job(&ctx, dec, key, salt, iv, aad, data, (unsigned)icv_len, icv,
                                  out, tag, &icv_ok);
        if (!e.empty())
            printf("err %s\n", e.c_str());
        else
            printf("ok data=%s tag=%s icv_ok=%d\n", tohex(out.data(), out.size()).c_str(),
                   tohex(tag, (size_t)icv_len).c_str(), icv_ok ? 1 : 0);
        OPENSSL_cleanse(key.data(), key.size());
    }
    free(line);
    return 0;
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--serve"))
            return serve();
    return cosim_main(argc, argv, "gcm_engine", help, body);
}

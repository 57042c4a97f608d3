/* gcm_unit.c - packet-level GCM unit: job stream in, completed job stream out, BIT or FAST data
 * mode with identical timing (see gcm_unit.h). */
#include "gcm_unit.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

void gcm_unit_cfg_default(struct gcm_unit_cfg *cfg)
{
    cfg->mode = GCM_DATA_FAST;
    cfg->force_portable = false;
    cfg->max_len = GCM_UNIT_MAX_LEN_DEFAULT;
    cfg->any_aad = false;
}

static gcm_engine_factory_fn engine_factory;
static void *engine_factory_ctx;

void gcm_unit_set_engine_factory(gcm_engine_factory_fn fn, void *fctx)
{
    engine_factory = fn;
    engine_factory_ctx = fctx;
}

struct gcm_unit *gcm_unit_create(const struct gcm_unit_cfg *cfg)
{
    struct gcm_unit_cfg c;
    if (cfg)
        c = *cfg;
    else
        gcm_unit_cfg_default(&c);
    if (c.max_len == 0 || (c.mode != GCM_DATA_FAST && c.mode != GCM_DATA_BIT))
        return NULL;
    struct gcm_unit *u = calloc(1, sizeof(*u));
    if (!u)
        return NULL;
    u->cfg = c;
    u->hold = calloc(1, c.max_len);
    if (c.mode == GCM_DATA_FAST)
        u->evp = EVP_CIPHER_CTX_new();
    if (!u->hold || (c.mode == GCM_DATA_FAST && !u->evp)) {
        gcm_unit_destroy(u);
        return NULL;
    }
    gcm_engine_init(&u->eng, c.force_portable);
    u->in.ready_q = u->in.ready_d = true; /* reset value: an empty unit takes a job */
    if (engine_factory && c.mode == GCM_DATA_BIT &&
        engine_factory(engine_factory_ctx, u, &u->be)) {
        u->be = (struct gcm_engine_backend){0};
        gcm_unit_destroy(u);
        return NULL;
    }
    return u;
}

void gcm_unit_destroy(struct gcm_unit *u)
{
    if (!u)
        return;
    if (u->be.release)
        u->be.release(u->be.ctx);
    EVP_CIPHER_CTX_free(u->evp); /* cleanses the key schedule inside */
    if (u->hold)
        explicit_bzero(u->hold, u->cfg.max_len);
    free(u->hold);
    explicit_bzero(&u->eng, sizeof(u->eng)); /* the engine's key register */
    free(u);
}

/* Both modes refuse the same jobs in the same cycle, before either datapath sees them. */
static int job_check(const struct gcm_unit *u, const struct gcm_job *j,
                     const struct key_ram_slot **slot)
{
    *slot = key_ram_slot_dp(j->kr, j->slot);
    if (!*slot)
        return -ENOKEY;
    const bool aad_ok = u->cfg.any_aad ? j->aad_len <= sizeof(j->aad)
                                       : (j->aad_len == 8 || j->aad_len == 12);
    if (!aad_ok ||
        (j->icv_len != 8 && j->icv_len != 12 && j->icv_len != 16) || j->len > u->cfg.max_len ||
        (j->len && !j->data) || !j->icv)
        return -EINVAL;
    return 0;
}

/* ICV copies: icv_len is 8, 12 or 16 (job_check), and a constant-size memcpy is a move or
 * two, where the variable-length one went through `rep movsq` (a visible start-up cost twice
 * per packet). */
static inline void icv_copy(uint8_t *dst, const uint8_t *src, uint8_t len)
{
    if (len == 16)
        memcpy(dst, src, 16);
    else if (len == 12)
        memcpy(dst, src, 12);
    else
        memcpy(dst, src, len);
}

/* ---- FAST mode: OpenSSL does the bytes at the start edge --------------------------------- */
static int fast_rekey(struct gcm_unit *u, const struct gcm_job *j, const struct key_ram_slot *s)
{
    if (u->evp_keyed && u->evp_kr == j->kr && u->evp_slot == j->slot && u->evp_gen == s->gen)
        return 0;
    const EVP_CIPHER *c = s->ks.nr == 10 ? EVP_aes_128_gcm()
                          : s->ks.nr == 12 ? EVP_aes_192_gcm()
                                           : EVP_aes_256_gcm();
    u->evp_keyed = false;
    /* The first Nk words of the round keys are the key (FIPS-197 5.2). */
    if (EVP_CipherInit_ex(u->evp, c, NULL, &s->ks.rk[0][0], NULL, 1) != 1)
        return -EIO;
    u->evp_kr = j->kr;
    u->evp_slot = j->slot;
    u->evp_gen = s->gen;
    u->evp_keyed = true;
    return 0;
}

/* Run at the clock edge of the take, before d is copied to q: results go to the unit's
 * registers (d.tag, d.icv_ok, d.err, so q has them after the edge), to the job buffer in place
 * (encrypt) or to the hold buffer (decrypt); nothing reaches the job's result fields before it
 * leaves. */
static void fast_run(struct gcm_unit *u, struct gcm_job *j)
{
    const struct key_ram_slot *s = u->d.slot;
    struct gcm_unit_regs *d = &u->d;
    EVP_CIPHER_CTX *x = u->evp;
    uint8_t nonce[12];
    int n = 0, ok = 1;
    memcpy(nonce, s->salt, 4);
    memcpy(nonce + 4, j->iv, 8);
    memset(d->tag, 0, sizeof(d->tag));
    d->icv_ok = false;
    if (fast_rekey(u, j, s) != 0) {
        d->err = -EIO;
        return;
    }
    uint8_t *dst = j->decrypt ? u->hold : j->data;
    ok &= EVP_CipherInit_ex(x, NULL, NULL, NULL, nonce, j->decrypt ? 0 : 1) == 1;
    ok &= EVP_CipherUpdate(x, NULL, &n, j->aad, j->aad_len) == 1;
    if (j->len)
        ok &= EVP_CipherUpdate(x, dst, &n, j->data, (int)j->len) == 1;
    if (!ok) {
        u->evp_keyed = false;
        d->err = -EIO;
        return;
    }
    if (!j->decrypt) {
        uint8_t tag[16], fin[16];
        ok &= EVP_CipherFinal_ex(x, fin, &n) == 1; /* GCM: no bytes, the tag is computed */
        ok &= EVP_CIPHER_CTX_ctrl(x, EVP_CTRL_GCM_GET_TAG, 16, tag) == 1;
        if (!ok) {
            u->evp_keyed = false;
            d->err = -EIO;
            return;
        }
        icv_copy(d->tag, tag, j->icv_len);
        d->icv_ok = true;
    } else {
        if (EVP_CIPHER_CTX_ctrl(x, EVP_CTRL_GCM_SET_TAG, j->icv_len, j->icv) != 1) {
            u->evp_keyed = false;
            d->err = -EIO;
            return;
        }
        uint8_t fin[16];
        d->icv_ok = EVP_CipherFinal_ex(x, fin, &n) == 1; /* 0 = tag mismatch */
    }
}

/* Register copies member by member: gcc compiles the 56-byte struct assignment (and the
 * memset on a take) to `rep movsq` / `rep stosq`, whose start-up cost was a visible part of the
 * unit's commit (three per packet). Not in wide words either: commit copies d right after eval
 * wrote some of its members with narrow stores, and a load wider than such a store stalls on
 * store forwarding. gcc merges adjacent member copies into 16-byte moves (it did so for cur +
 * slot), hence the empty asm between them: it only keeps the accesses apart. */
#define REGS_APART() __asm__ volatile("" ::: "memory")
/* cur and fin: the registers every cycle of a job may change. */
static inline void regs_copy_ctrl(struct gcm_unit_regs *dst, const struct gcm_unit_regs *src)
{
    dst->cur = src->cur;
    REGS_APART();
    dst->fin = src->fin;
}

/* The job registers: loaded at a take, and in BIT mode as the engine runs; a FAST-mode job
 * changes none of them between its take and its leaving (a clock enable, as in RTL). */
static inline void regs_copy_job(struct gcm_unit_regs *dst, const struct gcm_unit_regs *src)
{
    dst->slot = src->slot;
    REGS_APART();
    dst->t_fin = src->t_fin;
    REGS_APART();
    dst->in_off = src->in_off;
    REGS_APART();
    dst->out_off = src->out_off;
    REGS_APART();
    dst->icv_ok = src->icv_ok;
    REGS_APART();
    dst->err = src->err;
    REGS_APART();
    memcpy(dst->tag, src->tag, sizeof(dst->tag));
}

static inline void regs_clear(struct gcm_unit_regs *r)
{
    r->cur = NULL;
    r->slot = NULL;
    r->t_fin = 0;
    r->in_off = r->out_off = 0;
    r->fin = r->icv_ok = false;
    r->err = 0;
    memset(r->tag, 0, sizeof(r->tag));
}

/* ---- BIT mode: drive the engine ---------------------------------------------------------- */
static void bit_start(struct gcm_unit *u, const struct gcm_job *j)
{
    struct gcm_engine *e = &u->eng;
    e->start_i = true;
    e->kr_i = j->kr;
    e->key_slot_i = j->slot;
    memcpy(e->iv_i, j->iv, 8);
    memset(e->aad_i, 0, sizeof(e->aad_i));
    memcpy(e->aad_i, j->aad, j->aad_len);
    e->aad_len_i = j->aad_len;
    e->len_i = j->len;
    e->decrypt_i = j->decrypt;
    e->icv_len_i = j->icv_len;
    memset(e->icv_i, 0, sizeof(e->icv_i));
    if (j->decrypt)
        memcpy(e->icv_i, j->icv, j->icv_len);
}

static void bit_step(struct gcm_unit *u)
{
    struct gcm_engine *e = &u->eng;
    const struct gcm_unit_regs *q = &u->q;
    struct gcm_unit_regs *d = &u->d;
    const struct gcm_job *j = q->cur;
    if (q->in_off < j->len) {
        const uint32_t left = j->len - q->in_off;
        const uint8_t nb = (uint8_t)(left < 16u ? left : 16u);
        e->in_valid_i = true;
        e->in_nbytes_i = nb;
        memset(e->in_data_i, 0, 16);
        memcpy(e->in_data_i, j->data + q->in_off, nb);
        if (e->in_ready_o)
            d->in_off = q->in_off + nb;
    }
    if (e->out_valid_o) {
        u->wr_e = true;
        u->wr_off = q->out_off;
        u->wr_n = e->out_nbytes_o;
        d->out_off = q->out_off + e->out_nbytes_o;
    }
    if (e->done_o) {
        d->fin = true;
        d->icv_ok = e->icv_ok_o && !e->err_o;
        d->err = e->err_o ? -ENOKEY : 0;
        memcpy(d->tag, e->tag_o, 16);
    }
}

/* The take (in.valid_q && in.ready_q): the job's registers load, and the job is refused now
 * or started. Out of line, as the other rare paths: the eval of the other cycles then needs
 * fewer registers saved. */
static __attribute__((noinline)) void take(struct gcm_unit *u, uint64_t now)
{
    struct gcm_unit_regs *d = &u->d;
    struct gcm_job *j = u->in.data_q;
    const struct key_ram_slot *slot;
    u->start_job = j;
    if (u->in_drop_on_take)
        u->in.valid_d = false; /* = the producer's stream_hold_producer after a fire */
    regs_clear(d);
    d->cur = j;
    d->err = job_check(u, j, &slot);
    d->slot = slot;
    if (d->err)
        d->fin = true; /* refused: leaves now, valid on out at now + 1 */
    else if (u->cfg.mode == GCM_DATA_BIT)
        bit_start(u, j);
    else
        d->t_fin = now + gcm_engine_latency(j->len, slot->ks.nr);
}

static __attribute__((noinline)) void bit_eval(struct gcm_unit *u, uint64_t now)
{
    if (u->q.cur && !u->q.fin && !u->start_job)
        bit_step(u);
    if (u->be.eval)
        u->be.eval(u->be.ctx, &u->eng, now);
    else
        gcm_engine_eval(&u->eng, now);
}

/* eval, commit and next_event are written once as always-inline bodies: the public entry points
 * and the scheduler's callbacks wrap them, and the whole step (gcm_unit_sim_step) gets all three
 * in one frame instead of three calls with their register saves. */
/* `bit` is u->cfg.mode == GCM_DATA_BIT, passed in so that the whole step, which tests the mode
 * once, gets a FAST-mode and a BIT-mode copy with the other mode's branches folded away. */
static inline __attribute__((always_inline)) void unit_eval(struct gcm_unit *u, uint64_t now,
                                                            const bool bit)
{
    const struct gcm_unit_regs *q = &u->q;
    struct gcm_unit_regs *d = &u->d;
    /* No d = q copy: d already equals q (commit copies every register eval or the edge wrote,
     * and nothing else writes q). start_job, leave_job and wr_e were cleared by the commit
     * that acted on them. The same holds for our side of the links, so of the streams' hold
     * values only the out beat's fire is left to write: out.valid_d and out.data_d equal q
     * (only we write them, and our commit copies them), and in.ready_d is written below in
     * every cycle. */
#ifdef GCM_UNIT_CHECK_DQ
    if (memcmp(d, q, sizeof(*q)) || u->start_job || u->leave_job || u->wr_e ||
        u->out.valid_d != u->out.valid_q || u->out.data_d != u->out.data_q)
        abort();
#endif
    if (stream_fire(&u->out))
        u->out.valid_d = false; /* = stream_hold_producer */
    u->now_e = now;
    if (bit) {
        u->eng.start_i = false;
        u->eng.in_valid_i = false;
    }

    if (stream_fire(&u->in)) /* ready_q is only high while the unit is empty */
        take(u, now);
    else if (!bit && q->cur && !q->fin && now >= q->t_fin)
        d->fin = true; /* the cycle the engine's done_o would be high */
    if (bit)
        bit_eval(u, now);

    if (d->cur && d->fin && !u->out.valid_d) {
        u->out.valid_d = true;
        u->out.data_d = d->cur;
        u->leave_job = d->cur;
        d->cur = NULL;
        d->fin = false;
    }
    u->in.ready_d = d->cur == NULL;
}

void gcm_unit_eval(struct gcm_unit *u, uint64_t now)
{
    unit_eval(u, now, u->cfg.mode == GCM_DATA_BIT);
}

static void leave(struct gcm_unit *u, struct gcm_job *j)
{
    const struct gcm_unit_regs *q = &u->q;
    j->err = q->err;
    j->icv_ok = !q->err && q->icv_ok;
    if (!q->err) {
        if (!j->decrypt) {
            icv_copy(j->icv, q->tag, j->icv_len);
        } else if (j->icv_ok) {
            memcpy(j->data, u->hold, j->len); /* release: the tag verified */
        } else {
            explicit_bzero(u->hold, j->len); /* unverified plaintext never leaves */
        }
    }
    j->t_done = u->now_e + 1; /* valid on the out stream from the next cycle */
}

/* BIT mode's edge: the engine's out beat, written like a RAM port, and the engine's clock. */
static __attribute__((noinline)) void bit_commit(struct gcm_unit *u)
{
    if (u->wr_e) {
        struct gcm_job *j = u->q.cur;
        uint8_t *dst = (j->decrypt ? u->hold : j->data) + u->wr_off;
        memcpy(dst, u->eng.out_data_o, u->wr_n);
        u->wr_e = false;
    }
    if (u->be.commit)
        u->be.commit(u->be.ctx, &u->eng);
    else
        gcm_engine_commit(&u->eng);
}

/* The take's edge: t_start, and in FAST mode the OpenSSL run into d. */
static __attribute__((noinline)) void start_edge(struct gcm_unit *u, struct gcm_job *j)
{
    j->t_start = u->now_e;
    if (u->cfg.mode == GCM_DATA_FAST && !u->d.err)
        fast_run(u, j);
}

static inline __attribute__((always_inline)) void unit_commit(struct gcm_unit *u, const bool bit)
{
    if (bit)
        bit_commit(u);
    struct gcm_job *start = u->start_job;
    if (start) {
        start_edge(u, start);
        u->start_job = NULL;
    }
    regs_copy_ctrl(&u->q, &u->d);
    if (start || bit)
        regs_copy_job(&u->q, &u->d);
    if (u->leave_job) {
        leave(u, u->leave_job);
        u->leave_job = NULL;
        if (u->in_free_vec)
            *u->in_free_vec |= u->vec_bit; /* in.ready rises, in.valid is low */
    }
    if (u->out.valid_d != u->out.valid_q && u->out_valid_vec)
        *u->out_valid_vec ^= u->vec_bit; /* the bit follows out.valid_q */
    stream_commit(&u->in);
    stream_commit(&u->out);
}

void gcm_unit_commit(struct gcm_unit *u)
{
    unit_commit(u, u->cfg.mode == GCM_DATA_BIT);
}

static inline __attribute__((always_inline)) uint64_t unit_next_event(const struct gcm_unit *u,
                                                                      uint64_t now,
                                                                      const bool bit)
{
    if (stream_fire(&u->in) || stream_fire(&u->out))
        return now;
    if (!u->q.cur)
        return (u->in.valid_q && !u->in.ready_q) ? now : SIM_NEVER;
    if (u->q.fin) /* waiting for the out stream: its fire wakes us */
        return u->out.valid_q ? SIM_NEVER : now;
    if (bit)
        return now;
    return u->q.t_fin > now ? u->q.t_fin : now;
}

uint64_t gcm_unit_next_event(const struct gcm_unit *u, uint64_t now)
{
    return unit_next_event(u, now, u->cfg.mode == GCM_DATA_BIT);
}

bool gcm_unit_idle(const struct gcm_unit *u)
{
    return !u->q.cur && !u->out.valid_q;
}

static void blk_eval(void *self, uint64_t now)
{
    gcm_unit_eval(self, now);
}

static void blk_commit(void *self)
{
    gcm_unit_commit(self);
}

static uint64_t blk_next_event(const void *self, uint64_t now)
{
    return gcm_unit_next_event(self, now);
}

static inline __attribute__((always_inline)) uint64_t unit_step(struct gcm_unit *u, uint64_t now,
                                                                const bool bit)
{
    unit_eval(u, now, bit);
    unit_commit(u, bit);
    return unit_next_event(u, now + 1, bit);
}

uint64_t gcm_unit_sim_step(void *self, uint64_t now, uint32_t adj, uint32_t *nbrs)
{
    struct gcm_unit *u = self;
    const uint64_t next =
        u->cfg.mode == GCM_DATA_BIT ? unit_step(u, now, true) : unit_step(u, now, false);
    *nbrs = adj;
    return next;
}

struct sim_block gcm_unit_sim_block(struct gcm_unit *u, const char *name)
{
    return (struct sim_block){name, u, blk_eval, blk_commit, blk_next_event};
}

/* gcm_engine.c - the beat-level AES-GCM engine (see gcm_engine.h for ports and timeline). */
#include "gcm_engine.h"

#include <string.h>

#include "sim.h"

void gcm_engine_init(struct gcm_engine *e, bool force_portable)
{
    memset(e, 0, sizeof(*e));
    aes_pipe_init(&e->pipe, aes_ops_select(force_portable));
    ghash_init(&e->gh, gf128_mul_select(force_portable));
    e->pipe.ks_i = &e->ks_q;
    e->gh.h_i = e->h_q;
}

static void put_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static void put_be64(uint8_t *p, uint64_t v)
{
    put_be32(p, (uint32_t)(v >> 32));
    put_be32(p + 4, (uint32_t)v);
}

/* IDLE: take a job. The key RAM is read here, once (synchronous read into the key register). */
static void eval_start(struct gcm_engine *e)
{
    struct gcm_engine_regs *d = &e->d;
    const struct key_ram_slot *slot = key_ram_slot_dp(e->kr_i, e->key_slot_i);
    memset(d->tag, 0, sizeof(d->tag));
    d->icv_ok = false;
    if (!slot || e->aad_len_i > 16 || e->icv_len_i == 0 || e->icv_len_i > 16) {
        d->done = true; /* refused: done_o and err_o at s + 1, nothing else happens */
        d->err = true;
        return;
    }
    d->err = false;
    e->ks_d = slot->ks;
    memcpy(e->h_d, slot->h, 16);
    e->key_we = true;
    memcpy(d->nonce, slot->salt, 4);
    memcpy(d->nonce + 4, e->iv_i, 8);
    memset(d->aad, 0, sizeof(d->aad));
    memcpy(d->aad, e->aad_i, e->aad_len_i);
    d->aad_len = e->aad_len_i;
    d->len = e->len_i;
    d->nblk = e->len_i / 16u + (e->len_i % 16u != 0);
    d->decrypt = e->decrypt_i;
    d->icv_len = e->icv_len_i;
    memcpy(d->icv, e->icv_i, 16);
    d->issued = 0;
    d->beats = 0;
    d->ej0_valid = false;
    d->aad_pending = true;
    d->state = GCM_ENGINE_RUN;
}

/* RUN: issue counter blocks, catch E(J0), combine keystream with data beats, feed GHASH. */
static void eval_run(struct gcm_engine *e)
{
    const struct gcm_engine_regs *q = &e->q;
    struct gcm_engine_regs *d = &e->d;
    const struct aes_stage *out = aes_pipe_out(&e->pipe);
    const bool head_valid = out && out->valid;
    const bool head_is_data = head_valid && out->tag != 0;
    /* in_ready_o == head_is_data; a missing beat stalls the whole pipe */
    const bool stall = head_is_data && !e->in_valid_i;
    e->pipe.en_i = !stall;

    if (head_valid && !head_is_data) {
        memcpy(d->ej0, out->state, 16);
        d->ej0_valid = true;
    }
    if (!stall && q->issued <= q->nblk) {
        e->pipe.in_valid_i = true;
        e->pipe.in_tag_i = q->issued;
        memcpy(e->pipe.in_data_i, q->nonce, 12);
        put_be32(e->pipe.in_data_i + 12, q->issued + 1u); /* inc32 of J0, issued times */
        d->issued = q->issued + 1u;
    }
    if (q->aad_pending) {
        e->gh.clear_i = true;
        e->gh.in_valid_i = q->aad_len != 0;
        memcpy(e->gh.in_data_i, q->aad, 16);
        d->aad_pending = false;
    }
    if (head_is_data && e->in_valid_i) {
        const uint32_t left = q->len - 16u * q->beats;
        const unsigned nb = left < 16u ? left : 16u;
        uint8_t ct[16] = {0};
        memset(d->out_data, 0, 16);
        for (unsigned i = 0; i < nb; i++) {
            d->out_data[i] = e->in_data_i[i] ^ out->state[i];
            ct[i] = q->decrypt ? e->in_data_i[i] : d->out_data[i];
        }
        /* The AAD went in at s+1 and the first beat comes at s+2+nr: never the same cycle. */
        e->gh.in_valid_i = true;
        memcpy(e->gh.in_data_i, ct, 16);
        d->out_valid = true;
        d->out_nbytes = (uint8_t)nb;
        d->beats = q->beats + 1u;
    }
    if (d->beats == q->nblk && d->ej0_valid)
        d->state = GCM_ENGINE_LEN;
}

/* LEN: the length block; tag = E(J0) ^ Y_d, chained after the multiplier in the same cycle. */
static void eval_len_in(struct gcm_engine *e)
{
    const struct gcm_engine_regs *q = &e->q;
    e->gh.in_valid_i = true;
    put_be64(e->gh.in_data_i, (uint64_t)q->aad_len * 8u);
    put_be64(e->gh.in_data_i + 8, (uint64_t)q->len * 8u);
}

static void eval_len_out(struct gcm_engine *e)
{
    const struct gcm_engine_regs *q = &e->q;
    struct gcm_engine_regs *d = &e->d;
    uint8_t diff = 0;
    for (unsigned i = 0; i < 16; i++) {
        const uint8_t t = (uint8_t)(q->ej0[i] ^ e->gh.y_d[i]);
        d->tag[i] = i < q->icv_len ? t : 0;
        /* Constant-time compare: every byte is looked at, no early exit. */
        diff |= (uint8_t)((i < q->icv_len ? (t ^ q->icv[i]) : 0));
    }
    d->icv_ok = q->decrypt ? diff == 0 : true;
    d->done = true;
    d->state = GCM_ENGINE_IDLE;
}

void gcm_engine_eval(struct gcm_engine *e, uint64_t now)
{
    e->d = e->q;
    e->d.out_valid = false;
    e->d.done = false;
    e->key_we = false;
    e->pipe.ks_i = &e->ks_q;
    e->pipe.en_i = true;
    e->pipe.in_valid_i = false;
    e->gh.h_i = e->h_q;
    e->gh.clear_i = false;
    e->gh.in_valid_i = false;

    switch (e->q.state) {
    case GCM_ENGINE_IDLE:
        if (e->start_i)
            eval_start(e);
        break;
    case GCM_ENGINE_RUN:
        eval_run(e);
        break;
    case GCM_ENGINE_LEN:
        eval_len_in(e);
        break;
    default:
        break;
    }
    aes_pipe_eval(&e->pipe, now);
    ghash_eval(&e->gh, now);
    if (e->q.state == GCM_ENGINE_LEN)
        eval_len_out(e);
}

void gcm_engine_commit(struct gcm_engine *e)
{
    if (e->key_we) {
        e->ks_q = e->ks_d;
        memcpy(e->h_q, e->h_d, 16);
        e->key_we = false;
    }
    aes_pipe_commit(&e->pipe);
    ghash_commit(&e->gh);
    e->q = e->d;

    /* Moore outputs: functions of q only. */
    const struct gcm_engine_regs *q = &e->q;
    const struct aes_stage *out = aes_pipe_out(&e->pipe);
    e->in_ready_o = q->state == GCM_ENGINE_RUN && out && out->valid && out->tag != 0;
    e->out_valid_o = q->out_valid;
    memcpy(e->out_data_o, q->out_data, 16);
    e->out_nbytes_o = q->out_nbytes;
    e->done_o = q->done;
    memcpy(e->tag_o, q->tag, 16);
    e->icv_ok_o = q->icv_ok;
    e->err_o = q->err;
    e->busy_o = q->state != GCM_ENGINE_IDLE;
}

uint64_t gcm_engine_next_event(const struct gcm_engine *e, uint64_t now)
{
    if (e->q.state != GCM_ENGINE_IDLE || e->q.done || e->q.out_valid)
        return now;
    return SIM_NEVER;
}

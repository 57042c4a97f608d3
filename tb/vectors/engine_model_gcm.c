/* engine_model_gcm.c - raw AES-GCM known answers (CAVP, Wycheproof) through one GCM unit of the
 * C model, in the context's data mode.
 *
 * The hardware takes an RFC 4106 nonce: a 4-byte salt from the key RAM slot and an 8-byte
 * explicit IV from the job, J0 = salt || IV || 0x00000001. A 96-bit GCM IV splits onto that
 * exactly (salt = IV[0..3], explicit IV = IV[4..11]), so each call writes key || IV[0..3] into
 * a one-slot key RAM and runs one job through a gcm_unit created for the call, inside a tiny
 * sim: the unit and a host block that offers the job on the in stream and takes it from the out
 * stream, as the device's dispatcher and consumer would.
 *
 * What the hardware cannot express is VEC_UNSUPPORTED (skipped, never passed):
 *   - IVs other than 96 bits: no GHASH of the IV, J0 is always salt || IV || 1;
 *   - AAD over 16 bytes: the engine's aad_i port is 128 bits (gcm_engine.h);
 *   - tags other than 8, 12 or 16 bytes: the ICV lengths of RFC 4106, all the unit takes;
 *   - keys other than 16, 24 or 32 bytes (AES-128/192/256).
 * The unit is created with any_aad, so AAD of 0..16 bytes reaches the engine: the device itself
 * only ever sends ESP's 8 or 12, but the engine takes 0..16 and CAVP / Wycheproof use them.
 *
 * Besides the bytes, the job must finish exactly gcm_unit_latency() cycles after it was taken
 * (gcm_unit.h; in fast mode too: "fast mode must not cheat"). A job that does not, or that the
 * unit refuses, is reported as GOLD_E_CRYPTO: a model bug, which the runner shows as a failure.
 * A decrypt whose tag does not verify zeroes the caller's plaintext buffer (the unit itself
 * never releases its hold buffer; the caller's buffer is written only after icv_ok).
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "engine_model.h"
#include "gcm_unit.h"
#include "key_ram.h"
#include "sim.h"

#define GCM_IV_BYTES 12u
#define SALT_BYTES 4u
#define RUN_LIMIT 10000000u /* cycles: far beyond any job the vectors hold */

/* The unit's neighbour: producer of its in stream (one job) and consumer of its out stream. */
struct host {
    gcm_job_stream *in, *out;
    struct gcm_job *job;
    bool sent_q, sent_d;
    struct gcm_job *got_q, *got_d;
};

static void host_eval(void *self, uint64_t now)
{
    struct host *h = self;
    (void)now;
    stream_hold_producer(h->in);
    h->sent_d = h->sent_q;
    if (!h->sent_q && !h->in->valid_q) {
        h->in->valid_d = true;
        h->in->data_d = h->job;
        h->sent_d = true;
    }
    stream_hold_consumer(h->out);
    h->out->ready_d = true;
    h->got_d = stream_fire(h->out) ? h->out->data_q : h->got_q;
}

static void host_commit(void *self)
{
    struct host *h = self;
    h->sent_q = h->sent_d;
    h->got_q = h->got_d; /* the streams are committed by the unit, which owns them */
}

static uint64_t host_next_event(const void *self, uint64_t now)
{
    const struct host *h = self;
    if (!h->sent_q || stream_fire(h->in) || stream_fire(h->out) || !h->out->ready_q)
        return now;
    return SIM_NEVER;
}

static bool supported(size_t key_len, size_t iv_len, size_t aad_len, size_t len, size_t tag_len)
{
    return (key_len == 16 || key_len == 24 || key_len == 32) && iv_len == GCM_IV_BYTES &&
           aad_len <= sizeof(((struct gcm_job *)0)->aad) &&
           (tag_len == 8 || tag_len == 12 || tag_len == 16) && len <= UINT32_MAX;
}

/* Run one job through a fresh unit; 0 when it came back on time, else GOLD_E_CRYPTO. The job's
 * data and icv buffers are set by the caller; everything else comes from the arguments. */
static int run_job(const struct model_ctx *m, const uint8_t *key, size_t key_len,
                   const uint8_t *iv, const uint8_t *aad, size_t aad_len, struct gcm_job *job)
{
    uint8_t keymat[32 + SALT_BYTES];
    struct gcm_unit_cfg cfg;
    gcm_unit_cfg_default(&cfg);
    cfg.mode = m->data_mode ? GCM_DATA_BIT : GCM_DATA_FAST;
    cfg.max_len = job->len ? job->len : 1;
    cfg.any_aad = true;

    memcpy(keymat, key, key_len);
    memcpy(keymat + key_len, iv, SALT_BYTES);
    struct key_ram *kr = key_ram_create(1);
    struct gcm_unit *u = gcm_unit_create(&cfg);
    int rc = GOLD_E_CRYPTO;
    if (kr == NULL || u == NULL || key_ram_write(kr, 0, keymat, key_len + SALT_BYTES) != 0)
        goto out;

    job->kr = kr;
    job->slot = 0;
    memcpy(job->iv, iv + SALT_BYTES, sizeof(job->iv));
    memset(job->aad, 0, sizeof(job->aad));
    if (aad_len)
        memcpy(job->aad, aad, aad_len);
    job->aad_len = (uint8_t)aad_len;
    job->icv_ok = false;
    job->err = -1;

    struct host h = {.in = &u->in, .out = &u->out, .job = job};
    u->out.ready_q = true; /* the host always takes a finished job */
    struct sim s;
    sim_init(&s);
    struct sim_block hb = {"host", &h, host_eval, host_commit, host_next_event};
    struct sim_block ub = gcm_unit_sim_block(u, "gcm_unit");
    if (sim_add(&s, &hb) != 0 || sim_add(&s, &ub) != 0)
        goto out;
    sim_run(&s, RUN_LIMIT);
    if (h.got_q == job && job->err == 0 &&
        job->t_done - job->t_start == gcm_unit_latency(job->len, key_ram_nr(kr, 0)))
        rc = GOLD_OK;
out:
    gcm_unit_destroy(u);
    key_ram_destroy(kr);
    memset(keymat, 0, sizeof(keymat));
    return rc;
}

int model_gcm_encrypt(void *ctx, const uint8_t *key, size_t key_len, const uint8_t *iv,
                      size_t iv_len, const uint8_t *aad, size_t aad_len, const uint8_t *pt,
                      size_t len, uint8_t *ct, uint8_t *tag, size_t tag_len)
{
    if (!supported(key_len, iv_len, aad_len, len, tag_len))
        return VEC_UNSUPPORTED;
    uint8_t icv[16];
    uint8_t *buf = malloc(len ? len : 1);
    if (buf == NULL)
        return GOLD_E_CRYPTO;
    if (len)
        memcpy(buf, pt, len);
    struct gcm_job job = {.data = buf, .len = (uint32_t)len, .decrypt = false,
                          .icv_len = (uint8_t)tag_len, .icv = icv};
    int rc = run_job(ctx, key, key_len, iv, aad, aad_len, &job);
    if (rc == GOLD_OK) {
        if (len)
            memcpy(ct, buf, len);
        memcpy(tag, icv, tag_len);
    }
    free(buf);
    return rc;
}

int model_gcm_decrypt(void *ctx, const uint8_t *key, size_t key_len, const uint8_t *iv,
                      size_t iv_len, const uint8_t *aad, size_t aad_len, const uint8_t *ct,
                      size_t len, const uint8_t *tag, size_t tag_len, uint8_t *pt)
{
    if (!supported(key_len, iv_len, aad_len, len, tag_len))
        return VEC_UNSUPPORTED;
    uint8_t icv[16];
    uint8_t *buf = malloc(len ? len : 1);
    if (buf == NULL)
        return GOLD_E_CRYPTO;
    if (len)
        memcpy(buf, ct, len);
    memcpy(icv, tag, tag_len);
    struct gcm_job job = {.data = buf, .len = (uint32_t)len, .decrypt = true,
                          .icv_len = (uint8_t)tag_len, .icv = icv};
    int rc = run_job(ctx, key, key_len, iv, aad, aad_len, &job);
    if (rc == GOLD_OK && !job.icv_ok)
        rc = GOLD_E_BAD_ICV;
    if (rc == GOLD_OK && len)
        memcpy(pt, buf, len);
    else if (rc != GOLD_OK && len)
        memset(pt, 0, len); /* the golden library's rule: nothing unverified, not even stale */
    free(buf);
    return rc;
}

/* gcm_unit.h - one GCM engine as the rest of the model sees it: a stream of job pointers in, a
 * stream of completed job pointers out. The device instantiates params.engines units; the
 * dispatcher that spreads packets over them lives elsewhere.
 *
 * A job encrypts or decrypts `data` in place (RFC 4106 ESP: nonce = slot salt || iv, AAD 8 or 12
 * bytes) and writes (encrypt) or checks (decrypt) the ICV. One job at a time per unit.
 * cfg.any_aad lets a unit take every AAD length the engine takes (0..16 bytes, gcm_engine.h):
 * conformance runs use it for raw GCM known answers; the device leaves it off, since ESP only
 * ever has 8 or 12, and an AAD of another length there is a pipeline bug to refuse.
 *
 * Data modes, identical in timing, bytes, icv_ok and t_done (tested job by job):
 *   GCM_DATA_BIT   drives the bit-accurate gcm_engine beat by beat from the job buffer: the unit
 *                  steps every cycle while it holds a job.
 *   GCM_DATA_FAST  OpenSSL EVP computes the bytes at the job start (one EVP_CIPHER_CTX per unit,
 *                  re-keyed only when the job's (key RAM, slot, slot generation) differs from
 *                  the previous job's, keyed from the slot's round keys, whose first Nk words are
 *                  the key). The unit then sleeps: next_event returns the cycle the bit-accurate
 *                  engine would raise done_o, and the job leaves on the out stream exactly when
 *                  it would in BIT mode, never earlier ("fast mode must not cheat").
 *
 * Timing (a = the cycle the job is taken from the in stream, i.e. in.valid_q && in.ready_q;
 * nr = 10/12/14 from the slot's key):
 *   a            job taken; engine start_i (BIT) / OpenSSL run (FAST); job->t_start = a
 *   a + L        L = gcm_engine_latency(len, nr) = ceil(len/16) + nr + 3: engine done_o
 *   a + L + 1    job valid on the out stream: job->t_done = a + L + 1
 * so t_done - t_start = gcm_unit_latency(len, nr) = ceil(len/16) + nr + 4 (GCM_UNIT_K = 4),
 * provided the out stream is not blocked (a blocked out stream delays t_done, same in both
 * modes). in.ready is registered: it rises in the cycle the job leaves, so the next job is taken
 * at a + L + 1 at the earliest: one job per ceil(len/16) + nr + 4 cycles per unit.
 * A job that fails validation (slot not valid, aad_len not 8/12 (not 0..16 with any_aad),
 * icv_len not 8/12/16, len > max_len, NULL buffers) leaves at a + 1 with err set, icv_ok
 * false, data and icv untouched.
 *
 * Decrypt releases no plaintext before the tag verifies: plaintext (engine out beats in BIT
 * mode, EVP output in FAST mode) goes to the unit's hold buffer, which is not host-visible; it is
 * copied over `data` at the clock edge the job leaves, and only if icv_ok. On a bad ICV the hold
 * buffer is zeroed and `data` still holds the received ciphertext. Encrypt writes ciphertext in
 * place while the unit owns the job (beat by beat in BIT mode, at the start in FAST mode); the
 * job buffer belongs to the unit from a to t_done, so no other block may look at it meanwhile.
 *
 * Links: the unit owns both stream links and commits them at its clock edge (stream_commit is
 * idempotent, so a link owner that also commits is harmless). The dispatcher writes in.valid_d /
 * in.data_d (after stream_hold_producer) and reads in.ready_q; the consumer writes out.ready_d.
 * With in_drop_on_take the unit also writes in.valid_d = false in the cycle it takes a job.
 */
#ifndef NICSIM_GCM_UNIT_H
#define NICSIM_GCM_UNIT_H

#include <stdbool.h>
#include <stdint.h>

#include "gcm_engine.h"
#include "key_ram.h"
#include "sim.h"
#include "stream.h"

#define GCM_UNIT_K (GCM_ENGINE_K + 1u)
#define GCM_UNIT_MAX_LEN_DEFAULT 16384u

/* Cycles from in-stream fire to out-stream valid for a job of len bytes with nr rounds. */
static inline uint64_t gcm_unit_latency(uint32_t len, unsigned nr)
{
    return gcm_engine_latency(len, nr) + 1u;
}

struct gcm_job {
    const struct key_ram *kr;
    uint32_t slot;
    uint8_t iv[8];
    uint8_t aad[16];
    uint8_t aad_len;      /* 8 (SPI || SN) or 12 (SPI || SN-hi || SN-lo); 0..16 with any_aad  */
    uint8_t *data;        /* len bytes, encrypted / decrypted in place                        */
    uint32_t len;
    bool decrypt;
    uint8_t icv_len;      /* 8, 12, 16                                                         */
    uint8_t *icv;         /* where the ICV is written (encrypt) or read (decrypt)             */
    bool icv_ok;          /* result: decrypt tag verified; encrypt: true                      */
    int err;              /* result: 0, or -EINVAL / -ENOKEY (bad job) / -EIO (OpenSSL failed) */
    uint64_t t_start, t_done;
    void *user;
};

/* STREAM(T) declares `T data_q, data_d`: a pointer type needs a typedef, or data_d would be a
 * struct. */
typedef struct gcm_job *gcm_job_ptr;
typedef STREAM(gcm_job_ptr) gcm_job_stream;

enum gcm_data_mode { GCM_DATA_FAST = 0, GCM_DATA_BIT = 1 }; /* = params.def data_mode */

struct gcm_unit_cfg {
    enum gcm_data_mode mode;   /* default GCM_DATA_FAST                                       */
    bool force_portable;       /* BIT mode: portable AES / GF code instead of AES-NI / PCLMUL  */
    uint32_t max_len;          /* largest job (hold buffer size); default 16384                 */
    bool any_aad;              /* take AAD of 0..16 bytes, not only ESP's 8/12; default false   */
};

void gcm_unit_cfg_default(struct gcm_unit_cfg *cfg);

struct gcm_unit_regs {
    struct gcm_job *cur;       /* job in the unit, NULL when empty                              */
    const struct key_ram_slot *slot;
    uint64_t t_fin;            /* FAST: the cycle the engine would raise done_o                 */
    uint32_t in_off, out_off;  /* BIT: bytes fed to / received from the engine                 */
    bool fin;                  /* finished, waiting for the out stream                          */
    bool icv_ok;
    int err;
    uint8_t tag[16];
};

struct evp_cipher_ctx_st; /* OpenSSL's EVP_CIPHER_CTX, kept out of this header */

/* Engine backend (mixed abstraction: hwmodel/systemc/ swaps in the Verilated RTL engine). In
 * BIT mode the unit drives u->eng's input ports and reads its output ports every cycle it
 * steps; a backend replaces gcm_engine_eval / gcm_engine_commit on those port fields: eval
 * takes the inputs as the unit left them, commit is the clock edge and must set every output
 * port (Moore: from the new register state), as gcm_engine_commit does. The engine's own
 * registers (u->eng.q, ...) are then unused. release (may be NULL) runs at gcm_unit_destroy.
 * Zero (the default): the C engine. Timing and bytes are the backend's to keep equal. */
struct gcm_engine_backend {
    void (*eval)(void *ctx, struct gcm_engine *e, uint64_t now);
    void (*commit)(void *ctx, struct gcm_engine *e);
    void (*release)(void *ctx);
    void *ctx;
};
/* Process-wide seam for a virtual platform: while set, every BIT-mode unit gcm_unit_create()
 * makes asks fn for its backend (0 = take *be, nonzero = creation fails). NULL = none. */
struct gcm_unit;
typedef int (*gcm_engine_factory_fn)(void *fctx, struct gcm_unit *u,
                                     struct gcm_engine_backend *be);
void gcm_unit_set_engine_factory(gcm_engine_factory_fn fn, void *fctx);

struct gcm_unit {
    struct gcm_unit_cfg cfg;
    gcm_job_stream in, out;
    struct gcm_engine eng;     /* the bit-accurate datapath (BIT mode)                          */
    struct gcm_engine_backend be; /* zero: eng is the C engine (gcm_engine_eval/commit)         */
    uint8_t *hold;             /* decrypt hold buffer, cfg.max_len bytes                        */
    /* FAST-mode OpenSSL context and the identity of the key it holds */
    struct evp_cipher_ctx_st *evp;
    const struct key_ram *evp_kr;
    uint32_t evp_slot, evp_gen;
    bool evp_keyed;
    /* Set by a producer that never offers this unit a job in the cycle it takes one (gcm_pool:
     * it offers only to a unit whose in.valid_q is low): the unit then drops in.valid_d itself
     * at the take, the value the producer's stream_hold_producer would write, so the producer
     * need not step in that cycle. Off by default: a producer may present its next beat in
     * the cycle of a fire, and clearing valid_d then would lose it. */
    bool in_drop_on_take;
    /* Optional, set by a dispatcher that watches several units (gcm_pool), while out.valid_q
     * and the bit are both low (at creation): the unit keeps bit vec_bit of *out_valid_vec
     * equal to out.valid_q at its clock edge (it flips the bit when out.valid changes), a
     * vector of the units' out.valid wires the dispatcher reads in one load. NULL = none. The
     * unit is then the only block that commits out.valid (the consumer writes only out.ready).
     */
    uint64_t *out_valid_vec;
    /* Optional, the same kind of vector for the in link being free (in.ready_q && !in.valid_q,
     * the dispatcher's "may offer" test), set while the unit is empty with nothing offered and
     * the bit high (at creation). The unit sets bit vec_bit at the edge its job leaves (the
     * only edge in.ready rises; nothing can be offered to a busy unit, so in.valid is low
     * then); the dispatcher clears it at the edge of its offer (in.valid rises). The take
     * changes nothing: in.ready and in.valid fall together (in_drop_on_take, required with
     * this vector). NULL = none. */
    uint64_t *in_free_vec;
    uint64_t vec_bit;          /* this unit's bit in out_valid_vec and in_free_vec              */
    /* registers */
    struct gcm_unit_regs q, d;
    /* clock-edge actions decided in eval (memory is written at the edge, as a RAM port) */
    struct gcm_job *start_job;  /* taken this cycle: t_start, FAST-mode OpenSSL run            */
    struct gcm_job *leave_job;  /* leaving this cycle: results into the job, decrypt release   */
    bool wr_e;                  /* BIT: an engine out beat to store                            */
    uint32_t wr_off;
    uint8_t wr_n;
    uint64_t now_e;
};

/* NULL on bad cfg (max_len 0) or out of memory. cfg NULL = defaults. */
struct gcm_unit *gcm_unit_create(const struct gcm_unit_cfg *cfg);
void gcm_unit_destroy(struct gcm_unit *u);
void gcm_unit_eval(struct gcm_unit *u, uint64_t now);
void gcm_unit_commit(struct gcm_unit *u);
uint64_t gcm_unit_next_event(const struct gcm_unit *u, uint64_t now);
/* A struct sim_block for sim_add() (name must outlive the sim). */
struct sim_block gcm_unit_sim_block(struct gcm_unit *u, const char *name);
/* The unit's whole step for sim_set_step() (self = the unit; it has no neighbour filter). */
uint64_t gcm_unit_sim_step(void *self, uint64_t now, uint32_t adj, uint32_t *nbrs);
/* No job inside and nothing on the out stream. */
bool gcm_unit_idle(const struct gcm_unit *u);

#endif

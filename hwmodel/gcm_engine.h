/* gcm_engine.h - the beat-level AES-GCM engine (NIST SP 800-38D with the RFC 4106 nonce), the
 * block the RTL module gcm_engine mirrors port for port.
 *
 * One job at a time. A job is: key slot (key RAM gives round keys, H and salt), the 8-byte
 * explicit IV (J0 = salt || IV || 0x00000001), AAD of 0..16 bytes (RFC 4106 uses 8, SPI || SN,
 * or 12, SPI || SN-hi || SN-lo), the payload length, the direction, the ICV length (1..16; ESP
 * uses 8/12/16) and, to decrypt, the received ICV. Inside: an aes_pipe (nr stages) and a ghash
 * accumulator.
 *
 * Ports (lowRISC naming; inputs are fields the parent writes before gcm_engine_eval(), outputs
 * are fields gcm_engine_commit() sets from registers only, i.e. every output is Moore):
 *   port           dir  width   meaning
 *   start_i        in   1       start a job (taken only while busy_o = 0); the job fields
 *   key_slot_i     in   32        below are sampled in the same cycle
 *   kr_i           in   -         model only: which key RAM key_slot_i addresses (RTL: wired)
 *   iv_i           in   64        explicit IV
 *   aad_i          in   128       AAD, aad_len_i bytes used
 *   aad_len_i      in   5         0..16
 *   len_i          in   32        payload bytes (beats = ceil(len_i / 16))
 *   decrypt_i      in   1         0 = encrypt (out = ciphertext), 1 = decrypt
 *   icv_len_i      in   5         ICV bytes, 1..16
 *   icv_i          in   128       received ICV (decrypt)
 *   in_valid_i     in   1       data beat offered
 *   in_ready_o     out  1       beat taken this cycle if in_valid_i (keystream is waiting)
 *   in_data_i      in   128     beat j = payload bytes 16j .. 16j+15
 *   in_nbytes_i    in   5       16, or len % 16 on the last beat (the engine counts bytes
 *                                 itself; in_nbytes_i is the RTL byte-enable and must agree)
 *   out_valid_o    out  1       one cycle per beat, no back-pressure (the consumer always
 *   out_data_o     out  128       takes it: a buffer write port)
 *   out_nbytes_o   out  5
 *   done_o         out  1       one-cycle pulse: job finished; tag_o / icv_ok_o / err_o valid
 *   tag_o          out  128     computed tag, bytes >= icv_len zero (encrypt: the ICV)
 *   icv_ok_o       out  1       decrypt: tag_o matched icv_i (constant-time compare); encrypt: 1
 *   err_o          out  1       start refused: slot not valid, aad_len_i > 16 or bad icv_len_i
 *   busy_o         out  1       a job is in the engine (start_i ignored)
 *
 * Cycle timeline (s = the cycle start_i is taken, n = ceil(len/16), nr = 10/12/14), assuming
 * in_valid_i is high whenever in_ready_o is (the gcm_unit always does this):
 *   s            latch the job; read the key RAM slot into the key register (ks, H)
 *   s+1          J0 enters the AES pipe; GHASH: Y = (0 ^ AAD) * H (skipped when aad_len 0)
 *   s+1+i        counter block J0+i (inc32) enters the pipe, i = 1..n (one per cycle)
 *   s+1+nr       E(J0) leaves the pipe, held in the ej0 register
 *   s+1+nr+i     keystream block i leaves the pipe; beat i-1 is taken (in_ready_o = 1),
 *                out = in ^ keystream (masked to in_nbytes), GHASH absorbs the ciphertext
 *                beat (zero-padded); out_valid_o for that beat is high at s+2+nr+i
 *   s+2+nr+n     GHASH absorbs the length block len(A)*8 || len(C)*8; in the same cycle
 *                tag = E(J0) ^ Y_d and (decrypt) the ICV compare
 *   s+3+nr+n     done_o = 1, tag_o and icv_ok_o valid; busy_o = 0: the next start_i may be
 *                taken in this very cycle
 * Latency:    done_o at  s + ceil(len/16) + nr + 3   (gcm_engine_latency(); GCM_ENGINE_K = 3)
 * Throughput: one job per ceil(len/16) + nr + 3 cycles per engine (jobs do not overlap), i.e.
 *             16 bytes per cycle in the steady state of a long job.
 * A beat not offered when in_ready_o is high stalls the pipe (all stages hold, no counter block
 * enters) and delays everything after it cycle for cycle. A refused start (err_o) gives done_o
 * at s + 1.
 *
 * Decrypt releases no plaintext before the tag verifies: in decrypt mode out beats carry
 * UNVERIFIED plaintext. They are not for the host: the consumer writes them into a hold buffer
 * that is not host-visible (in gcm_unit: its staging buffer; in the RTL: the on-card packet
 * buffer with the segment's release bit clear) and releases the buffer only when done_o comes
 * with icv_ok_o = 1; on icv_ok_o = 0 the buffer is zeroed and the job's data is left as the
 * received ciphertext.
 *
 * The key register is loaded once at s, so a key RAM rewrite during a job cannot mix keys
 * (firmware must still not do that; see key_ram.h).
 */
#ifndef NICSIM_GCM_ENGINE_H
#define NICSIM_GCM_ENGINE_H

#include <stdbool.h>
#include <stdint.h>

#include "aes_core.h"
#include "ghash.h"
#include "key_ram.h"

#define GCM_ENGINE_K 3u

/* Cycles from start_i to done_o for a job of len bytes with nr AES rounds. */
static inline uint64_t gcm_engine_latency(uint32_t len, unsigned nr)
{
    return (uint64_t)(len / 16u + (len % 16u != 0)) + nr + GCM_ENGINE_K;
}

enum gcm_engine_state { GCM_ENGINE_IDLE = 0, GCM_ENGINE_RUN, GCM_ENGINE_LEN };

/* The narrow registers, copied every cycle (d = q at the top of eval). */
struct gcm_engine_regs {
    uint8_t state;           /* enum gcm_engine_state                        */
    bool decrypt;
    bool aad_pending;        /* absorb the AAD block this cycle (s+1)         */
    bool ej0_valid;
    uint8_t icv_len, aad_len;
    uint32_t len, nblk;
    uint32_t issued;         /* counter blocks issued; block i has tag i      */
    uint32_t beats;          /* data beats done                               */
    uint8_t nonce[12];       /* salt || IV                                    */
    uint8_t aad[16];
    uint8_t icv[16];
    uint8_t ej0[16];         /* E_K(J0)                                       */
    bool out_valid;
    uint8_t out_nbytes;
    uint8_t out_data[16];
    bool done, icv_ok, err;
    uint8_t tag[16];
};

struct gcm_engine {
    /* ---- input ports ---- */
    bool start_i;
    const struct key_ram *kr_i;
    uint32_t key_slot_i;
    uint8_t iv_i[8];
    uint8_t aad_i[16];
    uint8_t aad_len_i;
    uint32_t len_i;
    bool decrypt_i;
    uint8_t icv_len_i;
    uint8_t icv_i[16];
    bool in_valid_i;
    uint8_t in_data_i[16];
    uint8_t in_nbytes_i;
    /* ---- output ports (set by commit from q) ---- */
    bool in_ready_o;
    bool out_valid_o;
    uint8_t out_data_o[16];
    uint8_t out_nbytes_o;
    bool done_o;
    uint8_t tag_o[16];
    bool icv_ok_o;
    bool err_o;
    bool busy_o;
    /* ---- sub-blocks ---- */
    struct aes_pipe pipe;
    struct ghash gh;
    /* ---- registers ---- */
    struct gcm_engine_regs q, d;
    /* The key register is wide and written only at job start: q/d with a write enable. */
    struct aes_ks ks_q, ks_d;
    uint8_t h_q[16], h_d[16];
    bool key_we;
};

/* Reset. force_portable pins the portable AES and GF(2^128) code (same bits, slower). The
 * engine must not move in memory after init (its pipe points at the key register). */
void gcm_engine_init(struct gcm_engine *e, bool force_portable);
void gcm_engine_eval(struct gcm_engine *e, uint64_t now);
void gcm_engine_commit(struct gcm_engine *e);
/* now while busy or while done_o / out_valid_o is up (they must drop), else SIM_NEVER: the
 * parent knows when it will raise start_i. */
uint64_t gcm_engine_next_event(const struct gcm_engine *e, uint64_t now);

#endif

/* aes_core.h - AES-128/192/256 encryption (FIPS-197), one round per function, and aes_pipe: the
 * round-per-stage pipeline of a GCM engine.
 *
 * Structure (mirrors the RTL, OpenTitan-style): a round is SubBytes, ShiftRows, MixColumns,
 * AddRoundKey; the final round omits MixColumns. Round 0 (AddRoundKey with rk[0]) is folded into
 * the pipe's input, so stage i applies round i+1 and stage nr-1 applies the final round.
 *
 * Two implementations of the same rounds, selected per user through struct aes_ops (never a
 * global): AES-NI (aesenc / aesenclast compute exactly one FIPS-197 round) when the CPU has it,
 * and a portable byte-wise C path (own S-box table) that is always available. aes_ops_select()
 * takes force_portable so tests and the bit-accurate model can pin the portable path; both paths
 * give identical bits (tested).
 *
 * aes_pipe timing: one block may enter per cycle (in_valid_i). A block that enters in the eval of
 * cycle t is in stage s's q register at cycle t + 1 + s, so the ciphertext is on the output
 * (stage nr-1, aes_pipe_out()) at cycle t + nr. en_i = 0 freezes every stage (a pipeline stall,
 * as the RTL's global enable); nothing enters then. The key is an input (ks_i) that must stay
 * stable while any block is in flight: the GCM engine loads it at job start and keeps it for
 * the whole job. nr follows the key (10/12/14); the RTL has 14 stage registers and takes its
 * output from stage nr-1 (the unused tail stages are idle), so latency is nr for every key size.
 */
#ifndef NICSIM_AES_CORE_H
#define NICSIM_AES_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define AES_BLOCK 16u
#define AES_MAX_NR 14u

/* Expanded key: rk[0..nr]. The first Nk words (rk bytes 0 .. 4*Nk-1) are the cipher key itself
 * (FIPS-197 5.2), so the key RAM stores no separate copy of the key. */
struct aes_ks {
    uint8_t rk[AES_MAX_NR + 1][AES_BLOCK];
    uint8_t nr; /* 10, 12 or 14; 0 = no key */
};

/* FIPS-197 KeyExpansion. key_len 16/24/32; returns 0, or -EINVAL (ks is then zeroed). */
int aes_expand_key(struct aes_ks *ks, const uint8_t *key, size_t key_len);
/* Key length in bytes of an expanded key (4 * Nk = 4 * (nr - 6)); 0 if ks holds no key. */
static inline unsigned aes_key_len(const struct aes_ks *ks)
{
    return ks->nr ? 4u * (ks->nr - 6u) : 0u;
}

/* One implementation of the round functions. */
struct aes_ops {
    const char *name; /* "aesni" or "portable" */
    /* state = MixColumns(ShiftRows(SubBytes(state))) ^ rk */
    void (*round)(uint8_t state[AES_BLOCK], const uint8_t rk[AES_BLOCK]);
    /* state = ShiftRows(SubBytes(state)) ^ rk */
    void (*final_round)(uint8_t state[AES_BLOCK], const uint8_t rk[AES_BLOCK]);
};

/* The portable C rounds and (when compiled for x86) the AES-NI rounds. aes_round_ni and
 * aes_final_round_ni may only be called when aes_ni_available(). */
void aes_round(uint8_t state[AES_BLOCK], const uint8_t rk[AES_BLOCK]);
void aes_final_round(uint8_t state[AES_BLOCK], const uint8_t rk[AES_BLOCK]);
bool aes_ni_available(void);
/* The AES-NI ops when the CPU supports them and !force_portable, else the portable ops. */
const struct aes_ops *aes_ops_select(bool force_portable);

/* Whole-block encryption out = E_K(in) (in == out allowed), built from the round functions. */
void aes_encrypt_block(const struct aes_ops *ops, const struct aes_ks *ks,
                       const uint8_t in[AES_BLOCK], uint8_t out[AES_BLOCK]);

/* ---- aes_pipe: nr stages, one block per cycle ------------------------------------------- */
struct aes_stage {
    bool valid;
    uint32_t tag;                /* block index, travels with the block (cosim compares it) */
    uint8_t state[AES_BLOCK];    /* state after round (stage index + 1)                     */
};

struct aes_pipe {
    const struct aes_ops *ops;
    /* inputs, driven by the parent before aes_pipe_eval */
    const struct aes_ks *ks_i;   /* stable while any stage is valid                        */
    bool en_i;                   /* 0: every stage holds (stall)                            */
    bool in_valid_i;
    uint32_t in_tag_i;
    uint8_t in_data_i[AES_BLOCK];
    /* registers */
    unsigned nvalid_q, nvalid_d; /* valid stages, so an empty pipe costs nothing           */
    bool we;                     /* eval moved the pipe: commit copies the stages          */
    struct aes_stage q[AES_MAX_NR], d[AES_MAX_NR];
};

/* Reset: every stage invalid, inputs cleared. */
void aes_pipe_init(struct aes_pipe *p, const struct aes_ops *ops);
void aes_pipe_eval(struct aes_pipe *p, uint64_t now);
void aes_pipe_commit(struct aes_pipe *p);
uint64_t aes_pipe_next_event(const struct aes_pipe *p, uint64_t now);
/* The output register (stage nr-1 of the current key), Moore. NULL if no key is set. */
static inline const struct aes_stage *aes_pipe_out(const struct aes_pipe *p)
{
    return (p->ks_i && p->ks_i->nr) ? &p->q[p->ks_i->nr - 1] : NULL;
}

#endif

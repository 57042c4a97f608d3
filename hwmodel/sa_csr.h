/* sa_csr.h - the SAT port: the card-internal CSR block through which the control CPU
 * programs the SA tables (sa_cam, key RAMs, esn tables, per-SA counters and lifetimes), and the
 * one implementation of every table operation, shared by SAT.OP and the backdoor API of
 * nicsim.h (nic_sa_add, nic_sa_delete = DELETE + FREE, nic_sa_advance_esn, nic_sa_stats).
 *
 * Registers: regs.def NICSIM_REGS_SAT. The firmware writes the argument registers, then OP;
 * the operation is performed during that write, and RESULT (0 or minus an enum
 * nicsim_mbox_code, which equal the Linux errno values), INDEX (ADD) and DATA0..3 (STATS,
 * COUNT) hold its outcome. KEY0..8 are write-only and are zeroed after every OP, so key
 * material stays in the port for one operation at most.
 *
 * Slot life cycle, per direction and index:
 *   FREE --ADD--> INSTALLED --DELETE--> HELD --FREE--> FREE
 *   INSTALLED: the CAM / TX table entry matches, keys and sequence state are live.
 *   HELD:      lookups miss, but the key RAM slot, sequence state and counters stay, so packets
 *              already past the lookup finish with their key; the index is not handed out.
 *   DELETE of a slot that is not INSTALLED: -ENOENT. FREE of an INSTALLED slot: -EBUSY; of a
 *   FREE slot: -ENOENT. STATS works on INSTALLED and HELD slots (the final counts).
 * The hardware allocator is a priority encoder over (installed | held); the model's CAM
 * allocator knows only installed entries, so held indices are masked in around each add.
 *
 * Timing: an operation takes effect at once, on the clock edge of the CSR write that starts
 * it (the CPU block charges the bus cycles). Like every table write it must happen between
 * cycles or in a commit, never in an eval.
 */
#ifndef NICSIM_SA_CSR_H
#define NICSIM_SA_CSR_H

#include <stdint.h>

#include "nic_ctx.h"
#include "nicsim/nicsim.h"
#include "nicsim/regs.h"

struct sa_csr {
    struct nic_ctx *ctx;
    uint32_t reg[NICSIM_SAT_NREGS]; /* the register file (KEY* too: write-only to the bus)  */
    uint64_t *held[2];              /* per direction (enum nic_sa_dir): HELD bitmap          */
    uint32_t nheld[2];
};

/* 0 or -ENOMEM. The tables in ctx must be initialised. */
int sa_csr_init(struct sa_csr *s, struct nic_ctx *ctx);
void sa_csr_destroy(struct sa_csr *s);

/* Card-side bus access by register index (NICSIM_SAT_*). Reads of KEY* return 0, writes to
 * RESULT / DATA* are ignored; out-of-range indices read 0. */
uint32_t sa_csr_read(const struct sa_csr *s, uint32_t reg);
void sa_csr_write(struct sa_csr *s, uint32_t reg, uint32_t value);

/* ---- the table operations ---- */
/* The handle (>= 0) or -EINVAL / -ENOSPC / -EEXIST. */
int sa_csr_add(struct sa_csr *s, const struct nic_sa *sa);
int sa_csr_delete(struct sa_csr *s, enum nic_sa_dir dir, int idx);     /* 0, -ENOENT         */
int sa_csr_free_slot(struct sa_csr *s, enum nic_sa_dir dir, int idx);  /* 0, -EBUSY, -ENOENT */
/* RX crypto-offload ESN window bottom: 0, -ENOENT (not installed), -EINVAL (wrong kind). */
int sa_csr_esn(struct sa_csr *s, int idx, uint32_t seq_hi, uint32_t bottom);
int sa_csr_stats(const struct sa_csr *s, enum nic_sa_dir dir, int idx, uint64_t *packets,
                 uint64_t *bytes);                                      /* 0, -ENOENT         */
void sa_csr_reset(struct sa_csr *s);
uint32_t sa_csr_count(const struct sa_csr *s, enum nic_sa_dir dir);     /* installed + held   */

#endif

/* fw_cpu.h - the control CPU block: the card side of the mailbox and the processor that runs
 * the firmware (firmware/) on it.
 *
 * Host side (BAR0 MBOX block, through mmio): CMD, ARG*, KEY* are plain registers the host
 * fills (KEY* write-only); writing DOORBELL with bit 0 set while the CPU is idle starts the
 * command: STATUS becomes BUSY (DONE and CODE cleared) at once. A doorbell while BUSY is
 * refused (ignored and counted, fw_cpu.refused). STATUS and RESP* are read-only to the host.
 *
 * Card side: the firmware runs behind a fw_hal bound to the card's CSR space: TOP (through
 * the top_rd port), MBOX (CMD/ARG/KEY readable, RESP/KEY writable) and SAT (sa_csr).
 *
 * Timing. A doorbell written while the cycle counter reads c is sampled at the edge of cycle
 * c; the firmware runs there (its table operations land on that edge) and occupies the CPU
 * for cost = fw_cmd_cycles + fw_csr_cycles * (CSR accesses it made) + cycles it spent. STATUS
 * = DONE | CODE, the RESP registers and EVT.CAUSE.MBOX_DONE become visible together at cycle
 * c + 1 + cost (host reads at nic_cycle() < c + 1 + cost still see BUSY). The block needs no
 * step while it only waits: next_event is the completion cycle.
 */
#ifndef NICSIM_FW_CPU_H
#define NICSIM_FW_CPU_H

#include <stdbool.h>
#include <stdint.h>

#include "nicsim/nicsim_params.h"
#include "nicsim/regs.h"
#include "sa_csr.h"

struct fw_cpu_regs {
    uint32_t status;               /* MBOX.STATUS                                    */
    uint32_t resp[4];              /* MBOX.RESP0..3 as the host sees them            */
    bool pending;                  /* a doorbell waits to be sampled                 */
    bool running;                  /* the firmware's cost is being charged           */
    uint64_t done_at;              /* cycle whose edge posts DONE                    */
    uint32_t code;                 /* completion code of the running command         */
    uint32_t resp_next[4];         /* RESP as the firmware wrote them, posted at DONE */
    bool cause;                    /* EVT.CAUSE.MBOX_DONE (sticky, W1C)              */
};

struct fw_cpu {
    const struct nicsim_params *p;
    struct sa_csr *sat;
    uint32_t (*top_rd)(void *ctx, uint32_t reg); /* TOP register by index, card side     */
    void *top_ctx;
    uint32_t mbox[NICSIM_MBOX_NREGS];  /* host-written CMD, DOORBELL, ARG*, KEY*          */
    struct fw_cpu_regs q, d;
    bool start_e;                      /* eval -> commit: run the firmware at this edge */
    uint64_t now_e;
    /* while the firmware runs (inside commit) */
    uint64_t accesses, spent;
    /* statistics */
    uint64_t commands, refused, bus_errors;
};

void fw_cpu_init(struct fw_cpu *f, const struct nicsim_params *p, struct sa_csr *sat,
                 uint32_t (*top_rd)(void *ctx, uint32_t reg), void *top_ctx);
/* Scrubs the mailbox key registers. */
void fw_cpu_destroy(struct fw_cpu *f);

/* Host access to the MBOX block by register index; access types are enforced by the caller
 * (mmio: RO writes and WO reads never arrive here). */
uint32_t fw_cpu_host_read(const struct fw_cpu *f, uint32_t reg);
void fw_cpu_host_write(struct fw_cpu *f, uint32_t reg, uint32_t value);
bool fw_cpu_cause(const struct fw_cpu *f);
void fw_cpu_cause_clear(struct fw_cpu *f);

void fw_cpu_eval(void *self, uint64_t now);
void fw_cpu_commit(void *self);
uint64_t fw_cpu_next_event(const void *self, uint64_t now);
#define FW_CPU_BLOCK(f) {"fw_cpu", (f), fw_cpu_eval, fw_cpu_commit, fw_cpu_next_event}

#endif

/* mmio.h - the BAR0 decoder: the host's register window, decoded through tables (QEMU igb
 * style): the block by address, the register by index, the access type from regs.def.
 *
 * Blocks (regs.def NICSIM_BAR0_BLOCKS): TOP (identification, capabilities and limits from
 * the parameters, SCRATCH), DMA (dma_csr_read/write, register list hwmodel/dma.h at
 * NIC_MMIO_DMA_BASE), MBOX (fw_cpu), EVT (lifetime events and interrupt causes), STATS (a
 * latched 64-bit counter window; ids in regs.def NICSIM_STATS_IDS).
 *
 * Access rules, applied here for every block:
 *   - an offset that is not 4-byte aligned reads 0 and ignores writes (counted: misaligned);
 *   - an offset in no block, or past a block's last register, reads 0 and ignores writes
 *     (counted: unknown);
 *   - RO: writes are ignored and counted (ro_writes); the DMA block still sees them, since it
 *     flags its own bad accesses in ERR_CAUSE (hwmodel/dma.h);
 *   - WO: reads return 0 without reaching the block (key material never leaves the card);
 *   - W1C, RW, DB: passed to the block, which implements them.
 * Timing: host accesses act between clock steps, at the current cycle; nothing here is clocked.
 */
#ifndef NICSIM_MMIO_H
#define NICSIM_MMIO_H

#include <stdint.h>

#include "dma.h"
#include "fw_cpu.h"
#include "nic_ctx.h"
#include "nicsim/nicsim.h"

/* What the decoder reaches. The public API of `nic` serves EVT and STATS. */
struct mmio_ports {
    struct nic *nic;
    const struct nicsim_params *p;
    const struct nic_ctx *ctx;
    struct dma *dma;
    struct fw_cpu *fw;
};

struct mmio_counters {
    uint64_t unknown, misaligned, ro_writes;
};

struct mmio {
    struct mmio_ports port;
    uint32_t scratch;        /* TOP.SCRATCH                                      */
    uint32_t stats_sel;      /* STATS.SEL                                         */
    uint32_t stats_valid;    /* STATS.VALID                                       */
    uint64_t stats_data;     /* STATS.DATA_HI:DATA_LO, latched at the SEL write   */
    uint64_t lost_seen;      /* events_lost when EVT.CAUSE.LOST was last cleared  */
    struct mmio_counters cnt;
};

void mmio_init(struct mmio *m, const struct mmio_ports *ports);
uint32_t mmio_read(struct mmio *m, uint32_t offset);
void mmio_write(struct mmio *m, uint32_t offset, uint32_t value);
/* TOP register by index, for the control CPU's bus (a struct mmio * as ctx). */
uint32_t mmio_top_read(void *m, uint32_t reg);

#endif

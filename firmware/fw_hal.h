/* fw_hal.h - the firmware's hardware abstraction layer: everything the control-plane code may
 * touch on the card. The same firmware runs on the C model (hwmodel/fw_cpu.c binds it to the
 * model's CSR space), on the RTL testbench, and later on a real control CPU.
 *
 * Contract
 *  - One flat 32-bit address space of 32-bit registers, addresses from nicsim/regs.h
 *    (NICSIM_REG(BLOCK, REG)): the TOP block (identification, capabilities, limits), the MBOX
 *    block seen from the card side, and the card-internal CSR blocks (SAT).
 *  - Card-side MBOX view: CMD, ARG* and KEY* read back what the host wrote (KEY* is write-only
 *    only for the host); RESP* and KEY* are writable (results, key scrubbing); STATUS and
 *    DOORBELL belong to the CPU block: the firmware returns its completion code instead.
 *  - Unknown addresses read 0 and ignore writes (the bus counts them as errors).
 *  - spend() charges cycles of work that is not a bus access. Bus accesses are charged by the
 *    platform itself (on the model: params fw_csr_cycles per access, fw_cmd_cycles per
 *    command), so the firmware needs spend() only for long internal loops.
 * No callback may be NULL. The firmware keeps no state between commands: everything it needs
 * is in the tables behind the CSRs, so a firmware restart loses nothing.
 */
#ifndef NICSIM_FW_HAL_H
#define NICSIM_FW_HAL_H

#include <stdint.h>

struct fw_hal {
    void *ctx;
    uint32_t (*rd)(void *ctx, uint32_t addr);
    void (*wr)(void *ctx, uint32_t addr, uint32_t value);
    void (*spend)(void *ctx, uint32_t cycles);
};

#endif

/* fw.h - the card's firmware (control plane): services one mailbox command.
 *
 * The platform calls fw_mailbox_service() when the host has rung MBOX.DOORBELL. The firmware
 * reads MBOX.CMD / ARG* / KEY*, validates every field, programs the SA tables through the SAT
 * CSR port (SAT.* then SAT.OP, result in SAT.RESULT), writes MBOX.RESP*, scrubs MBOX.KEY* and
 * returns the completion code (enum nicsim_mbox_code) that the platform posts in
 * MBOX.STATUS.CODE together with DONE. The protocol is docs/mailbox.md.
 *
 * Depends on fw_hal.h and nicsim/regs.h only. Timing is the platform's: the firmware makes a
 * bounded number of CSR accesses per command (at most 70, SA_ADD; docs/mailbox.md).
 */
#ifndef NICSIM_FW_H
#define NICSIM_FW_H

#include <stdint.h>

#include "fw_hal.h"

/* Reported by GET_INFO in RESP0: major [31:16], minor [15:0]. */
#define FW_VERSION 0x00010000u

uint32_t fw_mailbox_service(const struct fw_hal *hal);

#endif

/* nd_fwstub.h - a stand-in for the card's firmware, private to the model backend.
 *
 * It answers the TOP, MBOX and EVT blocks of BAR0 the way regs.def describes them and carries
 * out mailbox commands with the model's table API (nic_sa_add and friends), as firmware/ will
 * through its HAL. It exists so that the driver can be written and tested against the mailbox
 * protocol before the firmware is merged, and it doubles as an executable reading of the
 * argument layout in regs.def NICSIM_MBOX_CMDS (see nd_mbox.h for the choices made there).
 * Differences from real firmware: a command completes at the next run() of the bus, in zero
 * device time. It has one test hook the card's firmware lacks: CAPS bits can be hidden (a card
 * without ESN), see nd_bus_model_cfg.caps_clear.
 */
#ifndef ND_FWSTUB_H
#define ND_FWSTUB_H

#include <stdbool.h>
#include <stdint.h>

#include "nicsim/nicsim.h"

struct nd_fwstub;

struct nd_fwstub *nd_fwstub_create(const struct nicsim_params *p, uint32_t caps_clear);
void nd_fwstub_destroy(struct nd_fwstub *s);
/* The card was re-created (function-level reset): every SA and register is back at reset. */
void nd_fwstub_reset(struct nd_fwstub *s);
/* true when off lies in a block the stand-in serves. */
bool nd_fwstub_owns(uint32_t off);
uint32_t nd_fwstub_read(struct nd_fwstub *s, struct nic *n, uint32_t off);
void nd_fwstub_write(struct nd_fwstub *s, struct nic *n, uint32_t off, uint32_t val);
/* Called by the backend's run(): execute a command rung on the doorbell. true if one ran. */
bool nd_fwstub_step(struct nd_fwstub *s, struct nic *n);

#endif

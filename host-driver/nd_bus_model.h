/* nd_bus_model.h - the bus backend on the C model (struct nic of hwmodel/).
 *
 * The backend owns its card: it creates the struct nic from parameters, hands out IOVAs from a
 * private window and registers every mapping with the card (nic_host_register), forwards MMIO,
 * and runs device time with nic_run(). A function-level reset (nd_bus reset op) destroys and
 * re-creates the card with the same parameters and re-registers the mappings and the wire
 * callback, so a harness that keeps its hooks here survives the reset; it must re-fetch
 * nd_bus_model_nic() afterwards.
 *
 * Firmware stand-in: the card's mailbox is served by firmware/, which is not merged yet. With
 * fw = ND_FW_STUB the backend answers the TOP, MBOX and EVT register blocks itself, executing
 * mailbox commands through the model's table API (nd_fwstub.c). ND_FW_AUTO (the default) uses
 * the stand-in only while the card does not implement TOP.CAPS (it reads 0), so the real
 * firmware takes over by itself once it lands. ND_FW_DEVICE never uses the stand-in.
 */
#ifndef ND_BUS_MODEL_H
#define ND_BUS_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "nd_bus.h"
#include "nicsim/nicsim.h"

enum nd_fw_mode { ND_FW_AUTO = 0, ND_FW_STUB = 1, ND_FW_DEVICE = 2 };

struct nd_bus_model_cfg {
    uint8_t fw;          /* enum nd_fw_mode                                                 */
    uint32_t caps_clear; /* stand-in only: TOP.CAPS bits to hide (test hook, e.g. no ESN)     */
};

/* NULL with a one-line reason in err. cfg may be NULL (defaults). */
struct nd_bus *nd_bus_model_create(const struct nicsim_params *p,
                                   const struct nd_bus_model_cfg *cfg, char *err,
                                   size_t errlen);
/* The card behind the bus (changes across a reset). */
struct nic *nd_bus_model_nic(struct nd_bus *bus);
/* Wire TX callback, kept across resets. */
void nd_bus_model_set_wire(struct nd_bus *bus, nic_wire_fn fn, void *user);
/* true when the firmware stand-in serves the mailbox. */
bool nd_bus_model_stubbed(const struct nd_bus *bus);

#endif

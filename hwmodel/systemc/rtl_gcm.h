// rtl_gcm.h - mixed abstraction: the GCM engines of a card as Verilated RTL (rtl/gcm_engine.v
// built with verilator --sc) inside the platform. rtl_gcm.cpp when the RTL is built into the
// binary, rtl_gcm_none.cpp (every call reports that) otherwise.
#ifndef NICSIM_SC_RTL_GCM_H
#define NICSIM_SC_RTL_GCM_H

#include <cstddef>

extern "C" {
#include "nicsim/nicsim.h"
}

namespace nicsim_sc {
class nic_tlm;
constexpr unsigned RTL_GCM_ENGINES = 16; // 2 cards x 2 directions x params.engines (4)
bool rtl_gcm_built();
// Elaboration: make the pool of RTL instances.
void rtl_gcm_elaborate(unsigned engines);
// Check that card n can take RTL engines (data_mode BIT). 0, or -1 with a reason.
int rtl_gcm_attach(struct nic *n, const struct nicsim_params *p, nic_tlm *card, char *err,
                   size_t errlen);
// While on, every BIT-mode GCM unit created gets an RTL engine (gcm_unit engine factory).
void rtl_gcm_factory(bool on);
// Clock edges the RTL engines took so far (0 without RTL).
unsigned long long rtl_gcm_clocks();
}  // namespace nicsim_sc

#endif

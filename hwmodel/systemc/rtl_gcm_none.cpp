// rtl_gcm_none.cpp - the rtl_gcm.h calls in a platform built without the Verilated GCM engine
// (no rtl/gcm_engine.v when it was built).
#include <cstdio>

#include "rtl_gcm.h"

namespace nicsim_sc {

bool rtl_gcm_built()
{
    return false;
}

void rtl_gcm_elaborate(unsigned engines)
{
    (void)engines;
}

int rtl_gcm_attach(struct nic *n, const struct nicsim_params *p, nic_tlm *card, char *err,
                   size_t errlen)
{
    (void)n, (void)p, (void)card;
    std::snprintf(err, errlen,
                  "--rtl-gcm: this nicsim_sc was built without the Verilated GCM engine "
                  "(rtl/gcm_engine.v)");
    return -1;
}

void rtl_gcm_factory(bool on)
{
    (void)on;
}

unsigned long long rtl_gcm_clocks()
{
    return 0;
}

}  // namespace nicsim_sc

/* nic_ctx.c - packet accounting and wire timing shared by the pipeline stages (nic_ctx.h). */
#include "nic_ctx.h"

void nic_ctx_account(struct nic_dir_stats *ds, uint8_t drop, uint32_t bytes, uint64_t t_in,
                     uint64_t now)
{
    if (drop) {
        ds->dropped[drop < NIC_DROP_COUNT ? drop : 0]++;
        return;
    }
    uint64_t lat = now - t_in;
    ds->out++;
    ds->bytes_out += bytes;
    if (ds->out == 1 || lat < ds->latency_min)
        ds->latency_min = lat;
    if (lat > ds->latency_max)
        ds->latency_max = lat;
    ds->latency_sum += lat;
}

/* Ethernet overhead per frame on the wire: preamble+SFD 8, IFG 12, header 14, FCS 4. */
#define WIRE_OVERHEAD 38u

uint64_t nic_ctx_wire_cycles(const struct nic_ctx *c, uint32_t bytes)
{
    uint64_t num = ((uint64_t)bytes + WIRE_OVERHEAD) * c->wire_cycles_num;
    return (num + c->wire_cycles_den - 1) / c->wire_cycles_den;
}

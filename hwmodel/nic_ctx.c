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

static void raise_event(struct nic_ctx *c, uint8_t type, enum nic_sa_dir dir, uint32_t sa)
{
    if (c->ev_tail - c->ev_head >= NIC_EVENT_RING) {
        c->events_lost++;
        return;
    }
    c->events[c->ev_tail++ % NIC_EVENT_RING] =
        (struct nic_event){.type = type, .dir = (uint8_t)dir, .handle = (uint16_t)sa};
}

static bool reached(uint64_t count, uint64_t limit)
{
    return limit && count >= limit;
}

void nic_ctx_sa_count(struct nic_ctx *c, enum nic_sa_dir dir, uint32_t sa, uint32_t bytes)
{
    struct sa_counters *s = dir == NIC_SA_OUT ? &c->sa_tx[sa] : &c->sa_rx[sa];
    s->packets++;
    s->bytes += bytes;
    if (!s->soft_fired && (reached(s->packets, s->soft_packets) || reached(s->bytes, s->soft_bytes))) {
        s->soft_fired = 1;
        raise_event(c, NIC_EVENT_SOFT_EXPIRE, dir, sa);
    }
    if (!s->hard_fired && (reached(s->packets, s->hard_packets) || reached(s->bytes, s->hard_bytes))) {
        s->hard_fired = 1;
        raise_event(c, NIC_EVENT_HARD_EXPIRE, dir, sa);
    }
}

bool nic_ctx_sa_expired(const struct nic_ctx *c, enum nic_sa_dir dir, uint32_t sa)
{
    const struct sa_counters *s = dir == NIC_SA_OUT ? &c->sa_tx[sa] : &c->sa_rx[sa];
    return s->hard_fired;
}

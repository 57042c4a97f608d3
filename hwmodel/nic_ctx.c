/* nic_ctx.c - packet accounting and wire timing shared by the pipeline stages (nic_ctx.h). */
#include "nic_ctx.h"

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

void nic_ctx_sa_limits(struct nic_ctx *c, enum nic_sa_dir dir, uint32_t sa)
{
    struct sa_counters *s = dir == NIC_SA_OUT ? &c->sa_tx[sa] : &c->sa_rx[sa];
    if (!s->soft_fired && (reached(s->packets, s->soft_packets) || reached(s->bytes, s->soft_bytes))) {
        s->soft_fired = 1;
        raise_event(c, NIC_EVENT_SOFT_EXPIRE, dir, sa);
    }
    if (!s->hard_fired && (reached(s->packets, s->hard_packets) || reached(s->bytes, s->hard_bytes))) {
        s->hard_fired = 1;
        raise_event(c, NIC_EVENT_HARD_EXPIRE, dir, sa);
    }
}

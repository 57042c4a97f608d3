/* nd_dump.c - the netdevsim ipsec debugfs text for the Linux personality (nd_xfrm.h).
 *
 * Format of drivers/net/netdevsim/ipsec.c nsim_dbg_netdev_ops_read, line for line:
 *   "SA count=%u tx=%u\n"                                      offloaded SAs, offloaded TX packets
 *   "sa[%i] %cx ipaddr=0x%08x %08x %08x %08x\n"                 RX: the destination address
 *   "sa[%i]    spi=0x%08x proto=0x%x salt=0x%08x crypt=%d\n"
 *   "sa[%i]    key=0x%08x %08x %08x %08x\n"
 * The index is the driver's shadow slot. As netdevsim holds them, the address (IPv4 in the last
 * word, zeros for TX SAs), the salt and the first 16 key bytes are 32-bit words loaded from the
 * bytes in memory order and printed as numbers; this file loads them little-endian, which is
 * what netdevsim prints on x86. The key comes from the driver's shadow (the card never returns
 * key material). SAs being deleted are gone from the listing, as netdevsim clears them at delete.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "nd_xfrm_priv.h"

static uint32_t le32(const uint8_t *b)
{
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

struct out {
    char *buf;
    size_t cap, len;
    bool full;
};

static void put(struct out *o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t room = o->len < o->cap ? o->cap - o->len : 0;
    int n = vsnprintf(o->buf + (o->len < o->cap ? o->len : o->cap), room, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= room)
        o->full = true;
    o->len += n > 0 ? (size_t)n : 0;
}

int nd_xfrm_dump(const struct nd_netdev *nd, char *buf, size_t cap)
{
    if (!buf || !cap)
        return -ENOSPC;
    buf[0] = 0;
    struct out o = {buf, cap, 0, false};
    unsigned count = 0;
    for (unsigned i = 0; i < nd_sa_capacity(nd->dev); i++) {
        struct nd_sa_info in;
        if (!nd_sa_info(nd->dev, (int)i, &in) && in.state == ND_SA_LIVE)
            count++;
    }
    put(&o, "SA count=%u tx=%u\n", count, (unsigned)nd->st.tx_offload);
    for (unsigned i = 0; i < nd_sa_capacity(nd->dev); i++) {
        struct nd_sa_info in;
        if (nd_sa_info(nd->dev, (int)i, &in) || in.state != ND_SA_LIVE)
            continue;
        const struct nd_sa_cfg *c = in.cfg;
        uint8_t addr[16] = {0};
        if (c->dir == ND_SA_IN) {
            if (c->v6)
                memcpy(addr, c->daddr, 16);
            else
                memcpy(addr + 12, c->daddr, 4);
        }
        put(&o, "sa[%i] %cx ipaddr=0x%08x %08x %08x %08x\n", (int)i,
            c->dir == ND_SA_IN ? 'r' : 't', le32(addr), le32(addr + 4), le32(addr + 8),
            le32(addr + 12));
        put(&o, "sa[%i]    spi=0x%08x proto=0x%x salt=0x%08x crypt=%d\n", (int)i, c->spi,
            ND_IPPROTO_ESP_ID, le32(c->keymat + c->keymat_len - 4), 1);
        put(&o, "sa[%i]    key=0x%08x %08x %08x %08x\n", (int)i, le32(c->keymat),
            le32(c->keymat + 4), le32(c->keymat + 8), le32(c->keymat + 12));
    }
    return o.full ? -ENOSPC : (int)o.len;
}

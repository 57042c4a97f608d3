/* test_sa_cam.c - the SA CAM: fill to capacity, delete and reuse, duplicate keys, argument
 * checks, IPv4 vs IPv6 keys, a 65536-entry table, and random add/delete churn compared with a
 * linear-search reference (which exercises the backward-shift delete of the hash table).
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sa_cam.h"

static const struct sa_cam_cfg CFG = { SA_MODE_TRANSPORT, SA_OFFLOAD_PACKET, 16, SA_CFG_ESN };

static struct sa_rx_key key4(uint32_t spi, uint32_t addr)
{
    struct sa_rx_key k;
    memset(&k, 0, sizeof(k));
    k.spi = spi;
    k.proto = 50;
    k.daddr[0] = (uint8_t)(addr >> 24);
    k.daddr[1] = (uint8_t)(addr >> 16);
    k.daddr[2] = (uint8_t)(addr >> 8);
    k.daddr[3] = (uint8_t)addr;
    return k;
}

static struct sa_rx_key key6(uint32_t spi, uint32_t addr)
{
    struct sa_rx_key k = key4(spi, addr);
    k.v6 = 1;
    k.daddr[15] = 0x99;
    return k;
}

static void cam_init(struct sa_cam *c, uint32_t rx, uint32_t tx)
{
    struct sa_cam_params p;
    sa_cam_params_default(&p);
    p.rx_entries = rx;
    p.tx_entries = tx;
    cr_assert_eq(sa_cam_init(c, &p), 0);
}

Test(sa_cam, defaults_and_sizes)
{
    struct sa_cam_params p;
    sa_cam_params_default(&p);
    cr_assert_eq(p.rx_entries, 1024);
    cr_assert_eq(p.tx_entries, 1024);
    cr_assert_eq(p.latency, 2);
    struct sa_cam c;
    cr_assert_eq(sa_cam_init(&c, &p), 0);
    cr_assert_eq(sa_cam_cycles(&c), 2);
    cr_assert_eq(sa_cam_rx_count(&c), 0);
    /* The per-SA numbers documented in sa_cam.h. */
    cr_assert_eq(sizeof(struct sa_cam_rx_entry), 28);
    cr_assert_eq(sizeof(struct sa_cam_tx_entry), 40);
    size_t per_sa = sa_cam_bytes(&c) / 1024; /* RX + TX per pair of SAs */
    cr_assert_leq(per_sa, 28 + 8 + 40 + 1);
    sa_cam_destroy(&c);
    p.latency = 5;
    cr_assert_eq(sa_cam_init(&c, &p), 0);
    cr_assert_eq(sa_cam_cycles(&c), 5);
    sa_cam_destroy(&c);
}

Test(sa_cam, bad_params)
{
    struct sa_cam c;
    struct sa_cam_params p;
    sa_cam_params_default(&p);
    p.rx_entries = 0;
    cr_assert_eq(sa_cam_init(&c, &p), -EINVAL);
    p.rx_entries = SA_CAM_MAX_ENTRIES + 1;
    cr_assert_eq(sa_cam_init(&c, &p), -EINVAL);
    sa_cam_params_default(&p);
    p.tx_entries = 0;
    cr_assert_eq(sa_cam_init(&c, &p), -EINVAL);
    sa_cam_params_default(&p);
    p.latency = 0;
    cr_assert_eq(sa_cam_init(&c, &p), -EINVAL);
    cr_assert_eq(sa_cam_init(&c, NULL), -EINVAL);
}

Test(sa_cam, add_lookup_get)
{
    struct sa_cam c;
    cam_init(&c, 16, 16);
    struct sa_rx_key k = key4(0x100, 0xc0a80001);
    int i = sa_cam_rx_add(&c, &k, &CFG);
    cr_assert_eq(i, 0);
    cr_assert_eq(sa_cam_rx_lookup(&c, &k), 0);
    const struct sa_cam_rx_entry *e = sa_cam_rx_get(&c, 0);
    cr_assert_not_null(e);
    cr_assert_eq(e->key.spi, 0x100);
    cr_assert_eq(e->cfg.icv_len, 16);
    cr_assert_eq(e->cfg.offload, SA_OFFLOAD_PACKET);
    cr_assert_eq(e->cfg.flags, SA_CFG_ESN);
    cr_assert_null(sa_cam_rx_get(&c, 1));
    cr_assert_null(sa_cam_rx_get(&c, 16));
    struct sa_rx_key other = key4(0x101, 0xc0a80001);
    cr_assert_eq(sa_cam_rx_lookup(&c, &other), -ENOENT);
    other = key4(0x100, 0xc0a80002);
    cr_assert_eq(sa_cam_rx_lookup(&c, &other), -ENOENT);
    cr_assert_eq(sa_cam_rx_count(&c), 1);
    sa_cam_destroy(&c);
}

Test(sa_cam, v4_and_v6_same_spi_are_different_entries)
{
    struct sa_cam c;
    cam_init(&c, 16, 16);
    struct sa_rx_key k4 = key4(7, 0x0a000002);
    struct sa_rx_key k6 = key6(7, 0x0a000002);
    struct sa_rx_key k6b = k6;
    k6b.daddr[15] = 0; /* v6 address whose first 4 bytes and zero tail look like the v4 key */
    int a = sa_cam_rx_add(&c, &k4, &CFG);
    int b = sa_cam_rx_add(&c, &k6, &CFG);
    int d = sa_cam_rx_add(&c, &k6b, &CFG);
    cr_assert(a >= 0 && b >= 0 && d >= 0);
    cr_assert(a != b && b != d && a != d);
    cr_assert_eq(sa_cam_rx_lookup(&c, &k4), a);
    cr_assert_eq(sa_cam_rx_lookup(&c, &k6), b);
    cr_assert_eq(sa_cam_rx_lookup(&c, &k6b), d);
    /* For IPv4 only daddr[0..3] count. */
    struct sa_rx_key k4junk = k4;
    memset(k4junk.daddr + 4, 0xab, 12);
    cr_assert_eq(sa_cam_rx_lookup(&c, &k4junk), a);
    cr_assert_eq(sa_cam_rx_add(&c, &k4junk, &CFG), -EEXIST);
    sa_cam_destroy(&c);
}

Test(sa_cam, invalid_arguments)
{
    struct sa_cam c;
    cam_init(&c, 4, 4);
    struct sa_rx_key k = key4(1, 1);
    struct sa_cam_cfg cfg = CFG;
    cr_assert_eq(sa_cam_rx_add(&c, NULL, &cfg), -EINVAL);
    cr_assert_eq(sa_cam_rx_add(&c, &k, NULL), -EINVAL);
    k.spi = 0;
    cr_assert_eq(sa_cam_rx_add(&c, &k, &cfg), -EINVAL);
    k = key4(1, 1);
    k.proto = 51;
    cr_assert_eq(sa_cam_rx_add(&c, &k, &cfg), -EINVAL);
    k = key4(1, 1);
    k.v6 = 2;
    cr_assert_eq(sa_cam_rx_add(&c, &k, &cfg), -EINVAL);
    k = key4(1, 1);
    const uint8_t bad_icv[] = { 0, 4, 10, 15, 32 };
    for (size_t i = 0; i < sizeof(bad_icv); i++) {
        cfg = CFG;
        cfg.icv_len = bad_icv[i];
        cr_assert_eq(sa_cam_rx_add(&c, &k, &cfg), -EINVAL);
    }
    cfg = CFG;
    cfg.mode = 2;
    cr_assert_eq(sa_cam_rx_add(&c, &k, &cfg), -EINVAL);
    cfg = CFG;
    cfg.offload = 2;
    cr_assert_eq(sa_cam_rx_add(&c, &k, &cfg), -EINVAL);
    cfg = CFG;
    cfg.flags = 0x80;
    cr_assert_eq(sa_cam_rx_add(&c, &k, &cfg), -EINVAL);
    cfg.flags = SA_CFG_OUTER_V6;
    cr_assert_eq(sa_cam_rx_add(&c, &k, &cfg), -EINVAL);
    for (uint8_t icv = 8; icv <= 16; icv += 4) {
        cfg = CFG;
        cfg.icv_len = icv;
        k.spi = icv;
        cr_assert_geq(sa_cam_rx_add(&c, &k, &cfg), 0);
    }
    cr_assert_eq(sa_cam_rx_del(&c, 4), -EINVAL);
    cr_assert_eq(sa_cam_rx_del(&c, UINT32_MAX), -EINVAL);
    cr_assert_eq(sa_cam_rx_del(&c, 3), -ENOENT);
    k.spi = 0;
    cr_assert_eq(sa_cam_rx_lookup(&c, &k), -ENOENT);
    struct sa_cam_tx_entry t = { .spi = 0, .cfg = CFG };
    cr_assert_eq(sa_cam_tx_add(&c, &t), -EINVAL);
    cr_assert_eq(sa_cam_tx_add(&c, NULL), -EINVAL);
    cr_assert_eq(sa_cam_tx_del(&c, 4), -EINVAL);
    cr_assert_eq(sa_cam_tx_del(&c, 0), -ENOENT);
    cr_assert_eq(sa_cam_rx_count(&c), 3);
    sa_cam_destroy(&c);
}

Test(sa_cam, fill_to_capacity_delete_reuse)
{
    struct sa_cam c;
    cam_init(&c, 1024, 1024);
    for (uint32_t i = 0; i < 1024; i++) {
        struct sa_rx_key k = key4(0x1000 + i, 0x0a000000 + i % 7);
        cr_assert_eq(sa_cam_rx_add(&c, &k, &CFG), (int)i, "lowest free index first");
    }
    struct sa_rx_key extra = key4(0x9999, 1);
    cr_assert_eq(sa_cam_rx_add(&c, &extra, &CFG), -ENOSPC);
    /* A duplicate of a present key says -EEXIST even when full. */
    struct sa_rx_key dup = key4(0x1000 + 5, 0x0a000000 + 5);
    cr_assert_eq(sa_cam_rx_add(&c, &dup, &CFG), -EEXIST);
    for (uint32_t i = 0; i < 1024; i++) {
        struct sa_rx_key k = key4(0x1000 + i, 0x0a000000 + i % 7);
        cr_assert_eq(sa_cam_rx_lookup(&c, &k), (int)i);
    }
    cr_assert_eq(sa_cam_rx_del(&c, 700), 0);
    cr_assert_eq(sa_cam_rx_del(&c, 5), 0);
    cr_assert_eq(sa_cam_rx_del(&c, 5), -ENOENT);
    cr_assert_eq(sa_cam_rx_lookup(&c, &dup), -ENOENT);
    cr_assert_null(sa_cam_rx_get(&c, 5));
    cr_assert_eq(sa_cam_rx_count(&c), 1022);
    cr_assert_eq(sa_cam_rx_add(&c, &extra, &CFG), 5, "reuse the lowest freed index");
    cr_assert_eq(sa_cam_rx_add(&c, &dup, &CFG), 700);
    cr_assert_eq(sa_cam_rx_lookup(&c, &dup), 700);
    cr_assert_eq(sa_cam_rx_lookup(&c, &extra), 5);
    struct sa_rx_key more = key4(0x7777, 1);
    cr_assert_eq(sa_cam_rx_add(&c, &more, &CFG), -ENOSPC);

    /* TX by handle. */
    struct sa_cam_tx_entry t = { .spi = 0x55, .cfg = { SA_MODE_TUNNEL, SA_OFFLOAD_PACKET, 16,
                                                       SA_CFG_OUTER_V6 } };
    for (int i = 0; i < 16; i++)
        t.outer_daddr[i] = (uint8_t)i;
    for (uint32_t i = 0; i < 1024; i++)
        cr_assert_eq(sa_cam_tx_add(&c, &t), (int)i);
    cr_assert_eq(sa_cam_tx_add(&c, &t), -ENOSPC);
    cr_assert_eq(sa_cam_tx_del(&c, 3), 0);
    cr_assert_null(sa_cam_tx_get(&c, 3));
    cr_assert_null(sa_cam_tx_get(&c, 1024));
    const struct sa_cam_tx_entry *g = sa_cam_tx_get(&c, 4);
    cr_assert_not_null(g);
    cr_assert_eq(g->spi, 0x55);
    cr_assert_eq(g->cfg.mode, SA_MODE_TUNNEL);
    cr_assert_eq(g->outer_daddr[15], 15);
    cr_assert_eq(sa_cam_tx_add(&c, &t), 3);
    cr_assert_eq(sa_cam_tx_count(&c), 1024);

    sa_cam_reset(&c);
    cr_assert_eq(sa_cam_rx_count(&c), 0);
    cr_assert_eq(sa_cam_tx_count(&c), 0);
    cr_assert_eq(sa_cam_rx_lookup(&c, &dup), -ENOENT);
    cr_assert_null(sa_cam_tx_get(&c, 0));
    cr_assert_eq(sa_cam_rx_add(&c, &dup, &CFG), 0);
    sa_cam_destroy(&c);
}

Test(sa_cam, table_of_65536)
{
    struct sa_cam c;
    cam_init(&c, SA_CAM_MAX_ENTRIES, SA_CAM_MAX_ENTRIES);
    for (uint32_t i = 0; i < SA_CAM_MAX_ENTRIES; i++) {
        struct sa_rx_key k = i % 2 ? key6(i + 1, i * 2654435761u) : key4(i + 1, 0x0a000001);
        cr_assert_eq(sa_cam_rx_add(&c, &k, &CFG), (int)i);
        struct sa_cam_tx_entry t = { .spi = i + 1, .cfg = CFG };
        cr_assert_eq(sa_cam_tx_add(&c, &t), (int)i);
    }
    struct sa_rx_key k = key4(0xffffffff, 0);
    cr_assert_eq(sa_cam_rx_add(&c, &k, &CFG), -ENOSPC);
    struct sa_cam_tx_entry t = { .spi = 1, .cfg = CFG };
    cr_assert_eq(sa_cam_tx_add(&c, &t), -ENOSPC);
    for (uint32_t i = 0; i < SA_CAM_MAX_ENTRIES; i += 3) {
        k = i % 2 ? key6(i + 1, i * 2654435761u) : key4(i + 1, 0x0a000001);
        cr_assert_eq(sa_cam_rx_lookup(&c, &k), (int)i);
    }
    /* The highest index works (sa_handle is 16 bits). */
    cr_assert_eq(sa_cam_rx_del(&c, 65535), 0);
    cr_assert_eq(sa_cam_tx_del(&c, 65535), 0);
    k = key4(0xfffffff0, 3);
    cr_assert_eq(sa_cam_rx_add(&c, &k, &CFG), 65535);
    cr_assert_eq(sa_cam_rx_lookup(&c, &k), 65535);
    cr_assert_eq(sa_cam_tx_add(&c, &t), 65535);
    sa_cam_destroy(&c);
}

static uint32_t xorshift(uint32_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

/* Random add/delete/lookup on a small, crowded table (few distinct SPIs and addresses, so many
 * keys collide and probe runs wrap around), against a linear-search reference. */
Test(sa_cam, churn_against_reference)
{
    enum { CAP = 61, UNIVERSE = 150 };
    struct sa_cam c;
    cam_init(&c, CAP, 1);
    struct sa_rx_key ref[CAP];
    bool used[CAP] = { false };
    uint32_t seed = 12345;
    for (int it = 0; it < 200000; it++) {
        uint32_t u = xorshift(&seed) % UNIVERSE;
        struct sa_rx_key k = u % 3 ? key4(1 + u / 5, u % 5) : key6(1 + u / 5, u % 5);
        int want = -ENOENT;
        for (int i = 0; i < CAP; i++)
            if (used[i] && ref[i].spi == k.spi && ref[i].v6 == k.v6 &&
                memcmp(ref[i].daddr, k.daddr, 16) == 0)
                want = i;
        int op = (int)(xorshift(&seed) % 3);
        if (op == 0) {
            int lowest = -ENOSPC;
            for (int i = CAP - 1; i >= 0; i--)
                if (!used[i])
                    lowest = i;
            int exp = want >= 0 ? -EEXIST : lowest;
            int got = sa_cam_rx_add(&c, &k, &CFG);
            cr_assert_eq(got, exp, "it %d add", it);
            if (got >= 0) {
                used[got] = true;
                ref[got] = k;
            }
        } else if (op == 1) {
            uint32_t idx = want >= 0 ? (uint32_t)want : xorshift(&seed) % CAP;
            int exp = used[idx] ? 0 : -ENOENT;
            cr_assert_eq(sa_cam_rx_del(&c, idx), exp, "it %d del", it);
            used[idx] = false;
        } else {
            cr_assert_eq(sa_cam_rx_lookup(&c, &k), want, "it %d lookup", it);
        }
    }
    for (int i = 0; i < CAP; i++)
        if (used[i])
            cr_assert_eq(sa_cam_rx_lookup(&c, &ref[i]), i);
    sa_cam_destroy(&c);
}

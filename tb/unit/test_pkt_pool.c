/* test_pkt_pool.c - on-card packet buffer pool: O(1) get/put, deferred free, double put. */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "pkt_pool.h"

Test(pkt_pool, geometry_and_exhaustion)
{
    struct pkt_pool pp;
    cr_assert_eq(pkt_pool_init(&pp, 4, 1500), 0);
    cr_assert_eq(pp.buf_size, PKT_HEADROOM + 1500 + PKT_TAILROOM);
    struct pkt *p[4];
    for (int i = 0; i < 4; i++) {
        p[i] = pkt_pool_get(&pp);
        cr_assert_not_null(p[i]);
        cr_assert_eq(p[i]->data, p[i]->mem + PKT_HEADROOM);
        cr_assert_eq(p[i]->len, 0);
        for (int j = 0; j < i; j++)
            cr_assert_neq(p[i], p[j]);
    }
    /* Buffers do not overlap: each is buf_size bytes apart. */
    cr_assert_eq((size_t)(p[1]->mem - p[0]->mem), pp.buf_size);
    cr_assert_null(pkt_pool_get(&pp));
    cr_assert_eq(pp.stats.get_empty, 1);
    cr_assert_eq(pkt_pool_in_use(&pp), 4);
    pkt_pool_free(&pp);
}

Test(pkt_pool, put_is_visible_after_commit)
{
    struct pkt_pool pp;
    cr_assert_eq(pkt_pool_init(&pp, 1, 576), 0);
    struct pkt *p = pkt_pool_get(&pp);
    cr_assert_eq(pkt_pool_put(&pp, p), 0);
    /* Same cycle: the freed buffer is not yet allocatable (RTL free-list FIFO). */
    cr_assert_null(pkt_pool_get(&pp));
    cr_assert_eq(pkt_pool_in_use(&pp), 0);
    pkt_pool_commit(&pp);
    cr_assert_eq(pkt_pool_get(&pp), p);
    pkt_pool_free(&pp);
}

Test(pkt_pool, put_resets_metadata_not_payload)
{
    struct pkt_pool pp;
    cr_assert_eq(pkt_pool_init(&pp, 2, 576), 0);
    struct pkt *p = pkt_pool_get(&pp);
    memset(p->data, 0xab, 100);
    p->len = 100;
    p->data += 8;
    p->id = 7;
    p->drop = 3;
    p->cookie = 0xdead;
    p->has_sa = true;
    cr_assert_eq(pkt_pool_put(&pp, p), 0);
    cr_assert_eq(p->len, 0);
    cr_assert_eq(p->id, 0);
    cr_assert_eq(p->drop, 0);
    cr_assert_eq(p->cookie, 0);
    cr_assert_not(p->has_sa);
    cr_assert_eq(p->data, p->mem + PKT_HEADROOM);
    cr_assert_eq(p->mem[PKT_HEADROOM], 0xab); /* payload left as it was */
    pkt_pool_free(&pp);
}

Test(pkt_pool, double_and_foreign_put_detected)
{
    struct pkt_pool pp;
    cr_assert_eq(pkt_pool_init(&pp, 3, 576), 0);
    struct pkt *a = pkt_pool_get(&pp), *b = pkt_pool_get(&pp);
    cr_assert_eq(pkt_pool_put(&pp, a), 0);
    cr_assert_eq(pkt_pool_put(&pp, a), -EALREADY); /* same cycle            */
    pkt_pool_commit(&pp);
    cr_assert_eq(pkt_pool_put(&pp, a), -EALREADY); /* after it became free  */
    struct pkt foreign = {0};
    cr_assert_eq(pkt_pool_put(&pp, &foreign), -EINVAL);
    cr_assert_eq(pkt_pool_put(&pp, NULL), -EINVAL);
    cr_assert_eq(pkt_pool_put(&pp, (struct pkt *)((char *)b + 1)), -EINVAL); /* misaligned */
    cr_assert_eq(pp.stats.double_put, 2);
    cr_assert_eq(pp.stats.bad_put, 3);
    /* The free list is intact: exactly the two free buffers come out, each once. */
    pkt_pool_commit(&pp);
    struct pkt *x = pkt_pool_get(&pp), *y = pkt_pool_get(&pp);
    cr_assert_not_null(x);
    cr_assert_not_null(y);
    cr_assert_neq(x, y);
    cr_assert_neq(x, b);
    cr_assert_neq(y, b);
    cr_assert_null(pkt_pool_get(&pp));
    pkt_pool_free(&pp);
}

Test(pkt_pool, churn_keeps_count)
{
    struct pkt_pool pp;
    cr_assert_eq(pkt_pool_init(&pp, 8, 576), 0);
    struct pkt *held[8];
    unsigned n = 0;
    for (unsigned round = 0; round < 1000; round++) {
        if ((round % 3) != 2 && n < 8) {
            held[n] = pkt_pool_get(&pp);
            if (held[n])
                n++;
        } else if (n) {
            cr_assert_eq(pkt_pool_put(&pp, held[--n]), 0);
        }
        pkt_pool_commit(&pp);
        cr_assert_eq(pkt_pool_in_use(&pp), n);
        cr_assert_eq(pkt_pool_avail(&pp), 8 - n);
    }
    pkt_pool_free(&pp);
    cr_assert_eq(pkt_pool_init(&pp, 0, 576), -EINVAL);
}

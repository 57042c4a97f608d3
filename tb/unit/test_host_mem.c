/* test_host_mem.c - registered host memory: overlap and wrap rejection, one-region rule,
 * refused accesses touch nothing. */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "host_mem.h"

static uint8_t backing[3][256];

Test(host_mem, register_and_access)
{
    struct host_mem hm;
    host_mem_init(&hm);
    cr_assert_eq(host_mem_register(&hm, 0x1000, backing[0], 256), 0);
    uint8_t buf[16];
    memset(buf, 0x5a, sizeof(buf));
    cr_assert_eq(host_mem_write(&hm, 0x10f0, buf, 16), 0); /* ends exactly at the last byte */
    cr_assert_eq(memcmp(&backing[0][0xf0], buf, 16), 0);
    uint8_t rd[16] = {0};
    cr_assert_eq(host_mem_read(&hm, 0x10f0, rd, 16), 0);
    cr_assert_eq(memcmp(rd, buf, 16), 0);
    cr_assert(host_mem_valid(&hm, 0x1000, 256));
    cr_assert_not(host_mem_valid(&hm, 0x1000, 257));
    cr_assert_not(host_mem_valid(&hm, 0xfff, 2));
    cr_assert_eq(hm.faults, 0);
}

Test(host_mem, overlap_rejected)
{
    struct host_mem hm;
    host_mem_init(&hm);
    cr_assert_eq(host_mem_register(&hm, 0x1000, backing[0], 256), 0);
    cr_assert_eq(host_mem_register(&hm, 0x1000, backing[1], 256), -EINVAL); /* same     */
    cr_assert_eq(host_mem_register(&hm, 0x10ff, backing[1], 1), -EINVAL);   /* last byte */
    cr_assert_eq(host_mem_register(&hm, 0x0f01, backing[1], 256), -EINVAL); /* first byte */
    cr_assert_eq(host_mem_register(&hm, 0x0f00, backing[1], 1024), -EINVAL);/* covers   */
    cr_assert_eq(host_mem_register(&hm, 0x1080, backing[1], 16), -EINVAL);  /* inside   */
    cr_assert_eq(host_mem_register(&hm, 0x0f00, backing[1], 256), 0);       /* adjacent */
    cr_assert_eq(host_mem_register(&hm, 0x1100, backing[2], 256), 0);       /* adjacent */
    cr_assert_eq(hm.nregions, 3);
}

Test(host_mem, bad_registrations)
{
    struct host_mem hm;
    host_mem_init(&hm);
    cr_assert_eq(host_mem_register(&hm, 0x1000, NULL, 16), -EINVAL);
    cr_assert_eq(host_mem_register(&hm, 0x1000, backing[0], 0), -EINVAL);
    /* iova + len wraps past 2^64 */
    cr_assert_eq(host_mem_register(&hm, UINT64_MAX - 15, backing[0], 17), -EINVAL);
    /* ... but ending exactly at the top of the space is fine */
    cr_assert_eq(host_mem_register(&hm, UINT64_MAX - 15, backing[0], 16), 0);
    cr_assert(host_mem_valid(&hm, UINT64_MAX, 1));
    cr_assert_not(host_mem_valid(&hm, UINT64_MAX, 2));
    cr_assert_eq(hm.nregions, 1);
}

Test(host_mem, table_full)
{
    struct host_mem hm;
    host_mem_init(&hm);
    static uint8_t big[HOST_MEM_MAX_REGIONS + 1][8];
    for (unsigned i = 0; i < HOST_MEM_MAX_REGIONS; i++)
        cr_assert_eq(host_mem_register(&hm, 0x100 * (i + 1), big[i], 8), 0);
    cr_assert_eq(host_mem_register(&hm, 0x100000, big[HOST_MEM_MAX_REGIONS], 8), -ENOSPC);
    cr_assert_eq(host_mem_unregister(&hm, 0x100), 0);
    cr_assert_eq(host_mem_unregister(&hm, 0x100), -ENOENT);
    cr_assert_eq(host_mem_register(&hm, 0x100000, big[HOST_MEM_MAX_REGIONS], 8), 0);
}

Test(host_mem, refused_access_touches_nothing)
{
    struct host_mem hm;
    host_mem_init(&hm);
    memset(backing, 0x11, sizeof(backing));
    cr_assert_eq(host_mem_register(&hm, 0x1000, backing[0], 256), 0);
    cr_assert_eq(host_mem_register(&hm, 0x1100, backing[2], 256), 0); /* adjacent, not contiguous */
    uint8_t buf[64];
    memset(buf, 0xee, sizeof(buf));
    /* runs past the end of the region (and would straddle into the adjacent one) */
    cr_assert_eq(host_mem_write(&hm, 0x10f0, buf, 32), -EFAULT);
    /* starts before the region */
    cr_assert_eq(host_mem_write(&hm, 0x0ff0, buf, 32), -EFAULT);
    /* entirely outside */
    cr_assert_eq(host_mem_write(&hm, 0x9000, buf, 1), -EFAULT);
    /* iova + len wraps to a small address inside the region */
    cr_assert_eq(host_mem_write(&hm, UINT64_MAX - 7, buf, 0x1010), -EFAULT);
    /* len 0 is not a DMA */
    cr_assert_eq(host_mem_write(&hm, 0x1000, buf, 0), -EFAULT);
    for (size_t i = 0; i < 256; i++) {
        cr_assert_eq(backing[0][i], 0x11);
        cr_assert_eq(backing[2][i], 0x11);
    }
    uint8_t rd[64];
    memset(rd, 0x77, sizeof(rd));
    cr_assert_eq(host_mem_read(&hm, 0x10f0, rd, 32), -EFAULT);
    for (size_t i = 0; i < sizeof(rd); i++)
        cr_assert_eq(rd[i], 0x77);
    cr_assert_eq(hm.faults, 6);
    /* After unregistering, the range faults. */
    cr_assert_eq(host_mem_unregister(&hm, 0x1000), 0);
    cr_assert_eq(host_mem_read(&hm, 0x1000, rd, 1), -EFAULT);
}

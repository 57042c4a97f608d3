/* test_nic_sa.c - SA tables of the whole device: capacity, per-SA memory, lifetime limits,
 * key RAM hygiene; and the parameter file loader.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "dut.h"
#include "esp_golden.h"
#include "pktgen.h"

static struct nic_sa sa_of(uint8_t dir, uint32_t spi)
{
    struct nic_sa s = {.dir = dir, .offload = NIC_OFFLOAD_PACKET, .icv_len = 16,
                       .keymat_len = 36, .spi = spi};
    for (int i = 0; i < 36; i++)
        s.keymat[i] = (uint8_t)(spi * 7 + (uint32_t)i);
    s.daddr[0] = 10;
    s.daddr[3] = (uint8_t)spi;
    return s;
}

Test(nic_sa, capacity_65536_each_way_and_state_under_512_bytes)
{
    struct nicsim_params p;
    nicsim_params_default(&p);
    p.rx_sa_entries = p.tx_sa_entries = 65536;
    char err[200];
    struct nic *n = nic_create(&p, err, sizeof(err));
    cr_assert(n, "%s", err);
    size_t per_sa = nic_sa_state_bytes(n);
    cr_assert_lt(per_sa, 512, "per-SA state %zu bytes", per_sa);
    for (uint32_t i = 0; i < 65536; i++) {
        struct nic_sa in = sa_of(NIC_SA_IN, i + 1), out = sa_of(NIC_SA_OUT, i + 1);
        memcpy(in.daddr, &i, 4); /* distinct keys */
        cr_assert_eq(nic_sa_add(n, &in), (int)i);
        cr_assert_eq(nic_sa_add(n, &out), (int)i);
    }
    struct nic_sa one_more = sa_of(NIC_SA_OUT, 0x7777);
    cr_assert_eq(nic_sa_add(n, &one_more), -ENOSPC);
    cr_assert_eq(nic_sa_delete(n, NIC_SA_OUT, 123), 0);
    cr_assert_eq(nic_sa_add(n, &one_more), 123, "the freed handle is reused");
    nic_destroy(n);
}

Test(nic_sa, bad_sa_fields_are_refused)
{
    struct nicsim_params p;
    nicsim_params_default(&p);
    char err[200];
    struct nic *n = nic_create(&p, err, sizeof(err));
    cr_assert(n);
    struct nic_sa s = sa_of(NIC_SA_IN, 5);
    s.icv_len = 10;
    cr_assert_eq(nic_sa_add(n, &s), -EINVAL);
    s = sa_of(NIC_SA_IN, 5);
    s.keymat_len = 32; /* a key without its salt */
    cr_assert_eq(nic_sa_add(n, &s), -EINVAL);
    s = sa_of(NIC_SA_IN, 0);
    cr_assert_eq(nic_sa_add(n, &s), -EINVAL, "SPI 0 is reserved");
    s = sa_of(NIC_SA_IN, 5);
    s.replay_window = 2048;
    cr_assert_eq(nic_sa_add(n, &s), -EINVAL, "window above max_replay_window");
    s = sa_of(NIC_SA_OUT, 5);
    s.seq = 1ull << 32; /* beyond the 32-bit space without ESN */
    cr_assert_eq(nic_sa_add(n, &s), -EINVAL);
    s = sa_of(NIC_SA_IN, 5);
    cr_assert_geq(nic_sa_add(n, &s), 0);
    cr_assert_eq(nic_sa_add(n, &s), -EEXIST, "same (SPI, daddr) twice");
    cr_assert_eq(nic_sa_delete(n, NIC_SA_IN, 999), -ENOENT);
    cr_assert_eq(nic_sa_delete(n, NIC_SA_IN, -1), -ENOENT);
    nic_destroy(n);
}

Test(nic_sa, lifetime_soft_then_hard)
{
    struct nicsim_params p;
    nicsim_params_default(&p);
    p.tx_ring_size = p.rx_ring_size = 64;
    char err[200];
    struct dut *d = dut_create(&p, err, sizeof(err));
    cr_assert(d, "%s", err);
    struct nic_sa s = sa_of(NIC_SA_OUT, 9);
    s.soft_packets = 3;
    s.hard_packets = 5;
    int h = nic_sa_add(d->nic, &s);
    cr_assert_geq(h, 0);
    struct pktgen g;
    pktgen_seed(&g, 1);
    uint8_t pkt[200];
    size_t len = pktgen_ip(&g, pkt, 200, false, 0, 1);
    struct nic_event ev;
    for (unsigned i = 0; i < 8; i++) {
        cr_assert_eq(dut_tx(d, pkt, len, h, 0, i), 0);
        cr_assert(dut_run(d, 1000000)); /* one at a time: the hard limit is exact */
        if (i == 2) {
            cr_assert_eq(nic_poll_event(d->nic, &ev), 1);
            cr_assert_eq(ev.type, NIC_EVENT_SOFT_EXPIRE);
            cr_assert_eq(ev.handle, h);
            cr_assert_eq(ev.dir, NIC_SA_OUT);
        }
        if (i == 4) {
            cr_assert_eq(nic_poll_event(d->nic, &ev), 1);
            cr_assert_eq(ev.type, NIC_EVENT_HARD_EXPIRE);
        }
    }
    cr_assert_eq(nic_poll_event(d->nic, &ev), 0, "each limit fires once");
    const struct nic_stats *st = nic_get_stats(d->nic);
    cr_assert_eq(st->tx.out, 5);
    cr_assert_eq(st->tx.dropped[NIC_DROP_SA_HARD_LIMIT], 3);
    uint64_t pk, by;
    cr_assert_eq(nic_sa_stats(d->nic, NIC_SA_OUT, h, &pk, &by), 0);
    cr_assert_eq(pk, 5);
    cr_assert_eq(by, 5 * d->wire.v[0].len);
    cr_assert_eq(d->txc.v[7].tx.status, NIC_TXS_NO_SA);
    dut_destroy(d);
}

/* ---- parameters ----------------------------------------------------------------------------- */

static char *write_tmp(const char *text)
{
    static char path[64];
    snprintf(path, sizeof(path), "/tmp/nicsim_params_XXXXXX");
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    return path;
}

Test(params, load_good_file)
{
    struct nicsim_params p;
    nicsim_params_default(&p);
    char err[256];
    char *f = write_tmp("# a comment\n\nengines = 8   # more engines\nclock_mhz=1000\n"
                        "data_mode = 1\n");
    cr_assert_eq(nicsim_params_load(&p, f, err, sizeof(err)), 0, "%s", err);
    cr_assert_eq(p.engines, 8);
    cr_assert_eq(p.clock_mhz, 1000);
    cr_assert_eq(p.data_mode, 1);
    cr_assert_eq(p.rx_sa_entries, 1024, "untouched keys keep their defaults");
    unlink(f);
}

static void load_fails(const char *text, const char *want)
{
    struct nicsim_params p;
    nicsim_params_default(&p);
    char err[256] = "";
    char *f = write_tmp(text);
    cr_assert_eq(nicsim_params_load(&p, f, err, sizeof(err)), -1, "accepted: %s", text);
    cr_assert(strstr(err, want), "error '%s' does not mention '%s'", err, want);
    unlink(f);
}

Test(params, bad_files_name_the_line)
{
    load_fails("engines = 4\nbogus = 1\n", ":2: unknown parameter 'bogus'");
    load_fails("\n\nengines = four\n", ":3: engines: 'four' is not an unsigned number");
    load_fails("engines = 0\n", ":1: engines = 0 is out of range");
    load_fails("engines = 4\nengines = 5\n", ":2: 'engines' given twice");
    load_fails("engines 4\n", ":1: expected 'key = value'");
    load_fails("engines = -1\n", ":1:");
    load_fails("engines = 99999999999999999999\n", ":1:");
    load_fails("tx_ring_size = 1000\n", "powers of two");
    load_fails("replay_window = 512\n", "exceeds max_replay_window");
    struct nicsim_params p;
    nicsim_params_default(&p);
    char err[256];
    cr_assert_eq(nicsim_params_load(&p, "/nonexistent/params", err, sizeof(err)), -1);
    cr_assert(strstr(err, "/nonexistent/params"));
}

/* test_trace.c - the VCD register dump and the per-block event trace of the model. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dut.h"
#include "pktgen.h"

static struct dut *traffic_dut(void)
{
    struct nicsim_params p;
    nicsim_params_default(&p);
    p.engines = 2;
    p.tx_ring_size = p.rx_ring_size = 64;
    char err[200];
    struct dut *d = dut_create(&p, err, sizeof(err));
    cr_assert(d, "%s", err);
    return d;
}

static void send(struct dut *d, unsigned npkts)
{
    struct nic_sa s = {.dir = NIC_SA_OUT, .offload = NIC_OFFLOAD_PACKET, .icv_len = 16,
                       .keymat_len = 20, .spi = 0x42};
    int h = nic_sa_add(d->nic, &s);
    cr_assert_geq(h, 0);
    struct pktgen g;
    pktgen_seed(&g, 3);
    uint8_t pkt[600];
    for (unsigned i = 0; i < npkts; i++) {
        size_t n = pktgen_ip(&g, pkt, 100 + 40 * i, false, 0, i);
        cr_assert_eq(dut_tx(d, pkt, n, h, 0, i), 0);
    }
    cr_assert(dut_run(d, 1000000));
}

Test(trace, vcd_names_values_and_changes)
{
    struct dut *d = traffic_dut();
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    cr_assert_eq(nic_trace_vcd(d->nic, f), 0);
    cr_assert_eq(nic_trace_vcd(d->nic, f), -EINVAL, "one dump per device");
    send(d, 5);
    fclose(f);
    cr_assert(strstr(buf, "$timescale 1ns $end"));
    cr_assert(strstr(buf, "$scope module nic_top $end"));
    cr_assert(strstr(buf, "$scope module u_gcm_tx $end"));
    cr_assert(strstr(buf, "$var wire 1 "), "1-bit signals");
    cr_assert(strstr(buf, " busy $end"));
    cr_assert(strstr(buf, " tx_out $end"));
    cr_assert(strstr(buf, "$enddefinitions $end"));
    /* the tx_out counter ends at 5: its last value change is binary 101 */
    char *id_at = strstr(buf, " tx_out $end");
    char *var = id_at;
    while (var > buf && strncmp(var, "$var", 4) != 0)
        var--;
    char id[8] = "";
    cr_assert_eq(sscanf(var, "$var wire 32 %7s tx_out", id), 1);
    char want[64];
    snprintf(want, sizeof(want), "b00000000000000000000000000000101 %s\n", id);
    char *last = NULL;
    for (char *s = strstr(buf, "b0"); s; s = strstr(s + 1, "b0")) {
        size_t n = strcspn(s, "\n");
        if (n > strlen(id) && strncmp(s + n - strlen(id), id, strlen(id)) == 0 &&
            s[n - strlen(id) - 1] == ' ')
            last = s;
    }
    cr_assert(last && strncmp(last, want, strlen(want)) == 0, "last tx_out value is 5");
    /* time stamps increase */
    uint64_t prev = 0;
    for (char *s = strchr(buf, '#'); s; s = strchr(s + 1, '#')) {
        if (s != buf && s[-1] != '\n')
            continue;
        uint64_t t = strtoull(s + 1, NULL, 10);
        cr_assert_geq(t, prev);
        prev = t;
    }
    cr_assert_gt(prev, 0);
    free(buf);
    dut_destroy(d);
}

static size_t count(const char *buf, const char *word)
{
    size_t n = 0;
    for (const char *s = strstr(buf, word); s; s = strstr(s + 1, word))
        n++;
    return n;
}

Test(trace, events_per_block)
{
    struct dut *d = traffic_dut();
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    cr_assert_eq(nic_trace_events(d->nic, f, "bogus"), -EINVAL);
    cr_assert_eq(nic_trace_events(d->nic, f, "esp_tx,tx_mac"), 0);
    send(d, 4);
    fflush(f);
    cr_assert_eq(count(buf, " esp_tx "), 4, "%s", buf);
    cr_assert_eq(count(buf, " tx_mac "), 4);
    cr_assert_eq(count(buf, " gcm_tx "), 0, "gcm_tx was not switched on");
    cr_assert(strstr(buf, "to engine"));
    cr_assert(strstr(buf, "sent"));
    cr_assert_eq(nic_trace_events(d->nic, f, "all"), 0);
    send(d, 2);
    fclose(f);
    cr_assert_eq(count(buf, " gcm_tx "), 4, "dispatch and done for 2 packets");
    free(buf);
    dut_destroy(d);
}

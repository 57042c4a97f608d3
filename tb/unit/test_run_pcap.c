/* test_run_pcap.c - `nicsim run --dir rx` on an ESP capture made by the golden library: the RX
 * card (through the driver shim) delivers every packet, equal to the plaintext the golden
 * library encapsulated. Uses the default scenario's SAs (cmd_run.c), so the script is the one
 * users run; runs the built binary as a user would.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "esp_golden.h"
#include "pcap_io.h"
#include "pktgen.h"

/* The default scenario's first SA (tb/cli/cmd_run.c): 192.0.2.1 -> 192.0.2.2, SPI 0x1001. */
static const uint8_t keymat[20] = {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09,
                                   0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11, 0x12, 0x13};

static const char *nicsim_bin(void)
{
    const char *env = getenv("NICSIM_BIN"); /* make test sets it to the profile's binary */
    if (env && access(env, X_OK) == 0)
        return env;
    static const char *const cands[] = {"build/bin/nicsim", "build/asan/bin/nicsim"};
    for (size_t i = 0; i < 2; i++)
        if (access(cands[i], X_OK) == 0)
            return cands[i];
    return NULL;
}

#define NPKT 50

Test(run_pcap, golden_esp_capture_decrypts_on_rx)
{
    const char *bin = nicsim_bin();
    cr_assert(bin, "build/bin/nicsim is not built");
    char in[] = "/tmp/nicsim_gold_XXXXXX", out[] = "/tmp/nicsim_rxout_XXXXXX";
    cr_assert_geq(mkstemp(in), 0);
    cr_assert_geq(mkstemp(out), 0);
    struct gold_sa sa;
    cr_assert_eq(gold_sa_init(&sa, keymat, sizeof(keymat), 0x1001, 16), GOLD_OK);
    char err[256];
    struct pcap_out *po = pcap_out_open(in, err, sizeof(err));
    cr_assert(po, "%s", err);
    static uint8_t plain[NPKT][1600];
    size_t plen[NPKT];
    struct pktgen g;
    pktgen_seed(&g, 9);
    for (int i = 0; i < NPKT; i++) {
        plen[i] = pktgen_ip(&g, plain[i], 64 + pktgen_below(&g, 1400), false, 0, (uint32_t)i);
        static const uint8_t src[4] = {192, 0, 2, 1}, dst[4] = {192, 0, 2, 2};
        memcpy(plain[i] + 12, src, 4);
        memcpy(plain[i] + 16, dst, 4);
        plain[i][10] = plain[i][11] = 0;
        uint32_t sum = 0;
        for (int k = 0; k < 20; k += 2)
            sum += (uint32_t)plain[i][k] << 8 | plain[i][k + 1];
        while (sum >> 16)
            sum = (sum & 0xffff) + (sum >> 16);
        plain[i][10] = (uint8_t)(~sum >> 8);
        plain[i][11] = (uint8_t)~sum;
        uint8_t iv[8], esp[1800];
        pktgen_bytes(&g, iv, 8);
        size_t elen;
        cr_assert_eq(gold_encap(&sa, (uint64_t)i + 1, iv, plain[i], plen[i], esp, sizeof(esp),
                                &elen),
                     GOLD_OK);
        cr_assert_eq(pcap_out_write(po, esp, elen, (uint64_t)i * 1000), 0);
    }
    pcap_out_close(po);

    char cmd[512];
    snprintf(cmd, sizeof(cmd), "%s run --dir rx --in %s --rx-out %s --quiet >/dev/null", bin, in,
             out);
    cr_assert_eq(system(cmd), 0, "%s failed", cmd);

    struct pcap_in *pi = pcap_in_open(out, err, sizeof(err));
    cr_assert(pi, "%s", err);
    const uint8_t *pkt;
    size_t len;
    int n = 0;
    while (pcap_in_next(pi, &pkt, &len, err, sizeof(err)) == 1) {
        cr_assert_lt(n, NPKT);
        cr_assert_eq(len, plen[n], "packet %d: %zu bytes, sent %zu", n, len, plen[n]);
        cr_assert(memcmp(pkt, plain[n], len) == 0, "packet %d differs from the plaintext", n);
        n++;
    }
    pcap_in_close(pi);
    cr_assert_eq(n, NPKT, "%d of %d packets delivered", n, NPKT);
    unlink(in);
    unlink(out);
}

/* bench.h - shared declarations of nicsim_bench, the benchmark program (the .c files in tb/bench/).
 *
 * The bench measures, per packet size, raw OpenSSL AES-128-GCM (the reference measured in the
 * same run), then the whole C model doing TX packet-offload ESP on the same packets in FAST and
 * in BIT data mode, and prints ratios. It is not a test: it never passes or fails on a figure;
 * it fails only when it cannot measure (setup error, or a model output that does not verify).
 *
 * Files: bench_main.c (options, sequence), bench_clock.c (wall clock), bench_traffic.c (packets
 * and key material), bench_openssl.c (reference), bench_model.c (the device through libdut),
 * bench_check.c (golden verification of model output), bench_report.c (table and JSON).
 */
#ifndef NICSIM_BENCH_H
#define NICSIM_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "esp_golden.h"

#define BENCH_MAX_SIZES 8
#define BENCH_NPKT 64u         /* distinct packets per size, used round-robin               */
#define BENCH_SPI 0x00000100u
#define BENCH_RUN_OPENSSL 1u
#define BENCH_RUN_FAST 2u
#define BENCH_RUN_BIT 4u
#define BENCH_RUN_ALL 7u

struct bench_opts {
    uint64_t min_packets;      /* --packets: at least this many packets per model run      */
    double min_time;           /* seconds per measurement (0.3 s; less with --quick)        */
    unsigned reps;             /* best of `reps` measurements                               */
    bool quick;
    const char *json;          /* --json FILE or NULL                                       */
    unsigned only;             /* --only: BENCH_RUN_* bits to measure (profiling); default all */
    unsigned nsizes;
    uint32_t sizes[BENCH_MAX_SIZES];
};

/* ---- bench_clock.c ---------------------------------------------------------------------- */
/* CLOCK_MONOTONIC in seconds. */
double bench_now(void);

/* ---- bench_traffic.c -------------------------------------------------------------------- */
/* BENCH_NPKT IPv4 UDP packets of exactly `size` bytes from pktgen, plus the AES-128 key
 * material (key || salt) both the reference and the model use. */
struct bench_traffic {
    uint32_t size;
    uint8_t *buf;              /* BENCH_NPKT * size bytes                                   */
    uint8_t keymat[20];
};
int bench_traffic_make(struct bench_traffic *t, uint32_t size, uint64_t seed);
void bench_traffic_free(struct bench_traffic *t);
/* Packet number i (any i; taken modulo BENCH_NPKT). */
const uint8_t *bench_traffic_pkt(const struct bench_traffic *t, uint64_t i);

/* ---- bench_openssl.c -------------------------------------------------------------------- */
struct bench_rate {
    double mbps;               /* plaintext bytes per second / 1e6                          */
    double pps;                /* packets per second                                        */
    uint64_t packets;          /* packets in the best measurement                           */
};
int bench_openssl(const struct bench_traffic *t, const struct bench_opts *o,
                  struct bench_rate *r, char *err, size_t errlen);

/* ---- bench_check.c ---------------------------------------------------------------------- */
/* The golden SA matching the model's TX SA (AES-128, ICV 16, transport, first SN 1). */
int bench_check_sa(const struct bench_traffic *t, struct gold_sa *sa);
/* Frame number k (0-based, in wire order) must equal gold_encap of packet k with SN k + 1 and
 * must decap back to that packet. 0, or -1 with a one-line reason. */
int bench_check_frame(const struct gold_sa *sa, const struct bench_traffic *t, uint64_t k,
                      const uint8_t *frame, size_t len, char *err, size_t errlen);

/* ---- bench_model.c ---------------------------------------------------------------------- */
struct bench_model {
    double mbps, pps;          /* host wall clock, plaintext (IP packet) bytes              */
    double wall_s;
    uint64_t packets;
    uint64_t cycles, steps;    /* simulated cycles and scheduler steps of the run            */
    double cycles_per_pkt, steps_per_pkt;
    double sim_gbps, sim_mpps; /* at params.clock_mhz                                        */
    double cycles_per_s;       /* simulated cycles per host second                          */
    double share_post;         /* of wall time: dut_tx (copy into host memory + doorbell)   */
    double share_run;          /* nic_run (the model; includes the wire-record callback)    */
    double share_reap;         /* completion reaping and freeing the harness's records     */
    uint64_t verified;         /* frames checked against the golden library (all runs)      */
};
/* data_mode 0 = FAST, 1 = BIT. clock_mhz/engines of the default parameters are returned. */
int bench_model_run(const struct bench_traffic *t, unsigned data_mode, const struct bench_opts *o,
                    struct bench_model *r, char *err, size_t errlen);
/* The device parameters the bench uses (defaults, data mode set by the caller). */
void bench_model_params(unsigned data_mode, unsigned *clock_mhz, unsigned *engines);

/* ---- bench_report.c --------------------------------------------------------------------- */
struct bench_row {
    uint32_t size;
    struct bench_rate ossl;
    struct bench_model fast, bit;
};
void bench_report_table(FILE *f, const struct bench_opts *o, const struct bench_row *rows,
                        unsigned n);
int bench_report_json(const char *path, const struct bench_opts *o, const struct bench_row *rows,
                      unsigned n, char *err, size_t errlen);

#endif

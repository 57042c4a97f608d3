/* bench.h - shared declarations of nicsim_bench, the benchmark program (the .c files in tb/bench/).
 *
 * The bench measures, per packet size, raw OpenSSL AES-128-GCM (the reference measured in the
 * same run) and the whole C model doing TX packet-offload ESP on the same packets in FAST and
 * in BIT data mode, and prints ratios. The measurements are taken in rounds, one of each kind
 * per round, back to back: a ratio compares two measurements a fraction of a second apart, and
 * the median over the rounds is reported (this machine's speed drifts by tens of percent over
 * seconds, which made best-of-N figures taken seconds apart disagree run to run). It is not a
 * test: it never passes or fails on a figure; it fails only when it cannot measure (setup
 * error, or a model output that does not verify).
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
#define BENCH_MAX_REPS 31
#define BENCH_NPKT 64u         /* distinct packets per size, used round-robin               */
#define BENCH_SPI 0x00000100u
#define BENCH_RUN_OPENSSL 1u
#define BENCH_RUN_FAST 2u
#define BENCH_RUN_BIT 4u
#define BENCH_RUN_ALL 7u

struct bench_opts {
    uint64_t min_packets;      /* --packets: at least this many packets per model run      */
    double min_time;           /* seconds per measurement (0.2 s; less with --quick)        */
    unsigned reps;             /* rounds: each takes one measurement of every kind          */
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
/* A keyed context, checked against the golden library on packet 0; NULL with a reason. */
struct bench_ossl;
struct bench_ossl *bench_openssl_open(const struct bench_traffic *t, char *err, size_t errlen);
/* One measurement of at least min_time seconds; 0, or -1 with a reason. */
int bench_openssl_measure(struct bench_ossl *b, double min_time, struct bench_rate *r,
                          char *err, size_t errlen);
void bench_openssl_close(struct bench_ossl *b);

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
/* A device with the bench's TX SA, data_mode 0 = FAST, 1 = BIT, after a warm-up measurement of
 * warm_time seconds; NULL with a reason in err (which the device keeps using: it must outlive
 * it). */
struct bench_dev;
struct bench_dev *bench_model_open(const struct bench_traffic *t, unsigned data_mode,
                                   double warm_time, char *err, size_t errlen);
/* One measurement: at least min_time seconds and min_packets packets, then the card drains.
 * 0, or -1 with the reason in the err given to open. */
int bench_model_measure(struct bench_dev *m, double min_time, uint64_t min_packets,
                        struct bench_model *r);
/* Frames checked against the golden library so far, over all measurements. */
uint64_t bench_model_verified(const struct bench_dev *m);
void bench_model_close(struct bench_dev *m);
/* The device parameters the bench uses (defaults, data mode set by the caller). */
void bench_model_params(unsigned data_mode, unsigned *clock_mhz, unsigned *engines);

/* ---- bench_report.c --------------------------------------------------------------------- */
/* Best (highest MB/s) measurement of each kind, and the ratios of the measurements taken in
 * the same round: the median of the rounds and their range. */
struct bench_spread {
    double median, lo, hi;
};
struct bench_row {
    uint32_t size;
    struct bench_rate ossl;
    struct bench_model fast, bit;
    struct bench_spread fast_vs_ossl; /* FAST MB/s / OpenSSL MB/s, same round               */
    struct bench_spread bit_vs_fast;  /* BIT cycles/s / FAST cycles/s, same round           */
    uint64_t verified;                /* frames verified, FAST + BIT                         */
};
void bench_report_table(FILE *f, const struct bench_opts *o, const struct bench_row *rows,
                        unsigned n);
int bench_report_json(const char *path, const struct bench_opts *o, const struct bench_row *rows,
                      unsigned n, char *err, size_t errlen);

#endif

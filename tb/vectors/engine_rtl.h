/* engine_rtl.h - the `rtl` engine's parts (internal to libvec): the Verilated models run as
 * separate C++ programs (make cosim-build), each a child process spoken to over two pipes one
 * line at a time. engine_rtl.c: raw GCM through cosim_gcm_engine --serve; engine_rtl_esp.c:
 * ESP records through cosim_top --serve (the pipeline top rtl/crypto_top.v, stimulus records
 * in, transactions out; tb/cosim/top.cpp).
 */
#ifndef NICSIM_ENGINE_RTL_H
#define NICSIM_ENGINE_RTL_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#include "esp_golden.h"

struct rtl_child {
    pid_t pid;
    FILE *to;   /* request lines */
    FILE *from; /* answer lines */
    char *line; /* getline buffer */
    size_t cap;
};

/* Start build/cosim/bin/<prog> <arg> ($NICSIM_COSIM_DIR overrides the directory). 0, or -1
 * with one line on stderr (the program is missing: run make cosim-build). */
int rtl_child_start(struct rtl_child *c, const char *prog, const char *arg);
void rtl_child_stop(struct rtl_child *c);

struct rtl_ctx {
    struct rtl_child gcm; /* cosim_gcm_engine --serve                                      */
    struct rtl_child esp; /* cosim_top --serve                                             */
    unsigned serial;      /* SA names of ESP records                                       */
    bool esp_dead;        /* cosim_top ended (it stops at a record the RTL refused)         */
};

int rtl_esp_seal(void *ctx, const struct gold_sa *sa, uint64_t sn, const uint8_t iv[8],
                 const uint8_t *payload, size_t payload_len, uint8_t next_header, uint8_t *esp,
                 size_t esp_cap, size_t *esp_len);
int rtl_esp_open(void *ctx, const struct gold_sa *sa, uint32_t seq_hi, const uint8_t *esp,
                 size_t esp_len, uint8_t *payload, size_t payload_cap, size_t *payload_len,
                 uint8_t *next_header, uint32_t *sn_low);
int rtl_encap(void *ctx, const struct gold_sa *sa, uint64_t sn, const uint8_t iv[8],
              const uint8_t *pkt, size_t pkt_len, uint8_t *out, size_t out_cap, size_t *out_len);
int rtl_decap(void *ctx, const struct gold_sa *sa, uint32_t seq_hi, const uint8_t *pkt,
              size_t pkt_len, uint8_t *out, size_t out_cap, size_t *out_len);

#endif

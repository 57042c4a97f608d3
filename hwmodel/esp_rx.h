/* esp_rx.h - the RX stages around the engines.
 *
 * esp_rx (before the engines): parse, SA CAM lookup on (SPI, 50, daddr, v6), then
 *   - packet offload SA: anti-replay check (RFC 4303 A: before decryption; no state change),
 *     SN high half inferred (A2.2); a replayed or too old packet is dropped here;
 *   - crypto offload SA: SN high half inferred from the driver-advanced state (advance_esn);
 *   and the GCM job set-up (decrypt in place). Packets that are not ESP, fragments and
 *   unsupported extension chains go to the host unprocessed; ESP without an SA goes to the host
 *   unprocessed in crypto offload mode (the stack decrypts in software) and is dropped (no_sa)
 *   in packet offload mode (params.offload_mode); malformed packets are dropped (bad_syntax).
 *   Timing: parser_cycles() per packet (the parser's throughput), offered to the pool after
 *   parser_cycles + cam_latency + ESN_CHECK_CYCLES.
 * esp_rx_post (after the engines, in arrival order): crypto offload: status CRYPTO_SUCCESS or
 *   *_ESP_AUTH_FAILED with CRYPTO_DONE, headers and ICV left in place; packet offload: a bad
 *   ICV is dropped, the window is updated (after the ICV verified, RFC 4303 s3.4.3), the
 *   trailer checked and ESP removed. Timing: ESN_UPDATE_CYCLES + 1 per packet.
 */
#ifndef NICSIM_ESP_RX_H
#define NICSIM_ESP_RX_H

#include "fifo.h"
#include "gcm_unit.h"
#include "nic_ctx.h"
#include "pkt_pool.h"

struct esp_rx {
    struct nic_ctx *ctx;
    struct pkt_pool *pool;
    struct gcm_job *jobs;
    struct fifo *in, *out;
    struct { uint64_t busy_until; } q, d;
    struct pkt *take;
    struct parser_result take_pr;
    uint64_t now_e;
};

void esp_rx_init(struct esp_rx *r, struct nic_ctx *ctx, struct pkt_pool *pool,
                 struct gcm_job *jobs, struct fifo *in, struct fifo *out);
void esp_rx_eval(void *self, uint64_t now);
void esp_rx_commit(void *self);
uint64_t esp_rx_next_event(const void *self, uint64_t now);

struct esp_rx_post {
    struct nic_ctx *ctx;
    struct fifo *in, *out;
    struct pkt *take;
    uint64_t now_e;
};

void esp_rx_post_init(struct esp_rx_post *r, struct nic_ctx *ctx, struct fifo *in,
                      struct fifo *out);
void esp_rx_post_eval(void *self, uint64_t now);
void esp_rx_post_commit(void *self);
uint64_t esp_rx_post_next_event(const void *self, uint64_t now);

#endif

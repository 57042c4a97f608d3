/* esp_tx.h - the TX header stage: SA lookup by offload handle, parse, sequence number, ESP
 * header/trailer (packet offload) or extent check (crypto offload), GCM job set-up.
 *
 * Ports: `in` (struct pkt * from dma, in descriptor order), `out` (to the TX gcm_pool).
 * A packet without NIC_TXF_IPSEC passes untouched (no job). A dropped packet (pkt->drop set)
 * travels on without a job so that its completion stays in order.
 * Timing: the stage takes a packet when its parser is free; the parser is busy parser_cycles()
 * cycles per packet (pipelined behind it: CAM read, SN assignment, header insert), and the
 * packet is offered to the pool after parser_cycles + cam_latency + ESP_TX_EXTRA cycles.
 */
#ifndef NICSIM_ESP_TX_H
#define NICSIM_ESP_TX_H

#include "fifo.h"
#include "gcm_unit.h"
#include "nic_ctx.h"
#include "pkt_pool.h"

#define ESP_TX_EXTRA 2u /* SN read-modify-write and header insert, cycles */

struct esp_tx {
    struct nic_ctx *ctx;
    struct pkt_pool *pool;
    struct gcm_job *jobs;       /* one per packet buffer, by pkt_pool_index() */
    struct fifo *in, *out;
    struct { uint64_t busy_until; } q, d;
    struct pkt *take;           /* commit action: the packet taken this cycle */
    /* its CAM entry as eval read it, NULL for none: commit acts on the lookup that eval timed.
     * The host writes the tables between steps and fw_cpu at its commit, which comes after
     * this block's (registration order), so a second lookup at commit would return the same. */
    const struct sa_cam_tx_entry *take_sa;
    struct parser_result take_pr;
    uint64_t now_e;
    bool moved;                 /* the last commit moved in/out (a packet was taken)   */
};

void esp_tx_init(struct esp_tx *t, struct nic_ctx *ctx, struct pkt_pool *pool,
                 struct gcm_job *jobs, struct fifo *in, struct fifo *out);
void esp_tx_eval(void *self, uint64_t now);
void esp_tx_commit(void *self);
uint64_t esp_tx_next_event(const void *self, uint64_t now);
/* Neighbour filter (sim_set_neighbour_filter): a take moves both FIFOs (in: dma.tx_out, out: the
 * gcm pool's input) at once, and nothing else this block's neighbours read changes; so after a
 * step without a take no neighbour needs a refresh, after one all of adj (its two peers). */
static inline uint32_t esp_tx_filter(const struct esp_tx *t, uint32_t adj)
{
    return t->moved ? adj : 0;
}
/* Whole step when due alone (sim_set_step): eval, commit, esp_tx_filter, next event. */
uint64_t esp_tx_step(void *self, uint64_t now, uint32_t adj, uint32_t *nbrs);

#endif

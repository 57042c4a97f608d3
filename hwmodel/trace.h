/* trace.h - observability of the model: a VCD dump of registers under the names the RTL uses,
 * and a per-block event trace.
 *
 * VCD: blocks' registers are probed (a pointer to the q value, its size and bit width) under a
 * hierarchical name (`nic_top.u_gcm_tx.u_unit0.busy`); after every executed clock step the dump
 * writes the values that changed. Skipped idle cycles change nothing, so they cost nothing in
 * the file either; GTKWave shows the time axis in cycles (timescale 1 ns per cycle is written as
 * `$timescale 1ns`, i.e. read the axis as cycles).
 * Events: one line per event, `cycle block: text`, for the blocks switched on (a bit mask of
 * enum trace_block); each block emits at its decisions (packet taken, job dispatched, dropped
 * with reason, sent, delivered).
 * A trace belongs to one device; nothing here is global.
 */
#ifndef NICSIM_TRACE_H
#define NICSIM_TRACE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

enum trace_block {
    TRACE_DMA = 0,
    TRACE_ESP_TX,
    TRACE_GCM_TX,
    TRACE_TX_MAC,
    TRACE_RX_MAC,
    TRACE_ESP_RX,
    TRACE_GCM_RX,
    TRACE_ESP_RX_POST,
    TRACE_NBLOCKS
};

#define TRACE_MAX_PROBES 256

struct trace_probe {
    char name[64];
    const void *ptr;
    uint8_t size;  /* bytes read at ptr: 1, 2, 4, 8 */
    uint8_t width; /* bits shown */
    uint64_t last;
};

struct trace {
    FILE *vcd;
    unsigned nprobes;
    struct trace_probe probes[TRACE_MAX_PROBES];
    bool vcd_header_done;
    FILE *events;
    uint32_t event_mask; /* bit per enum trace_block */
};

/* The block's name in event lines and in the `blocks` list of trace_parse_mask(). */
const char *trace_block_name(enum trace_block b);
/* "all", or a comma list of block names -> mask; -1 on an unknown name. */
int64_t trace_parse_mask(const char *list);

void trace_init(struct trace *t);
/* Register a probe before the first sample. 0, or -1 when the table is full. */
int trace_probe(struct trace *t, const char *name, const void *ptr, unsigned size,
                unsigned width);
/* Write the header and initial values (first call) or the changes since the last sample. */
void trace_sample(struct trace *t, uint64_t cycle);
void trace_event(struct trace *t, enum trace_block b, uint64_t cycle, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static inline bool trace_on(const struct trace *t, enum trace_block b)
{
    return t && t->events && (t->event_mask >> b & 1u);
}

#endif

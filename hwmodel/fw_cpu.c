/* fw_cpu.c - the control CPU block (contract and timing in fw_cpu.h). */
#include "fw_cpu.h"

#include <string.h>

#include "../firmware/fw.h"
#include "sim.h"

#define MBOX_IS_KEY(r) ((r) >= NICSIM_MBOX_KEY0 && (r) <= NICSIM_MBOX_KEY8)
#define MBOX_IS_RESP(r) ((r) >= NICSIM_MBOX_RESP0 && (r) <= NICSIM_MBOX_RESP3)

void fw_cpu_init(struct fw_cpu *f, const struct nicsim_params *p, struct sa_csr *sat,
                 uint32_t (*top_rd)(void *ctx, uint32_t reg), void *top_ctx)
{
    memset(f, 0, sizeof(*f));
    f->p = p;
    f->sat = sat;
    f->top_rd = top_rd;
    f->top_ctx = top_ctx;
}

void fw_cpu_destroy(struct fw_cpu *f)
{
    explicit_bzero(f->mbox, sizeof(f->mbox));
}

/* ---- host side --------------------------------------------------------------------------- */

uint32_t fw_cpu_host_read(const struct fw_cpu *f, uint32_t reg)
{
    if (reg == NICSIM_MBOX_STATUS)
        return f->q.status;
    if (MBOX_IS_RESP(reg))
        return f->q.resp[reg - NICSIM_MBOX_RESP0];
    if (reg >= NICSIM_MBOX_NREGS || MBOX_IS_KEY(reg))
        return 0;
    return f->mbox[reg];
}

static bool busy(const struct fw_cpu *f)
{
    return (f->q.status & NICSIM_MBOX_STATUS_BUSY_MASK) != 0;
}

void fw_cpu_host_write(struct fw_cpu *f, uint32_t reg, uint32_t value)
{
    if (reg >= NICSIM_MBOX_NREGS || reg == NICSIM_MBOX_STATUS || MBOX_IS_RESP(reg))
        return;
    if (reg == NICSIM_MBOX_DOORBELL && (value & 1u)) {
        /* The firmware samples CMD/ARG/KEY when it starts: a second command cannot be
         * queued behind a running one, so it is refused rather than silently merged. */
        if (busy(f)) {
            f->refused++;
            return;
        }
        f->q.status = NICSIM_MBOX_STATUS_BUSY_MASK;
        f->q.pending = true;
    }
    f->mbox[reg] = value;
}

bool fw_cpu_cause(const struct fw_cpu *f)
{
    return f->q.cause;
}

void fw_cpu_cause_clear(struct fw_cpu *f)
{
    f->q.cause = false;
}

/* ---- card side: the bus behind the firmware's HAL ---------------------------------------- */

static bool in_block(uint32_t addr, uint32_t base, uint32_t nregs)
{
    return addr >= base && addr < base + 4u * nregs && !(addr & 3u);
}

static uint32_t bus_rd(void *ctx, uint32_t addr)
{
    struct fw_cpu *f = ctx;
    f->accesses++;
    if (in_block(addr, NICSIM_TOP_BASE, NICSIM_TOP_NREGS))
        return f->top_rd(f->top_ctx, (addr - NICSIM_TOP_BASE) / 4);
    if (in_block(addr, NICSIM_MBOX_BASE, NICSIM_MBOX_NREGS)) {
        uint32_t reg = (addr - NICSIM_MBOX_BASE) / 4;
        return MBOX_IS_RESP(reg) ? f->d.resp_next[reg - NICSIM_MBOX_RESP0]
               : reg == NICSIM_MBOX_STATUS ? f->q.status
                                           : f->mbox[reg]; /* KEY* readable on this side */
    }
    if (in_block(addr, NICSIM_SAT_BASE, NICSIM_SAT_NREGS))
        return sa_csr_read(f->sat, (addr - NICSIM_SAT_BASE) / 4);
    f->bus_errors++;
    return 0;
}

static void bus_wr(void *ctx, uint32_t addr, uint32_t v)
{
    struct fw_cpu *f = ctx;
    f->accesses++;
    if (in_block(addr, NICSIM_MBOX_BASE, NICSIM_MBOX_NREGS)) {
        uint32_t reg = (addr - NICSIM_MBOX_BASE) / 4;
        if (MBOX_IS_RESP(reg))
            f->d.resp_next[reg - NICSIM_MBOX_RESP0] = v;
        else if (MBOX_IS_KEY(reg))
            f->mbox[reg] = v; /* scrubbing */
        else
            f->bus_errors++; /* CMD/ARG belong to the host, STATUS to this block */
        return;
    }
    if (in_block(addr, NICSIM_SAT_BASE, NICSIM_SAT_NREGS)) {
        sa_csr_write(f->sat, (addr - NICSIM_SAT_BASE) / 4, v);
        return;
    }
    f->bus_errors++; /* TOP is read-only to the firmware */
}

static void bus_spend(void *ctx, uint32_t cycles)
{
    struct fw_cpu *f = ctx;
    f->spent += cycles;
}

/* ---- the clocked block ------------------------------------------------------------------- */

void fw_cpu_eval(void *self, uint64_t now)
{
    struct fw_cpu *f = self;
    f->d = f->q;
    f->now_e = now;
    f->start_e = false;
    if (f->q.pending) {
        f->d.pending = false;
        f->start_e = true;
    } else if (f->q.running && now >= f->q.done_at) {
        f->d.running = false;
        f->d.status = NICSIM_MBOX_STATUS_DONE_MASK |
                      (f->q.code << NICSIM_MBOX_STATUS_CODE_LSB & NICSIM_MBOX_STATUS_CODE_MASK);
        memcpy(f->d.resp, f->q.resp_next, sizeof(f->d.resp));
        f->d.cause = true;
    }
}

/* The firmware runs at the clock edge: its CSR writes are table writes, which belong in a
 * commit. Its results wait in resp_next / code until the cost has been charged. */
static void run_firmware(struct fw_cpu *f)
{
    struct fw_hal hal = {f, bus_rd, bus_wr, bus_spend};
    memset(f->d.resp_next, 0, sizeof(f->d.resp_next));
    f->accesses = f->spent = 0;
    f->d.code = fw_mailbox_service(&hal);
    uint64_t cost = f->p->fw_cmd_cycles + f->p->fw_csr_cycles * f->accesses + f->spent;
    f->d.running = true;
    f->d.done_at = f->now_e + cost;
    f->commands++;
}

void fw_cpu_commit(void *self)
{
    struct fw_cpu *f = self;
    if (f->start_e)
        run_firmware(f);
    f->start_e = false;
    f->q = f->d;
}

uint64_t fw_cpu_next_event(const void *self, uint64_t now)
{
    const struct fw_cpu *f = self;
    if (f->q.pending)
        return now;
    if (f->q.running)
        return f->q.done_at > now ? f->q.done_at : now;
    return SIM_NEVER;
}

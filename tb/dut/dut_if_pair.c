/* dut_if_pair.c - the lock-step pair at transaction level (contract in dut_if.h): every command
 * goes to both DUTs, every result and every transaction is compared; the first difference
 * stops the pair (sample returns -EPROTO, last_error names the command or transaction, the
 * field, the expected (a) and the actual (b) value). */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dut_if.h"

struct pair {
    struct dut_if *a, *b;
    struct dut_txn ta, tb;
    bool has_a, has_b, failed;
    uint64_t ncmd, ntxn;
};

int dut_txn_diff(const struct dut_txn *a, const struct dut_txn *b, char *why, size_t whylen)
{
#define FIELD(f, fmt)                                                                          \
    if (a->f != b->f) {                                                                        \
        snprintf(why, whylen, #f " expected " fmt " actual " fmt, a->f, b->f);                 \
        return 1;                                                                              \
    }
    FIELD(tx, "%d")
    FIELD(drop, "%d")
    FIELD(status, "%u")
    FIELD(flags, "0x%02x")
    FIELD(handle, "%d")
    FIELD(seq_hi, "%" PRIu32)
    FIELD(len, "%zu")
#undef FIELD
    for (size_t i = 0; i < a->len; i++)
        if (a->frame[i] != b->frame[i]) {
            snprintf(why, whylen, "frame byte %zu of %zu expected %02x actual %02x", i, a->len,
                     a->frame[i], b->frame[i]);
            return 1;
        }
    return 0;
}

static int fail(struct dut_if *di, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(struct dut_if *di, const char *fmt, ...)
{
    struct pair *p = di->priv;
    va_list ap;
    va_start(ap, fmt);
    if (!p->failed)
        vsnprintf(di->last_error, sizeof di->last_error, fmt, ap);
    va_end(ap);
    p->failed = true;
    return -EPROTO;
}

static int reset(struct dut_if *di)
{
    struct pair *p = di->priv;
    int ra = p->a->reset(p->a), rb = p->b->reset(p->b);
    p->has_a = p->has_b = false;
    if (ra != rb)
        return fail(di, "reset: %s returned %d, %s %d", p->a->name, ra, p->b->name, rb);
    return ra;
}

static const char *kind_name(enum dut_cmd_kind k)
{
    static const char *const n[] = {"sa add", "sa del", "esn advance", "tx", "rx"};
    return n[k];
}

static int drive(struct dut_if *di, const struct dut_cmd *c)
{
    struct pair *p = di->priv;
    if (p->failed)
        return -EPROTO;
    if ((c->kind == DUT_TX || c->kind == DUT_RX) && (p->has_a || p->has_b))
        return -EAGAIN; /* one packet in flight at a time: the transactions line up */
    p->ncmd++;
    int ra = p->a->drive(p->a, c);
    int rb = p->b->drive(p->b, c);
    if (ra != rb)
        return fail(di, "command %" PRIu64 " (%s): %s returned %d, %s returned %d", p->ncmd,
                    kind_name(c->kind), p->a->name, ra, p->b->name, rb);
    return ra;
}

static bool tick(struct dut_if *di, uint64_t max_cycles)
{
    struct pair *p = di->priv;
    bool ia = p->a->tick(p->a, max_cycles);
    bool ib = p->b->tick(p->b, max_cycles);
    return ia && ib;
}

static int sample(struct dut_if *di, struct dut_txn *t)
{
    struct pair *p = di->priv;
    if (p->failed)
        return -EPROTO;
    if (!p->has_a) {
        int r = p->a->sample(p->a, &p->ta);
        if (r < 0)
            return fail(di, "%s: %s", p->a->name, p->a->last_error);
        p->has_a = r == 1;
    }
    if (!p->has_b) {
        int r = p->b->sample(p->b, &p->tb);
        if (r < 0)
            return fail(di, "%s: %s", p->b->name, p->b->last_error);
        p->has_b = r == 1;
    }
    if (!p->has_a || !p->has_b)
        return 0;
    p->has_a = p->has_b = false;
    p->ntxn++;
    char why[256];
    if (dut_txn_diff(&p->ta, &p->tb, why, sizeof why))
        return fail(di, "transaction %" PRIu64 " (%s): %s (expected = %s, actual = %s)", p->ntxn,
                    p->ta.tx ? "tx" : "rx", why, p->a->name, p->b->name);
    *t = p->ta;
    return 1;
}

static uint64_t cycle(const struct dut_if *di)
{
    const struct pair *p = di->priv;
    return p->b->cycle(p->b);
}

static void destroy(struct dut_if *di)
{
    if (!di)
        return;
    struct pair *p = di->priv;
    p->a->destroy(p->a);
    p->b->destroy(p->b);
    free(p);
    free(di);
}

struct dut_if *dut_if_pair_create(struct dut_if *a, struct dut_if *b, char *err, size_t errlen)
{
    struct dut_if *di = calloc(1, sizeof *di);
    struct pair *p = calloc(1, sizeof *p);
    if (!di || !p) {
        snprintf(err, errlen, "out of memory");
        free(di);
        free(p);
        return NULL;
    }
    p->a = a;
    p->b = b;
    di->name = "pair";
    di->priv = p;
    di->reset = reset;
    di->drive = drive;
    di->tick = tick;
    di->sample = sample;
    di->cycle = cycle;
    di->destroy = destroy;
    return di;
}

/* stim_run.c - the stimulus runner (contract in stim_run.h). */
#include "stim_run.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "stim.h"

#define SLICE 4096u

/* SA name -> (direction, handle) of this DUT. */
struct sa_name {
    char name[STIM_NAME_MAX];
    int dir, handle;
};

struct runner {
    struct dut_if *d;
    const struct stim_run_opts *o;
    struct stim_run_result *r;
    struct sa_name *names;
    size_t nnames, cap;
    struct dut_txn txn;      /* the last packet's transaction                             */
    bool has_txn;
    unsigned long txn_line;
};

static int stop(struct runner *x, int code, unsigned long line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int stop(struct runner *x, int code, unsigned long line, const char *fmt, ...)
{
    char msg[560];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(x->r->error, sizeof x->r->error, "%lu: %s", line, msg);
    return code;
}

static struct sa_name *find(struct runner *x, const char *name)
{
    for (size_t i = 0; i < x->nnames; i++)
        if (!strcmp(x->names[i].name, name))
            return &x->names[i];
    return NULL;
}

static const char *handle_name(struct runner *x, bool tx, int handle)
{
    for (size_t i = 0; i < x->nnames; i++)
        if (x->names[i].handle == handle && x->names[i].dir == (tx ? NIC_SA_OUT : NIC_SA_IN))
            return x->names[i].name;
    return "-";
}

static int do_sa(struct runner *x, const struct stim_rec *rec)
{
    if (find(x, rec->name))
        return stop(x, 2, rec->line, "SA name '%s' is in use", rec->name);
    struct dut_cmd c = {.kind = DUT_SA_ADD, .sa = &rec->sa};
    int rc = x->d->drive(x->d, &c);
    x->r->sa_ops++;
    if (x->o && x->o->trace) {
        fprintf(x->o->trace, "line %lu sa %s: %s handle %d\n", rec->line, rec->name,
                rc < 0 ? stim_errno_name(rc) : "ok", rc < 0 ? -1 : rc);
        fflush(x->o->trace);
    }
    if (rc == -EPROTO)
        return stop(x, 1, rec->line, "%s", x->d->last_error);
    int want = rec->has_sa_result ? rec->sa_result : 0;
    if ((rc < 0 ? rc : 0) != want)
        return stop(x, 1, rec->line, "sa %s: result %s, expected %s", rec->name,
                    rc < 0 ? stim_errno_name(rc) : "ok", stim_errno_name(want));
    if (rc < 0)
        return 0;
    if (x->nnames == x->cap) {
        size_t cap = x->cap ? 2 * x->cap : 64;
        struct sa_name *n = realloc(x->names, cap * sizeof *n);
        if (!n)
            return stop(x, 1, rec->line, "out of memory");
        x->names = n;
        x->cap = cap;
    }
    struct sa_name *n = &x->names[x->nnames++];
    snprintf(n->name, sizeof n->name, "%s", rec->name);
    n->dir = rec->sa.dir;
    n->handle = rc;
    return 0;
}

static int do_ctl(struct runner *x, const struct stim_rec *rec)
{
    struct sa_name *n = find(x, rec->name);
    if (!n)
        return stop(x, 2, rec->line, "unknown SA '%s'", rec->name);
    struct dut_cmd c = {.kind = rec->kind == STIM_DEL ? DUT_SA_DEL : DUT_ESN,
                        .dir = n->dir, .handle = n->handle, .hi = rec->hi, .bottom = rec->bottom};
    int rc = x->d->drive(x->d, &c);
    x->r->sa_ops++;
    if (rc == -EPROTO)
        return stop(x, 1, rec->line, "%s", x->d->last_error);
    if (rc)
        return stop(x, 1, rec->line, "%s %s: %s", rec->kind == STIM_DEL ? "del" : "esn",
                    rec->name, stim_errno_name(rc));
    if (rec->kind == STIM_DEL)
        *n = x->names[--x->nnames];
    return 0;
}

static int do_packet(struct runner *x, const struct stim_rec *rec)
{
    struct dut_cmd c = {.kind = rec->kind == STIM_TX ? DUT_TX : DUT_RX, .handle = -1,
                        .seq_hi = rec->seq_hi, .frame = rec->frame, .len = rec->frame_len};
    if (rec->kind == STIM_TX && strcmp(rec->name, "-")) {
        struct sa_name *n = find(x, rec->name);
        if (!n)
            return stop(x, 2, rec->line, "unknown SA '%s'", rec->name);
        c.handle = n->handle;
    }
    uint64_t max = x->o && x->o->max_cycles ? x->o->max_cycles : 1000000u, spent = 0;
    int rc;
    while ((rc = x->d->drive(x->d, &c)) == -EAGAIN && spent < max) {
        x->d->tick(x->d, SLICE);
        spent += SLICE;
    }
    if (rc)
        return stop(x, 1, rec->line, "%s", rc == -EPROTO ? x->d->last_error
                                            : rc == -EAGAIN ? "the DUT never took the packet"
                                                            : strerror(-rc));
    x->r->packets++;
    for (spent = 0;; spent += SLICE) {
        rc = x->d->sample(x->d, &x->txn);
        if (rc)
            break;
        if (spent >= max)
            return stop(x, 1, rec->line, "no transaction %" PRIu64 " cycles after the packet",
                        spent);
        x->d->tick(x->d, SLICE);
    }
    if (rc < 0)
        return stop(x, 1, rec->line, "%s", x->d->last_error);
    x->has_txn = true;
    x->txn_line = rec->line;
    if (x->txn.drop)
        x->r->dropped++;
    else
        x->r->delivered++;
    if (x->o && x->o->trace)
        fprintf(x->o->trace, "line %lu %s: %s status %u flags 0x%02x handle %s seq_hi %" PRIu32
                " len %zu latency %" PRIu64,
                rec->line, x->txn.tx ? "tx" : "rx",
                x->txn.drop ? nic_drop_name((enum nic_drop)x->txn.drop) : "ok", x->txn.status,
                x->txn.flags, handle_name(x, x->txn.tx, x->txn.handle), x->txn.seq_hi,
                x->txn.len, x->txn.latency);
    if (x->o && x->o->trace) {
        if (x->o->trace_frames) {
            fputs(" frame=", x->o->trace);
            for (size_t i = 0; i < x->txn.len; i++)
                fprintf(x->o->trace, "%02x", x->txn.frame[i]);
        }
        fputc('\n', x->o->trace);
        fflush(x->o->trace);
    }
    return 0;
}

static int do_expect(struct runner *x, const struct stim_rec *rec)
{
    const struct stim_expect *e = &rec->exp;
    const struct dut_txn *t = &x->txn;
    if (!x->has_txn)
        return stop(x, 2, rec->line, "expect without a tx/rx record before it");
    x->r->expects++;
    int drop = e->has_drop ? e->drop : NIC_DROP_NONE;
    if (t->drop != drop)
        return stop(x, 1, rec->line, "expected %s, got %s", nic_drop_name((enum nic_drop)drop),
                    nic_drop_name((enum nic_drop)t->drop));
    if (e->has_status && t->status != e->status)
        return stop(x, 1, rec->line, "status %u, expected %u", t->status, e->status);
    if (e->has_flags && t->flags != e->flags)
        return stop(x, 1, rec->line, "flags 0x%02x, expected 0x%02x", t->flags, e->flags);
    if (e->has_seq_hi && t->seq_hi != e->seq_hi)
        return stop(x, 1, rec->line, "seq_hi %" PRIu32 ", expected %" PRIu32, t->seq_hi,
                    e->seq_hi);
    if (e->has_handle) {
        const char *got = handle_name(x, t->tx, t->handle);
        if (strcmp(got, e->handle))
            return stop(x, 1, rec->line, "handle %s, expected %s", got, e->handle);
    }
    if (e->has_frame) {
        if (t->len != e->frame_len)
            return stop(x, 1, rec->line, "frame of %zu bytes, expected %zu", t->len,
                        e->frame_len);
        for (size_t i = 0; i < t->len; i++)
            if (t->frame[i] != e->frame[i])
                return stop(x, 1, rec->line, "frame byte %zu: %02x, expected %02x", i,
                            t->frame[i], e->frame[i]);
    }
    return 0;
}

static int one(struct runner *x, const struct stim_rec *rec)
{
    switch (rec->kind) {
    case STIM_SA:
        return do_sa(x, rec);
    case STIM_DEL:
    case STIM_ESN:
        return do_ctl(x, rec);
    case STIM_TX:
    case STIM_RX:
        return do_packet(x, rec);
    case STIM_EXPECT:
        return do_expect(x, rec);
    case STIM_IDLE:
        x->d->tick(x->d, rec->idle);
        return 0;
    }
    return 0;
}

int stim_run(FILE *in, struct dut_if *d, const struct stim_run_opts *o, struct stim_run_result *r)
{
    memset(r, 0, sizeof *r);
    struct runner x = {.d = d, .o = o, .r = r};
    unsigned long line = 0;
    int rc = 0;
    for (;;) {
        struct stim_rec rec;
        char err[320];
        int got = stim_read(in, &line, &rec, err, sizeof err);
        if (got == 0)
            break;
        if (got < 0) {
            snprintf(r->error, sizeof r->error, "%s", err);
            rc = 2;
            break;
        }
        r->records++;
        rc = one(&x, &rec);
        stim_rec_free(&rec);
        if (rc)
            break;
    }
    r->cycles = d->cycle(d);
    free(x.names);
    return rc;
}

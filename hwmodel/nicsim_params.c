/* nicsim_params.c - defaults, range checks and the `key = value` loader for params.def. */
#include "nicsim/nicsim_params.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

struct param_desc {
    const char *name;
    size_t offset;
    uint32_t def, min, max;
    const char *unit, *doc;
};

static const struct param_desc param_table[] = {
#define X(name, def, min, max, unit, doc)                                                      \
    {#name, offsetof(struct nicsim_params, name), def, min, max, unit, doc},
#include "nicsim/params.def"
#undef X
};
#define NPARAMS (sizeof(param_table) / sizeof(param_table[0]))

static uint32_t *field(struct nicsim_params *p, const struct param_desc *d)
{
    return (uint32_t *)((char *)p + d->offset);
}

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (err && errlen)
        vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return -1;
}

void nicsim_params_default(struct nicsim_params *p)
{
    for (size_t i = 0; i < NPARAMS; i++)
        *field(p, &param_table[i]) = param_table[i].def;
}

static bool is_pow2(uint32_t v)
{
    return v && !(v & (v - 1));
}

int nicsim_params_check(const struct nicsim_params *p, char *err, size_t errlen)
{
    for (size_t i = 0; i < NPARAMS; i++) {
        const struct param_desc *d = &param_table[i];
        uint32_t v = *field((struct nicsim_params *)p, d);
        if (v < d->min || v > d->max)
            return fail(err, errlen, "%s = %u is out of range [%u, %u]", d->name, v, d->min,
                        d->max);
    }
    if (!is_pow2(p->tx_ring_size) || !is_pow2(p->rx_ring_size))
        return fail(err, errlen, "tx_ring_size and rx_ring_size must be powers of two");
    if (p->replay_window % 32 || p->max_replay_window % 32)
        return fail(err, errlen, "replay_window and max_replay_window must be multiples of 32");
    if (p->replay_window > p->max_replay_window)
        return fail(err, errlen, "replay_window = %u exceeds max_replay_window = %u",
                    p->replay_window, p->max_replay_window);
    return 0;
}

int nicsim_params_set(struct nicsim_params *p, const char *key, const char *value, char *err,
                      size_t errlen)
{
    for (size_t i = 0; i < NPARAMS; i++) {
        const struct param_desc *d = &param_table[i];
        if (strcmp(d->name, key) != 0)
            continue;
        char *end;
        errno = 0;
        if (!isdigit((unsigned char)value[0]))
            return fail(err, errlen, "%s: '%s' is not an unsigned number", key, value);
        unsigned long long v = strtoull(value, &end, 0);
        if (errno || *end != '\0')
            return fail(err, errlen, "%s: '%s' is not an unsigned number", key, value);
        if (v < d->min || v > d->max)
            return fail(err, errlen, "%s = %s is out of range [%u, %u]", key, value, d->min,
                        d->max);
        *field(p, d) = (uint32_t)v;
        return 0;
    }
    return fail(err, errlen, "unknown parameter '%s'", key);
}

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    char *e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1]))
        *--e = '\0';
    return s;
}

int nicsim_params_load(struct nicsim_params *p, const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return fail(err, errlen, "%s: %s", path, strerror(errno));
    bool seen[NPARAMS] = {false};
    char line[512], msg[256];
    unsigned lineno = 0;
    int rc = 0;
    while (rc == 0 && fgets(line, sizeof(line), f)) {
        lineno++;
        if (!strchr(line, '\n') && !feof(f)) {
            rc = fail(err, errlen, "%s:%u: line too long", path, lineno);
            break;
        }
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        char *s = trim(line);
        if (!*s)
            continue;
        char *eq = strchr(s, '=');
        if (!eq) {
            rc = fail(err, errlen, "%s:%u: expected 'key = value'", path, lineno);
            break;
        }
        *eq = '\0';
        char *key = trim(s), *val = trim(eq + 1);
        size_t idx = NPARAMS;
        for (size_t i = 0; i < NPARAMS; i++)
            if (strcmp(param_table[i].name, key) == 0)
                idx = i;
        if (idx < NPARAMS && seen[idx]) {
            rc = fail(err, errlen, "%s:%u: '%s' given twice", path, lineno, key);
            break;
        }
        if (nicsim_params_set(p, key, val, msg, sizeof(msg)) != 0) {
            rc = fail(err, errlen, "%s:%u: %s", path, lineno, msg);
            break;
        }
        seen[idx] = true;
    }
    if (rc == 0 && ferror(f))
        rc = fail(err, errlen, "%s: read error", path);
    fclose(f);
    if (rc == 0 && nicsim_params_check(p, msg, sizeof(msg)) != 0)
        rc = fail(err, errlen, "%s: %s", path, msg);
    return rc;
}

void nicsim_params_dump(const struct nicsim_params *p, FILE *out)
{
    for (size_t i = 0; i < NPARAMS; i++) {
        const struct param_desc *d = &param_table[i];
        fprintf(out, "%-18s = %-6u # %s%s%s\n", d->name, *field((struct nicsim_params *)p, d),
                d->unit, *d->unit ? ", " : "", d->doc);
    }
}

/* sa_cam.c - the SA CAM (contract, timing and sizes in sa_cam.h).
 *
 * RX entries sit in an array indexed by SA index; a power-of-two hash table of slots (index + 1,
 * 0 = empty) maps a key to its index with linear probing. The table is at least twice the
 * capacity, so a probe sequence stays short, and delete uses backward-shift deletion: the
 * entries after the freed slot move back if their home slot allows it, so the table never holds
 * tombstones and lookup cost does not grow with add/delete churn.
 */
#include "sa_cam.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(sizeof(struct sa_cam_cfg) == 4, "sa_cam_cfg is 4 bytes");
_Static_assert(sizeof(struct sa_rx_key) == 24, "sa_rx_key is 24 bytes");
_Static_assert(sizeof(struct sa_cam_rx_entry) == 28, "RX entry is 28 bytes (see sa_cam.h)");
_Static_assert(sizeof(struct sa_cam_tx_entry) == 40, "TX entry is 40 bytes (see sa_cam.h)");

void sa_cam_params_default(struct sa_cam_params *p)
{
    p->rx_entries = SA_CAM_DEFAULT_ENTRIES;
    p->tx_entries = SA_CAM_DEFAULT_ENTRIES;
    p->latency = SA_CAM_DEFAULT_LATENCY;
}

/* ---- index allocator: lowest free index ---- */

static uint32_t alloc_words(uint32_t n)
{
    return (n + 63) / 64;
}

static int alloc_init(struct sa_cam_alloc *a, uint32_t n)
{
    a->used = calloc(alloc_words(n), sizeof(*a->used));
    a->n = n;
    a->count = 0;
    a->hint = 0;
    return a->used ? 0 : -ENOMEM;
}

static void alloc_reset(struct sa_cam_alloc *a)
{
    memset(a->used, 0, alloc_words(a->n) * sizeof(*a->used));
    a->count = 0;
    a->hint = 0;
}

static bool alloc_test(const struct sa_cam_alloc *a, uint32_t i)
{
    return i < a->n && (a->used[i / 64] >> (i % 64) & 1);
}

/* Lowest free index, marked used; -ENOSPC when full. */
static int alloc_get(struct sa_cam_alloc *a)
{
    if (a->count == a->n)
        return -ENOSPC;
    for (uint32_t w = a->hint; w < alloc_words(a->n); w++) {
        if (a->used[w] == UINT64_MAX)
            continue;
        uint32_t i = w * 64 + (uint32_t)__builtin_ctzll(~a->used[w]);
        if (i >= a->n)
            break; /* only the unusable tail bits of the last word are free */
        a->used[w] |= 1ull << (i % 64);
        a->count++;
        a->hint = w;
        return (int)i;
    }
    return -ENOSPC; /* unreachable while count < n */
}

static void alloc_put(struct sa_cam_alloc *a, uint32_t i)
{
    a->used[i / 64] &= ~(1ull << (i % 64));
    a->count--;
    if (i / 64 < a->hint)
        a->hint = i / 64;
}

/* ---- RX key hashing ---- */

static uint32_t key_addr_len(const struct sa_rx_key *k)
{
    return k->v6 ? 16 : 4;
}

/* The key as the CAM compares it: IPv4 addresses use daddr[0..3] only. */
static void key_norm(struct sa_rx_key *dst, const struct sa_rx_key *src)
{
    memset(dst, 0, sizeof(*dst));
    dst->spi = src->spi;
    dst->proto = src->proto;
    dst->v6 = src->v6;
    memcpy(dst->daddr, src->daddr, key_addr_len(src));
}

static bool key_eq(const struct sa_rx_key *a, const struct sa_rx_key *b)
{
    return a->spi == b->spi && a->proto == b->proto && a->v6 == b->v6 &&
           memcmp(a->daddr, b->daddr, sizeof(a->daddr)) == 0;
}

static uint32_t mix32(uint32_t h)
{
    /* murmur3 finaliser: every input bit reaches every output bit. */
    h ^= h >> 16;
    h *= 0x85ebca6bu;
    h ^= h >> 13;
    h *= 0xc2b2ae35u;
    h ^= h >> 16;
    return h;
}

/* Hash of a normalised key. */
static uint32_t key_hash(const struct sa_rx_key *k)
{
    uint32_t h = mix32(k->spi ^ ((uint32_t)k->proto << 8 | k->v6) * 0x9e3779b9u);
    for (int i = 0; i < 16; i += 4) {
        uint32_t w = (uint32_t)k->daddr[i] << 24 | (uint32_t)k->daddr[i + 1] << 16 |
                     (uint32_t)k->daddr[i + 2] << 8 | k->daddr[i + 3];
        h = mix32(h ^ w) + (uint32_t)i;
    }
    return h;
}

/* Slot holding the normalised key, or the empty slot where it would go. */
static uint32_t probe(const struct sa_cam *c, const struct sa_rx_key *k, bool *found)
{
    uint32_t s = key_hash(k) & c->hmask;
    for (;;) {
        uint32_t v = c->slot[s];
        if (v == 0) {
            *found = false;
            return s;
        }
        if (key_eq(&c->rx[v - 1].key, k)) {
            *found = true;
            return s;
        }
        s = (s + 1) & c->hmask; /* terminates: at most half the slots are used */
    }
}

/* ---- life cycle ---- */

int sa_cam_init(struct sa_cam *c, const struct sa_cam_params *p)
{
    memset(c, 0, sizeof(*c));
    if (!p || p->rx_entries < 1 || p->rx_entries > SA_CAM_MAX_ENTRIES || p->tx_entries < 1 ||
        p->tx_entries > SA_CAM_MAX_ENTRIES || p->latency < 1)
        return -EINVAL;
    c->p = *p;
    uint32_t slots = 2;
    while (slots < 2 * p->rx_entries)
        slots <<= 1;
    c->hmask = slots - 1;
    c->slot = calloc(slots, sizeof(*c->slot));
    c->rx = calloc(p->rx_entries, sizeof(*c->rx));
    c->tx = calloc(p->tx_entries, sizeof(*c->tx));
    int e1 = alloc_init(&c->rx_alloc, p->rx_entries);
    int e2 = alloc_init(&c->tx_alloc, p->tx_entries);
    if (!c->slot || !c->rx || !c->tx || e1 || e2) {
        sa_cam_destroy(c);
        return -ENOMEM;
    }
    return 0;
}

void sa_cam_destroy(struct sa_cam *c)
{
    free(c->slot);
    free(c->rx);
    free(c->tx);
    free(c->rx_alloc.used);
    free(c->tx_alloc.used);
    memset(c, 0, sizeof(*c));
}

void sa_cam_reset(struct sa_cam *c)
{
    memset(c->slot, 0, ((size_t)c->hmask + 1) * sizeof(*c->slot));
    memset(c->rx, 0, (size_t)c->p.rx_entries * sizeof(*c->rx));
    memset(c->tx, 0, (size_t)c->p.tx_entries * sizeof(*c->tx));
    alloc_reset(&c->rx_alloc);
    alloc_reset(&c->tx_alloc);
}

static bool cfg_ok(const struct sa_cam_cfg *cfg)
{
    return cfg && cfg->mode <= SA_MODE_TUNNEL && cfg->offload <= SA_OFFLOAD_PACKET &&
           (cfg->icv_len == 8 || cfg->icv_len == 12 || cfg->icv_len == 16) &&
           (cfg->flags & ~SA_CFG_FLAGS) == 0;
}

/* ---- RX ---- */

int sa_cam_rx_add(struct sa_cam *c, const struct sa_rx_key *key, const struct sa_cam_cfg *cfg)
{
    if (!key || key->spi == 0 || key->proto != SA_CAM_PROTO_ESP || key->v6 > 1 || !cfg_ok(cfg))
        return -EINVAL;
    /* OUTER_V6 describes a header the device builds: meaningless on RX. */
    if (cfg->flags & SA_CFG_OUTER_V6)
        return -EINVAL;
    struct sa_rx_key k;
    key_norm(&k, key);
    bool found;
    uint32_t s = probe(c, &k, &found);
    if (found)
        return -EEXIST;
    int idx = alloc_get(&c->rx_alloc);
    if (idx < 0)
        return idx;
    c->rx[idx].key = k;
    c->rx[idx].cfg = *cfg;
    c->slot[s] = (uint32_t)idx + 1;
    return idx;
}

int sa_cam_rx_del(struct sa_cam *c, uint32_t idx)
{
    if (idx >= c->p.rx_entries)
        return -EINVAL;
    if (!alloc_test(&c->rx_alloc, idx))
        return -ENOENT;
    bool found;
    uint32_t i = probe(c, &c->rx[idx].key, &found);
    /* found is always true: every used index has exactly one slot. */
    c->slot[i] = 0;
    /* Backward shift: move each following entry of the run into the hole unless its home
     * slot lies cyclically in (hole, j], where moving it would put it before its home. */
    for (uint32_t j = (i + 1) & c->hmask; c->slot[j] != 0; j = (j + 1) & c->hmask) {
        uint32_t home = key_hash(&c->rx[c->slot[j] - 1].key) & c->hmask;
        bool stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
        if (stays)
            continue;
        c->slot[i] = c->slot[j];
        c->slot[j] = 0;
        i = j;
    }
    memset(&c->rx[idx], 0, sizeof(c->rx[idx]));
    alloc_put(&c->rx_alloc, idx);
    return 0;
}

int sa_cam_rx_lookup(const struct sa_cam *c, const struct sa_rx_key *key)
{
    if (!key || key->spi == 0 || key->v6 > 1)
        return -ENOENT; /* never stored: a miss, as the hardware would answer */
    struct sa_rx_key k;
    key_norm(&k, key);
    bool found;
    uint32_t s = probe(c, &k, &found);
    return found ? (int)(c->slot[s] - 1) : -ENOENT;
}

const struct sa_cam_rx_entry *sa_cam_rx_get(const struct sa_cam *c, uint32_t idx)
{
    return alloc_test(&c->rx_alloc, idx) ? &c->rx[idx] : NULL;
}

/* ---- TX ---- */

int sa_cam_tx_add(struct sa_cam *c, const struct sa_cam_tx_entry *e)
{
    if (!e || e->spi == 0 || !cfg_ok(&e->cfg))
        return -EINVAL;
    int idx = alloc_get(&c->tx_alloc);
    if (idx < 0)
        return idx;
    c->tx[idx] = *e;
    return idx;
}

int sa_cam_tx_del(struct sa_cam *c, uint32_t idx)
{
    if (idx >= c->p.tx_entries)
        return -EINVAL;
    if (!alloc_test(&c->tx_alloc, idx))
        return -ENOENT;
    memset(&c->tx[idx], 0, sizeof(c->tx[idx]));
    alloc_put(&c->tx_alloc, idx);
    return 0;
}

/* sa_cam_tx_get() is inline in sa_cam.h (the same test as alloc_test()). */

/* ---- reports ---- */

uint32_t sa_cam_rx_count(const struct sa_cam *c)
{
    return c->rx_alloc.count;
}

uint32_t sa_cam_tx_count(const struct sa_cam *c)
{
    return c->tx_alloc.count;
}


size_t sa_cam_bytes(const struct sa_cam *c)
{
    return ((size_t)c->hmask + 1) * sizeof(*c->slot) +
           (size_t)c->p.rx_entries * sizeof(*c->rx) + (size_t)c->p.tx_entries * sizeof(*c->tx) +
           (alloc_words(c->p.rx_entries) + alloc_words(c->p.tx_entries)) * sizeof(uint64_t);
}

/* cmd_run.c - `nicsim run`: the main job. SAs from an `ip xfrm` script are installed through
 * the driver shim (Linux xdo_dev_state_* semantics, software fallback where the card refuses),
 * traffic comes from a pcap or the generator, and goes through a TX card (encrypt), over the
 * wire, into an RX card (decrypt); the run writes pcaps, a Wireshark esp_sa file, a table and a
 * JSON report. With no arguments it runs the built-in default scenario and checks that what
 * arrives equals what was sent.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "esp_sa.h"
#include "pcap_io.h"
#include "pktgen.h"
#include "report.h"
#include "run_host.h"

/* The default scenario: one SA per key size and mode between two hosts; transport SAs in
 * crypto offload, tunnel SAs in packet offload; each SA appears once per card (dir out on the
 * TX card, dir in on the RX card). Keys are test keys, not secrets. */
static const char default_script[] =
    "# nicsim default scenario\n"
    "ip xfrm state add src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x1001 mode transport \\\n"
    "   replay-window 64 aead 'rfc4106(gcm(aes))' 0x000102030405060708090a0b0c0d0e0f10111213 128 \\\n"
    "   offload crypto dev nic0 dir out\n"
    "ip xfrm state add src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x1001 mode transport \\\n"
    "   replay-window 64 aead 'rfc4106(gcm(aes))' 0x000102030405060708090a0b0c0d0e0f10111213 128 \\\n"
    "   offload crypto dev nic1 dir in\n"
    "ip xfrm state add src 2001:db8::1 dst 2001:db8::2 proto esp spi 0x1002 mode transport \\\n"
    "   aead 'rfc4106(gcm(aes))' 0x202122232425262728292a2b2c2d2e2f303132333435363738393a3b 96 \\\n"
    "   offload crypto dev nic0 dir out\n"
    "ip xfrm state add src 2001:db8::1 dst 2001:db8::2 proto esp spi 0x1002 mode transport \\\n"
    "   aead 'rfc4106(gcm(aes))' 0x202122232425262728292a2b2c2d2e2f303132333435363738393a3b 96 \\\n"
    "   offload crypto dev nic1 dir in\n"
    "ip xfrm state add src 198.51.100.1 dst 198.51.100.2 proto esp spi 0x1003 mode tunnel \\\n"
    "   replay-window 128 aead 'rfc4106(gcm(aes))' \\\n"
    "   0x404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f60616263 128 \\\n"
    "   sel src 10.1.0.0/16 dst 10.2.0.0/16 offload packet dev nic0 dir out\n"
    "ip xfrm state add src 198.51.100.1 dst 198.51.100.2 proto esp spi 0x1003 mode tunnel \\\n"
    "   replay-window 128 aead 'rfc4106(gcm(aes))' \\\n"
    "   0x404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f60616263 128 \\\n"
    "   sel src 10.1.0.0/16 dst 10.2.0.0/16 offload packet dev nic1 dir in\n";

enum run_dir { DIR_TX, DIR_RX, DIR_LOOP };

struct opts {
    const char *sa, *in, *out, *rx_out, *config, *report, *esp_sa, *events;
    enum run_dir dir;
    uint64_t packets, seed;
    uint32_t size; /* 0 = IMIX */
    uint64_t rate;  /* offered load in Gb/s, 0 = as fast as the TX ring takes packets */
    bool progress, quiet;
};

/* What was sent and not yet seen delivered (loopback check), in order. */
struct sent {
    uint8_t **pkt;
    uint32_t *len;
    size_t head, tail, cap;
};

struct run {
    struct opts o;
    struct run_host tx, rx;
    bool have_tx, have_rx;
    struct pcap_out *wire_pcap, *rx_pcap;
    struct report rep;
    struct sent sent;
    uint64_t *post_cycle; /* TX: cycle each frame was posted, in wire order */
    size_t post_n, post_cap, wire_n;
    uint64_t delivered, mismatches;
    struct wire_q { uint8_t *pkt; uint32_t len; uint64_t cycle; } *wq; /* TX -> RX frames */
    size_t wq_n, wq_cap;
    uint64_t t_offer; /* cycle the next paced packet is offered */
    uint64_t *arr_cycle;  /* RX: cycle each frame reached the RX card, in order */
    size_t arr_n, arr_cap;
    int err;
};

static void help(FILE *f)
{
    fprintf(f,
            "usage: nicsim run [options]\n\n"
            "Install the SAs of an `ip xfrm` script through the driver shim and run traffic\n"
            "through the C model: TX card (encrypt) -> wire -> RX card (decrypt).\n"
            "With no options: the built-in default scenario (three SAs: AES-128/192/256,\n"
            "transport and tunnel, IPv4 and IPv6, crypto and packet offload), 3000 IMIX packets,\n"
            "over a 100 Gb/s link, and a check that every packet arrives as it was sent.\n\n"
            "  --sa FILE        ip xfrm script (SAs with `offload ... dir out` go to the TX card,\n"
            "                   `dir in` to the RX card; SAs without offload run in software)\n"
            "  --in PCAP        input packets (plain IP for tx/loop, ESP for rx); else generated\n"
            "  --out PCAP       the wire: what the TX card sent (ESP)\n"
            "  --rx-out PCAP    what the RX card delivered to the host\n"
            "  --dir tx|rx|loop which cards run (default loop)\n"
            "  --config FILE    model parameters (key = value, see hwmodel/include/nicsim/params.def)\n"
            "  --report FILE    JSON report\n"
            "  --esp-sa FILE    Wireshark esp_sa file for the SAs (decrypt --out in Wireshark)\n"
            "  --packets N      generated packets (default 3000)\n"
            "  --size N|imix    generated packet size (default imix)\n"
            "  --seed N         generator seed (default 1)\n"
            "  --rate GBPS      offered load of the generator (default 0: as fast as the TX\n"
            "                   ring takes packets; the default scenario offers 40)\n"
            "  --progress       a progress line on stderr\n"
            "  --quiet          no table\n\n"
            "Exit status: 0 success (loop: every packet arrived unchanged), 1 a check failed,\n"
            "2 usage or input error (one line on stderr).\n");
}

static int usage(const char *fmt, const char *arg)
{
    fprintf(stderr, "nicsim run: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, " (try --help)\n");
    return EXIT_USAGE;
}

static int parse_u64(const char *s, uint64_t *v)
{
    char *end;
    errno = 0;
    unsigned long long x = strtoull(s, &end, 0);
    if (errno || *end || !*s || *s == '-')
        return -1;
    *v = x;
    return 0;
}

static int parse_opts(int argc, char **argv, struct opts *o)
{
    static const struct option longopts[] = {
        {"sa", 1, 0, 's'},     {"in", 1, 0, 'i'},       {"out", 1, 0, 'o'},
        {"rx-out", 1, 0, 'r'}, {"dir", 1, 0, 'd'},      {"config", 1, 0, 'c'},
        {"report", 1, 0, 'j'}, {"esp-sa", 1, 0, 'e'},   {"packets", 1, 0, 'n'},
        {"size", 1, 0, 'z'},   {"seed", 1, 0, 'S'},     {"progress", 0, 0, 'p'},
        {"quiet", 0, 0, 'q'},  {"help", 0, 0, 'h'},     {"rate", 1, 0, 'R'},
        {0, 0, 0, 0}};
    memset(o, 0, sizeof(*o));
    o->dir = DIR_LOOP;
    o->packets = 3000;
    o->seed = 1;
    optind = 1;
    opterr = 0;
    int c;
    uint64_t v;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 's': o->sa = optarg; break;
        case 'i': o->in = optarg; break;
        case 'o': o->out = optarg; break;
        case 'r': o->rx_out = optarg; break;
        case 'c': o->config = optarg; break;
        case 'j': o->report = optarg; break;
        case 'e': o->esp_sa = optarg; break;
        case 'p': o->progress = true; break;
        case 'q': o->quiet = true; break;
        case 'h': help(stdout); return 1;
        case 'd':
            if (!strcmp(optarg, "tx")) o->dir = DIR_TX;
            else if (!strcmp(optarg, "rx")) o->dir = DIR_RX;
            else if (!strcmp(optarg, "loop")) o->dir = DIR_LOOP;
            else return usage("--dir wants tx, rx or loop, not '%s'", optarg);
            break;
        case 'n':
            if (parse_u64(optarg, &o->packets) || o->packets == 0)
                return usage("--packets wants a positive number, not '%s'", optarg);
            break;
        case 'R':
            if (parse_u64(optarg, &o->rate) || o->rate > 100000)
                return usage("--rate wants Gb/s (0 = unpaced), not '%s'", optarg);
            break;
        case 'S':
            if (parse_u64(optarg, &o->seed))
                return usage("--seed wants a number, not '%s'", optarg);
            break;
        case 'z':
            if (!strcmp(optarg, "imix"))
                o->size = 0;
            else if (parse_u64(optarg, &v) || v < 48 || v > 9000)
                return usage("--size wants imix or 48..9000, not '%s'", optarg);
            else
                o->size = (uint32_t)v;
            break;
        default:
            return usage("unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return usage("unexpected argument '%s'", argv[optind]);
    if (o->dir == DIR_RX && !o->in)
        return usage("%s needs --in PCAP with ESP packets", "--dir rx");
    return 0;
}

/* ---- the loopback check ---------------------------------------------------------------- */

static int sent_push(struct sent *s, const uint8_t *pkt, size_t len)
{
    if (s->tail - s->head == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 1024;
        uint8_t **p = calloc(cap, sizeof(*p));
        uint32_t *l = calloc(cap, sizeof(*l));
        if (!p || !l) {
            free(p);
            free(l);
            return -1;
        }
        for (size_t i = s->head; i < s->tail; i++) {
            p[i - s->head] = s->pkt[i % s->cap];
            l[i - s->head] = s->len[i % s->cap];
        }
        free(s->pkt);
        free(s->len);
        s->tail -= s->head;
        s->head = 0;
        s->pkt = p;
        s->len = l;
        s->cap = cap;
    }
    uint8_t *c = malloc(len ? len : 1);
    if (!c)
        return -1;
    memcpy(c, pkt, len);
    s->pkt[s->tail % s->cap] = c;
    s->len[s->tail % s->cap] = (uint32_t)len;
    s->tail++;
    return 0;
}

static void sent_pop(struct sent *s)
{
    free(s->pkt[s->head % s->cap]);
    s->head++;
}

static void sent_free(struct sent *s)
{
    while (s->head < s->tail)
        sent_pop(s);
    free(s->pkt);
    free(s->len);
}

/* The RX card got a frame at `cycle`: remember it for the latency of its delivery. */
static void arrived(struct run *r, uint64_t cycle)
{
    if (r->arr_n == r->arr_cap) {
        size_t cap = r->arr_cap ? 2 * r->arr_cap : 4096;
        uint64_t *v = realloc(r->arr_cycle, cap * sizeof(*v));
        if (!v)
            return;
        r->arr_cycle = v;
        r->arr_cap = cap;
    }
    r->arr_cycle[r->arr_n++] = cycle;
}

static void on_delivery(void *user, const uint8_t *pkt, size_t len, bool ipsec, uint64_t cycle)
{
    struct run *r = user;
    (void)ipsec;
    r->delivered++;
    /* deliveries come in arrival order (drops shift the pairing by the number dropped) */
    if (r->delivered <= r->arr_n)
        lat_add(&r->rep.dir[r->have_tx ? 1 : 0].lat, cycle - r->arr_cycle[r->delivered - 1]);
    if (r->rx_pcap)
        pcap_out_write(r->rx_pcap, pkt, len, cycle * 1000u / r->rep.clock_mhz);
    if (r->o.dir != DIR_LOOP)
        return;
    /* in order; a packet lost on the way shows as a skip (counted as a mismatch) */
    struct sent *s = &r->sent;
    for (size_t k = 0; k < 64 && s->head + k < s->tail; k++) {
        size_t i = (s->head + k) % s->cap;
        if (s->len[i] == len && !memcmp(s->pkt[i], pkt, len)) {
            r->mismatches += k;
            for (size_t j = 0; j <= k; j++)
                sent_pop(s);
            return;
        }
    }
    r->mismatches++;
}

static void on_wire(void *user, const uint8_t *frame, size_t len, uint64_t cycle)
{
    struct run *r = user;
    if (r->wire_pcap)
        pcap_out_write(r->wire_pcap, frame, len, cycle * 1000u / r->rep.clock_mhz);
    if (r->wire_n < r->post_n)
        lat_add(&r->rep.dir[0].lat, cycle - r->post_cycle[r->wire_n]);
    r->wire_n++;
    if (!r->have_rx)
        return;
    /* the RX card runs behind: queue the frame with its cycle, advance() hands it over */
    if (r->wq_n == r->wq_cap) {
        size_t cap = r->wq_cap ? 2 * r->wq_cap : 256;
        struct wire_q *q = realloc(r->wq, cap * sizeof(*q));
        if (!q) {
            r->err = -ENOMEM;
            return;
        }
        r->wq = q;
        r->wq_cap = cap;
    }
    uint8_t *c = malloc(len);
    if (!c) {
        r->err = -ENOMEM;
        return;
    }
    memcpy(c, frame, len);
    r->wq[r->wq_n++] = (struct wire_q){c, (uint32_t)len, cycle};
}

static bool follow(struct run *r, bool idle, uint64_t cycles);

/* Run both cards in step for up to `cycles`; true when both are idle. The RX card follows the
 * TX card: each wire frame reaches it at the cycle the TX card sent it. */
static bool advance(struct run *r, uint64_t cycles)
{
    if (!r->have_tx)
        return nd_dev_run(r->rx.dev, cycles);
    bool idle = nd_dev_run(r->tx.dev, cycles);
    return follow(r, idle, cycles);
}

/* The RX card catches up with the TX card: wire frames at their cycles, then the TX clock. */
static bool follow(struct run *r, bool idle, uint64_t cycles)
{
    if (!r->have_rx)
        return idle;
    struct nic *rx = nd_bus_model_nic(r->rx.bus);
    for (size_t i = 0; i < r->wq_n; i++) {
        nic_run_until(rx, r->wq[i].cycle);
        nd_dev_poll(r->rx.dev);
        /* a wire has no back-pressure: a full input FIFO drops the frame (counted by the card) */
        if (nic_wire_rx(rx, r->wq[i].pkt, r->wq[i].len) == 0)
            arrived(r, nic_cycle(rx));
        free(r->wq[i].pkt);
    }
    r->wq_n = 0;
    if (!idle) {
        nic_run_until(rx, run_host_cycle(&r->tx));
        nd_dev_poll(r->rx.dev);
        return false;
    }
    return nd_dev_run(r->rx.dev, cycles);
}

/* ---- traffic ----------------------------------------------------------------------------- */

static int send_one(struct run *r, const uint8_t *pkt, size_t len)
{
    struct nd_xfrm_state *x = run_host_out_sa(&r->tx, pkt, len);
    for (int tries = 0;; tries++) {
        uint64_t now = run_host_cycle(&r->tx);
        int rc = nd_xmit(r->tx.nd, pkt, len, x);
        if (rc == 0) {
            if (r->post_n == r->post_cap) {
                size_t cap = r->post_cap ? 2 * r->post_cap : 4096;
                uint64_t *v = realloc(r->post_cycle, cap * sizeof(*v));
                if (!v)
                    return -ENOMEM;
                r->post_cycle = v;
                r->post_cap = cap;
            }
            r->post_cycle[r->post_n++] = now;
            return r->o.dir == DIR_LOOP ? sent_push(&r->sent, pkt, len) : 0;
        }
        if (rc != -EAGAIN)
            return rc; /* dropped by the stack (counted by the driver) */
        if (tries > 1000)
            return -ETIMEDOUT;
        advance(r, 2000);
    }
}

/* A packet for the k-th outbound SA: its endpoints (transport) or its selector (tunnel). */
static size_t make_packet(struct run *r, struct pktgen *g, uint64_t k, uint8_t *buf)
{
    /* the TX card holds only outbound SAs (install() sends `dir in` to the RX card) */
    const struct xfrm_script_sa *s = r->tx.nsa ? r->tx.src[k % r->tx.nsa] : NULL;
    uint32_t size = r->o.size ? r->o.size : pktgen_imix(g);
    bool v6 = s ? (s->mode == XFRM_SCRIPT_TUNNEL && s->sel.family ? s->sel.family == 10
                                                                  : s->family == 10)
                : false;
    size_t len = pktgen_ip(g, buf, size, v6, 0, (uint32_t)k);
    if (!s)
        return len;
    const uint8_t *src = s->src, *dst = s->dst;
    if (s->mode == XFRM_SCRIPT_TUNNEL && s->sel.family) {
        src = s->sel.saddr;
        dst = s->sel.daddr;
    }
    if (v6) {
        memcpy(buf + 8, src, 16);
        memcpy(buf + 24, dst, 16);
    } else {
        memcpy(buf + 12, src, 4);
        memcpy(buf + 16, dst, 4);
        buf[10] = buf[11] = 0;
        uint32_t sum = 0;
        for (int i = 0; i < 20; i += 2)
            sum += (uint32_t)buf[i] << 8 | buf[i + 1];
        while (sum >> 16)
            sum = (sum & 0xffff) + (sum >> 16);
        buf[10] = (uint8_t)(~sum >> 8);
        buf[11] = (uint8_t)~sum;
    }
    return len;
}

static void progress(const struct run *r, uint64_t done, uint64_t total)
{
    if (r->o.progress && (done % 1000 == 0 || done == total))
        fprintf(stderr, "\rnicsim run: %llu/%llu packets, %llu cycles", (unsigned long long)done,
                (unsigned long long)total, (unsigned long long)(r->have_tx
                                                                    ? run_host_cycle(&r->tx)
                                                                    : run_host_cycle(&r->rx)));
}

/* Offered load: the next packet is handed to the driver at its cycle (len * 8 bits at the
 * rate), the cards running until then. */
static void pace(struct run *r, size_t len)
{
    if (!r->o.rate)
        return;
    struct nic *tx = nd_bus_model_nic(r->tx.bus);
    if (!r->t_offer)
        r->t_offer = nic_cycle(tx);
    r->t_offer += (len * 8 * r->rep.clock_mhz + 1000 * r->o.rate - 1) / (1000 * r->o.rate);
    if (nic_cycle(tx) < r->t_offer) {
        nic_run_until(tx, r->t_offer);
        nd_dev_poll(r->tx.dev);
        follow(r, false, 0);
    }
}

/* RX only: the capture arrives back to back at the wire rate; a card that cannot keep up
 * drops (rx_fifo_full), as on a real wire. */
static void wire_in(struct run *r, const uint8_t *pkt, size_t len)
{
    struct nic *rx = nd_bus_model_nic(r->rx.bus);
    const struct nicsim_params *p = nic_params(rx);
    uint64_t bits = ((uint64_t)len + 38) * 8 * p->clock_mhz; /* + Ethernet framing */
    r->t_offer += (bits + 1000ull * p->wire_gbps - 1) / (1000ull * p->wire_gbps);
    nic_run_until(rx, r->t_offer);
    nd_dev_poll(r->rx.dev);
    if (nic_wire_rx(rx, pkt, len) == 0)
        arrived(r, nic_cycle(rx));
}

static int traffic(struct run *r)
{
    static uint8_t buf[9216];
    if (r->o.in) {
        char err[256];
        struct pcap_in *in = pcap_in_open(r->o.in, err, sizeof(err));
        if (!in) {
            fprintf(stderr, "nicsim run: %s\n", err);
            return EXIT_USAGE;
        }
        const uint8_t *pkt;
        size_t len;
        uint64_t n = 0, bad = 0;
        int rc;
        while ((rc = pcap_in_next(in, &pkt, &len, err, sizeof(err))) != 0) {
            if (rc < 0) {
                fprintf(stderr, "nicsim run: %s: %s (skipped)\n", r->o.in, err);
                if (++bad > 100)
                    break;
                continue;
            }
            if (r->o.dir != DIR_RX)
                pace(r, len);
            if (r->o.dir == DIR_RX)
                wire_in(r, pkt, len);
            else if (send_one(r, pkt, len) == -ETIMEDOUT) {
                pcap_in_close(in);
                fprintf(stderr, "nicsim run: the TX card does not drain its ring\n");
                return EXIT_CHECK_FAILED;
            }
            progress(r, ++n, 0);
            if (n % 64 == 0)
                advance(r, 1000);
        }
        if (pcap_in_skipped(in))
            fprintf(stderr, "nicsim run: %llu non-IP frames in %s skipped\n",
                    (unsigned long long)pcap_in_skipped(in), r->o.in);
        pcap_in_close(in);
        return 0;
    }
    struct pktgen g;
    pktgen_seed(&g, r->o.seed);
    for (uint64_t k = 0; k < r->o.packets; k++) {
        size_t len = make_packet(r, &g, k, buf);
        pace(r, len);
        if (send_one(r, buf, len) == -ETIMEDOUT) {
            fprintf(stderr, "nicsim run: the TX card does not drain its ring\n");
            return EXIT_CHECK_FAILED;
        }
        progress(r, k + 1, r->o.packets);
        if (k % 64 == 63)
            advance(r, 1000);
    }
    return 0;
}

/* ---- set-up ------------------------------------------------------------------------------ */

static int install(struct run *r, const struct xfrm_script *sc, const char *name)
{
    char err[300];
    for (size_t i = 0; i < sc->n_ops; i++) {
        const struct xfrm_script_op *op = &sc->ops[i];
        if (op->op != XFRM_SCRIPT_ADD && op->op != XFRM_SCRIPT_UPDATE)
            continue; /* delete/flush before traffic leave nothing to do on fresh cards */
        bool in = op->sa.dir == XFRM_SCRIPT_DIR_IN;
        struct run_host *h = in ? &r->rx : &r->tx;
        if (in ? !r->have_rx : !r->have_tx)
            continue;
        if (run_host_add_sa(h, &op->sa, name, op->line, err, sizeof(err))) {
            fprintf(stderr, "nicsim run: %s\n", err);
            return -1;
        }
    }
    return 0;
}

static int write_esp_sa(struct run *r, const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "nicsim run: %s: %s\n", path, strerror(errno));
        return -1;
    }
    struct run_host *hs[2] = {&r->tx, &r->rx};
    for (int k = 0; k < 2; k++)
        for (unsigned i = 0; i < hs[k]->nsa; i++) {
            const struct xfrm_script_sa *s = hs[k]->src[i];
            if (k == 1 && r->have_tx && s->dir == XFRM_SCRIPT_DIR_IN) {
                bool dup = false; /* the same SA seen from the TX side */
                for (unsigned j = 0; j < r->tx.nsa; j++)
                    dup |= r->tx.src[j]->spi == s->spi && !memcmp(r->tx.src[j]->dst, s->dst, 16);
                if (dup)
                    continue;
            }
            struct esp_sa_entry e = {.v6 = s->family == 10, .spi = s->spi,
                                     .icv_len = s->icv_bits / 8, .keymat_len = s->keymat_len};
            memcpy(e.src, s->src, 16);
            memcpy(e.dst, s->dst, 16);
            memcpy(e.keymat, s->keymat, s->keymat_len);
            esp_sa_write(f, &e);
        }
    return fclose(f) ? -1 : 0;
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec / 1e9;
}

int cmd_run(int argc, char **argv)
{
    struct run *r = calloc(1, sizeof(*r));
    if (!r) {
        fprintf(stderr, "nicsim run: out of memory\n");
        return EXIT_CHECK_FAILED;
    }
    int rc = parse_opts(argc, argv, &r->o);
    if (rc) {
        free(r);
        return rc == 1 ? 0 : rc;
    }
    struct nicsim_params p;
    nicsim_params_default(&p);
    char err[300] = "";
    if (!r->o.config && !r->o.sa) {
        p.wire_gbps = 100; /* the default scenario: a 100 Gb/s link */
        if (!r->o.rate)
            r->o.rate = 40; /* offered load below what both cards sustain */
    }
    if (r->o.config && nicsim_params_load(&p, r->o.config, err, sizeof(err))) {
        fprintf(stderr, "nicsim run: %s\n", err);
        free(r);
        return EXIT_USAGE;
    }
    struct xfrm_script sc;
    const char *sname = r->o.sa ? r->o.sa : "default-scenario";
    int nerr = r->o.sa ? xfrm_script_parse_file(r->o.sa, &sc, stderr)
                       : xfrm_script_parse_string(default_script, sname, &sc, stderr);
    if (nerr) {
        fprintf(stderr, "nicsim run: %s: %s\n", sname,
                nerr < 0 ? "cannot read the SA script" : "errors in the SA script (above)");
        xfrm_script_free(&sc);
        free(r);
        return EXIT_USAGE;
    }
    r->have_tx = r->o.dir != DIR_RX;
    r->have_rx = r->o.dir != DIR_TX;
    r->rep.scenario = r->o.sa ? sname : "default scenario (loop, 3 SAs, IMIX)";
    r->rep.clock_mhz = p.clock_mhz;
    int status = EXIT_USAGE;
    if ((r->have_tx && run_host_init(&r->tx, "TX card", &p, err, sizeof(err))) ||
        (r->have_rx && run_host_init(&r->rx, "RX card", &p, err, sizeof(err)))) {
        fprintf(stderr, "nicsim run: %s\n", err);
        goto out;
    }
    if (r->have_tx)
        nd_bus_model_set_wire(r->tx.bus, on_wire, r);
    if (r->have_rx) {
        r->rx.rx = on_delivery;
        r->rx.rx_user = r;
    }
    if (install(r, &sc, sname))
        goto out;
    if ((r->o.out && !(r->wire_pcap = pcap_out_open(r->o.out, err, sizeof(err)))) ||
        (r->o.rx_out && !(r->rx_pcap = pcap_out_open(r->o.rx_out, err, sizeof(err))))) {
        fprintf(stderr, "nicsim run: %s\n", err);
        goto out;
    }
    if (r->o.esp_sa && write_esp_sa(r, r->o.esp_sa))
        goto out;

    double t0 = now_s();
    status = traffic(r);
    if (status)
        goto out;
    int spins = 0;
    while (!advance(r, 100000))
        if (++spins > 100000) {
            fprintf(stderr, "nicsim run: the cards never went idle\n");
            status = EXIT_CHECK_FAILED;
            goto out;
        }
    if (r->o.progress)
        fputc('\n', stderr);
    r->rep.host_seconds = now_s() - t0;

    struct run_host *main_host = r->have_tx ? &r->tx : &r->rx;
    r->rep.cycles = run_host_cycle(main_host);
    r->rep.steps = nic_steps(nd_bus_model_nic(main_host->bus));
    if (r->have_tx) {
        r->rep.dir[r->rep.ndir].name = "tx";
        run_host_stats(&r->tx, true, &r->rep.dir[r->rep.ndir++]);
    }
    if (r->have_rx) {
        r->rep.dir[r->rep.ndir].name = "rx";
        run_host_stats(&r->rx, false, &r->rep.dir[r->rep.ndir++]);
    }
    if (r->o.dir == DIR_LOOP)
        r->rep.mismatches = r->mismatches + (r->sent.tail - r->sent.head);
    if (!r->o.quiet)
        report_table(stdout, &r->rep);
    if (r->o.report) {
        FILE *f = fopen(r->o.report, "w");
        if (!f) {
            fprintf(stderr, "nicsim run: %s: %s\n", r->o.report, strerror(errno));
            goto out;
        }
        report_json(f, &r->rep);
        fclose(f);
    }
    status = 0;
    if (r->o.dir == DIR_LOOP) {
        printf("loopback: %llu sent, %llu delivered, %llu mismatches\n",
               (unsigned long long)r->post_n, (unsigned long long)r->delivered,
               (unsigned long long)r->rep.mismatches);
        if (r->rep.mismatches || r->delivered != r->post_n)
            status = EXIT_CHECK_FAILED;
    }
out:
    if (r->wire_pcap)
        pcap_out_close(r->wire_pcap);
    if (r->rx_pcap)
        pcap_out_close(r->rx_pcap);
    if (r->have_tx)
        run_host_fini(&r->tx);
    if (r->have_rx)
        run_host_fini(&r->rx);
    lat_free(&r->rep.dir[0].lat);
    lat_free(&r->rep.dir[1].lat);
    sent_free(&r->sent);
    for (size_t i = 0; i < r->wq_n; i++)
        free(r->wq[i].pkt);
    free(r->wq);
    free(r->post_cycle);
    free(r->arr_cycle);
    xfrm_script_free(&sc);
    free(r);
    return status;
}

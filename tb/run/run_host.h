/* run_host.h - one simulated host for `nicsim run`: a card (C model) behind the driver shim's
 * model bus, the Linux personality on top, the SAs an `ip xfrm` script installed, and what
 * came out of it (deliveries with their cycles, SAs for the Wireshark export).
 */
#ifndef NICSIM_RUN_HOST_H
#define NICSIM_RUN_HOST_H

#include <stddef.h>
#include <stdint.h>

#include "nd_bus_model.h"
#include "nd_dev.h"
#include "nd_xfrm.h"
#include "report.h"
#include "xfrm_script.h"

#define RUN_HOST_MAX_SA 256

struct run_host;
/* A delivered packet (RX side), in delivery order. */
typedef void (*run_host_rx_fn)(void *user, const uint8_t *pkt, size_t len, bool ipsec,
                               uint64_t cycle);

struct run_host {
    const char *name;
    struct nd_bus *bus;
    struct nd_dev *dev;
    struct nd_netdev *nd;
    struct nd_xfrm_state *sa[RUN_HOST_MAX_SA];
    struct nd_xfrm_algo_aead *aead[RUN_HOST_MAX_SA];
    const struct xfrm_script_sa *src[RUN_HOST_MAX_SA]; /* the script line of each SA */
    unsigned nsa;
    run_host_rx_fn rx;
    void *rx_user;
    uint64_t rx_count, rx_ipsec, rx_software;
};

/* Platform seam (the SystemC virtual platform, hwmodel/systemc/): when set, run_host_init()
 * calls fn on every new host right after its model bus exists and before the driver probes
 * it. The hook may attach the card to a platform (swap h->bus->ops for a backend that keeps
 * h->bus->priv, the model bus, so nd_bus_model_nic() still works). 0, or -1 with a reason in
 * err (run_host_init then fails). Process-wide; NULL (the default) is the plain C run. */
typedef int (*run_host_attach_fn)(void *ctx, struct run_host *h, const struct nicsim_params *p,
                                  char *err, size_t errlen);
void run_host_set_attach(run_host_attach_fn fn, void *ctx);

/* 0, or -1 with a one-line reason (params invalid, probe failed). */
int run_host_init(struct run_host *h, const char *name, const struct nicsim_params *p,
                  char *err, size_t errlen);
void run_host_fini(struct run_host *h);
/* Install one SA (the driver decides offload or software fallback, as the kernel does).
 * 0, or -1 with a reason naming the script line. */
int run_host_add_sa(struct run_host *h, const struct xfrm_script_sa *s, const char *script,
                    unsigned line, char *err, size_t errlen);
/* The outbound SA that protects a plain IP packet, or NULL: the transport SA whose endpoints
 * are the packet's addresses, or the tunnel SA whose selector covers them. */
struct nd_xfrm_state *run_host_out_sa(const struct run_host *h, const uint8_t *pkt, size_t len);
uint64_t run_host_cycle(const struct run_host *h);
/* The card's counters, with the driver's software count. */
void run_host_stats(const struct run_host *h, bool tx, struct report_dir *rd);

#endif

// dut_rtl.h - the DUT interface (tb/dut/dut_if.h) on the Verilated RTL pipeline top
// (rtl/crypto_top.v), so that the stimulus runner drives the RTL exactly as it drives the C
// model, and the lock-step pair can compare the two per transaction.
//
// What the testbench around the RTL does (the parts of a card that are not in crypto_top):
//  - The control CPU: the card's firmware (firmware/, unchanged) runs on a HAL whose SAT
//    accesses are cycles on the RTL's CSR bus; the host's mailbox client (host-driver/nd_mbox)
//    talks to a mailbox register file here, so SA operations take the driver -> mailbox ->
//    firmware -> SAT path of the C model. TOP reports the RTL's capabilities (crypto offload,
//    ESN, IPv6, tunnel, AES-192/256; no packet offload) and table sizes.
//  - The parser: the C model's own (hwmodel/parser.h, parser_rx / parser_tx_crypto). The
//    frame's ESP part (from the SPI to the IP length) goes into the RTL with the outer
//    destination address as sideband; the header bytes before it come back around the RTL's
//    output. Frames the parser passes up (not ESP, fragments) and TX frames without IPsec do
//    not need the crypto pipeline; frames it rejects are dropped (bad_syntax), as in esp_rx.c.
#ifndef NICSIM_DUT_RTL_H
#define NICSIM_DUT_RTL_H

#include "cosim.h"

extern "C" {
#include "dut_if.h"
}

// RTL capacities (crypto_top parameters); the C model side of a pair must use the same.
#define DUT_RTL_SA_ENTRIES 64u

struct dut_if *dut_rtl_create(cosim *cs, char *err, size_t errlen);

#endif

#!/bin/bash
# test_sc.sh - the SystemC platform against the pure C run (`make sc-test`, from the repository
# root with B set to the build directory). For each scenario nicsim_sc and `nicsim run` get the
# same options; the wire pcap, the delivered pcap, the esp_sa file, the JSON report and the
# table must be identical except the host seconds. Then the TLM protocol checks (sc_tlm_test).
# NICSIM_SC_RTL=1 adds the runs with the Verilated GCM engine (--rtl-gcm).
set -u
B=${B:-build}
C="$B/bin/nicsim"
SC="$B/bin/nicsim_sc"
TMP=$(mktemp -d /tmp/nicsim-sc.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "sc: FAIL $*"; }

for b in "$C" "$SC" "$B/bin/sc_tlm_test"; do
    [ -x "$b" ] || { echo "sc: $b not built"; echo "sc: 0 passed, 1 failed"; exit 1; }
done

# host time is the only thing allowed to differ
strip_host() { sed -E -e 's/"host_seconds": [0-9.e+-]+/"host_seconds": X/' \
                      -e 's/, [0-9.]+ s host\)/, X s host)/' "$1"; }

# same NAME "PLATFORM OPTIONS" RUN OPTIONS...: both binaries, all outputs compared
same() {
    local name=$1 plat=$2
    shift 2
    local c="$TMP/$name.c" s="$TMP/$name.sc"
    "$C" run "$@" --out "$c.wire.pcap" --rx-out "$c.rx.pcap" --report "$c.json" \
        --esp-sa "$c.esp_sa" >"$c.out" 2>"$c.err"
    echo $? >"$c.rc"
    # shellcheck disable=SC2086
    "$SC" $plat "$@" --out "$s.wire.pcap" --rx-out "$s.rx.pcap" --report "$s.json" \
        --esp-sa "$s.esp_sa" >"$s.out" 2>"$s.err"
    echo $? >"$s.rc"
    cmp -s "$c.rc" "$s.rc" && ok || bad "$name: exit $(cat "$s.rc"), C run $(cat "$c.rc")"
    [ "$(cat "$c.rc")" = "${EXPECT_RC:-0}" ] && ok || bad "$name: C run exits $(cat "$c.rc")"
    for f in wire.pcap rx.pcap esp_sa; do
        if [ -e "$c.$f" ] || [ -e "$s.$f" ]; then
            cmp -s "$c.$f" "$s.$f" && ok || bad "$name: $f differs"
        fi
    done
    diff <(strip_host "$c.json") <(strip_host "$s.json") >/dev/null && ok ||
        bad "$name: JSON report differs"
    diff <(strip_host "$c.out") <(strip_host "$s.out") >/dev/null && ok ||
        bad "$name: stdout differs"
    cmp -s "$c.err" "$s.err" && ok || bad "$name: stderr differs"
}

same default ""
same no_dmi "--no-dmi"
same quantum_half "--quantum 500"
same quantum_tiny "--quantum 5" --packets 600
same quantum_small "--quantum 50" --packets 600
same quantum_large "--quantum 1000000"
same tx_only "" --dir tx --packets 500
same sizes "" --packets 800 --size 1400 --rate 0 --seed 7
# RX from a capture: the wire of the default run, decrypted by the RX card alone
same rx_only "" --dir rx --in "$TMP/default.c.wire.pcap"
printf 'data_mode = 1\n' >"$TMP/bit.conf"
same bit_mode "" --config "$TMP/bit.conf" --packets 300
if [ "${NICSIM_SC_RTL:-0}" = 1 ]; then
    same rtl_gcm "--rtl-gcm" --config "$TMP/bit.conf" --packets 300
    "$SC" --rtl-gcm --sc-stats --config "$TMP/bit.conf" --packets 20 --quiet >/dev/null \
        2>"$TMP/rtl.err"
    grep -Eq '^RTL GCM engines: [1-9][0-9]* clock edges' "$TMP/rtl.err" && ok ||
        bad "--rtl-gcm: the RTL engines were never clocked"
    "$SC" --rtl-gcm --packets 20 --quiet >/dev/null 2>"$TMP/rtl2.err"
    [ $? = 2 ] && grep -q 'data_mode = 1' "$TMP/rtl2.err" && ok ||
        bad "--rtl-gcm without data_mode = 1 must refuse"
else
    "$SC" --rtl-gcm --packets 20 --quiet >/dev/null 2>"$TMP/rtl3.err"
    [ $? != 0 ] && grep -q 'built without' "$TMP/rtl3.err" && ok ||
        bad "--rtl-gcm without the RTL must say so"
fi

# a non-empty wire and the platform really in the path
[ -s "$TMP/default.sc.wire.pcap" ] && ok || bad "default: empty wire pcap"
"$SC" --sc-stats --quiet --packets 100 >/dev/null 2>"$TMP/stats.err"
grep -q 'card0: .* [1-9][0-9]* mmio (0 errors), dma [1-9][0-9]* dmi' "$TMP/stats.err" && ok ||
    bad "--sc-stats: the TX card saw no MMIO/DMA through its sockets"
"$SC" --sc-stats --no-dmi --quiet --packets 100 >/dev/null 2>"$TMP/stats2.err"
grep -q 'card1: .* dma 0 dmi + [1-9][0-9]* b_transport (0 errors), frames 0 out 100 in' \
    "$TMP/stats2.err" && ok || bad "--no-dmi: the RX card's DMA did not use b_transport"

# usage errors: one line, exit 2
"$SC" --quantum x >/dev/null 2>"$TMP/u.err"
[ $? = 2 ] && [ "$(wc -l <"$TMP/u.err")" = 1 ] && ok || bad "--quantum x"
"$SC" --bogus >/dev/null 2>"$TMP/u2.err"
[ $? = 2 ] && [ "$(wc -l <"$TMP/u2.err")" = 1 ] && ok || bad "unknown option"

# TLM protocol errors
"$B/bin/sc_tlm_test" >"$TMP/tlm.out" 2>&1
[ $? = 0 ] && ok || { bad "sc_tlm_test"; cat "$TMP/tlm.out"; }
tail -n 1 "$TMP/tlm.out" | grep -Eq '^[1-9][0-9]* passed, 0 failed$' && ok ||
    bad "sc_tlm_test: $(tail -n 1 "$TMP/tlm.out")"

echo "sc: $pass passed, $fail failed"
[ "$fail" = 0 ]

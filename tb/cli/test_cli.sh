#!/bin/bash
# test_cli.sh - command-line checks of the nicsim binary: exit codes, the last line of
# `nicsim vectors`, one-line errors, --help of every subcommand. Run by `make test-cli` from the
# repository root with B set to the build directory (build or build/asan).
set -u
B=${B:-build}
NICSIM="$B/bin/nicsim"
D=tb/unit/data
TMP=$(mktemp -d /tmp/nicsim-cli.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
pass=0
fail=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "cli: FAIL $*"; }

# run NAME ARGS...: runs nicsim, leaving stdout, stderr and the exit status in $TMP/NAME.*
run() {
    local name=$1
    shift
    "$NICSIM" "$@" >"$TMP/$name.out" 2>"$TMP/$name.err"
    echo $? >"$TMP/$name.rc"
}
rc() { cat "$TMP/$1.rc"; }
last() { tail -n 1 "$TMP/$1.out"; }
lines() { wc -l <"$TMP/$1.$2" | tr -d ' '; }

if [ ! -x "$NICSIM" ]; then
    echo "cli: $NICSIM not built"
    echo "cli: 0 passed, 1 failed"
    exit 1
fi

GOOD="$D/cavp_encrypt.rsp $D/cavp_decrypt.rsp $D/wp_good.json $D/esp_good.vec"

# Good files: exit 0, last line "N passed, 0 failed" with N > 0, skipped count just before it.
run good vectors $GOOD
[ "$(rc good)" = 0 ] && ok || bad "vectors on good files exits $(rc good)"
last good | grep -Eq '^[1-9][0-9]* passed, 0 failed$' && ok || bad "good: last line '$(last good)'"
tail -n 2 "$TMP/good.out" | head -n 1 | grep -Eq '^[0-9]+ skipped \(unsupported by engine\)$' \
    && ok || bad "good: no skipped line before the last"
[ "$(grep -c ' \[ref\]: ' "$TMP/good.out")" = 4 ] && ok || bad "good: not one line per file"

# Same with an explicit engine and --quiet: only the two closing lines.
run quiet vectors --engine ref --quiet $GOOD
[ "$(rc quiet)" = 0 ] && [ "$(lines quiet out)" = 2 ] && ok \
    || bad "--quiet prints $(lines quiet out) lines"

# A wrong expected tag must fail the run.
run wrong vectors --engine ref $D/cavp_wrong_tag.rsp
[ "$(rc wrong)" != 0 ] && ok || bad "wrong tag exits 0"
[ "$(last wrong)" = "1 passed, 1 failed" ] && ok || bad "wrong tag: last line '$(last wrong)'"
grep -q '^tb/unit/data/cavp_wrong_tag.rsp:17: FAIL \[ref\] Count 1: ' "$TMP/wrong.out" \
    && ok || bad "wrong tag: no FAIL line"

# A malformed file: one error line, counted once, and the next file still runs.
run malformed vectors --engine ref $D/esp_dup_name.vec $D/esp_good.vec
[ "$(rc malformed)" != 0 ] && ok || bad "malformed file exits 0"
[ "$(grep -c 'error:' "$TMP/malformed.out")" = 1 ] && ok || bad "malformed: not one error line"
grep -q "^$D/esp_good.vec \[ref\]: 11 passed, 0 failed" "$TMP/malformed.out" \
    && ok || bad "malformed: the next file did not run"
last malformed | grep -Eq '^12 passed, 1 failed$' && ok \
    || bad "malformed: last line '$(last malformed)'"

# Usage errors: exit 2 and exactly one line on stderr.
usage_error() {
    local name=$1
    shift
    run "$name" "$@"
    [ "$(rc "$name")" = 2 ] && [ "$(lines "$name" err)" = 1 ] && ok \
        || bad "'nicsim $*' exits $(rc "$name") with $(lines "$name" err) stderr lines"
}
usage_error nofiles vectors
usage_error badengine vectors --engine no-such-engine $D/esp_good.vec
usage_error badopt vectors --frobnicate $D/esp_good.vec
usage_error nosub
usage_error unknown no-such-subcommand
[ "$(lines unknown out)" = 0 ] && ok || bad "unknown subcommand prints on stdout"
usage_error runarg regress extra-argument

# --help: the top level and every subcommand it lists.
run help --help
[ "$(rc help)" = 0 ] && grep -q '^usage: nicsim' "$TMP/help.out" && ok || bad "nicsim --help"
subs=$(awk '/^subcommands:/ { on = 1; next } on && /^  [a-z]/ { print $1 } on && /^$/ { on = 0 }' \
    "$TMP/help.out")
[ -n "$subs" ] && ok || bad "nicsim --help lists no subcommands"
for s in $subs; do
    run "help-$s" "$s" --help
    [ "$(rc "help-$s")" = 0 ] && grep -q "^usage: nicsim $s" "$TMP/help-$s.out" \
        && ok || bad "nicsim $s --help"
done

# `nicsim regress` finds the shipped vectors from the root and from elsewhere (through the
# executable's path); its last line has the same form, and exit 0 goes with "0 failed".
for where in . "$TMP"; do
    abs=$(cd "$(dirname "$NICSIM")" && pwd)/nicsim
    (cd "$where" && "$abs" regress >"$TMP/run.out" 2>"$TMP/run.err")
    r=$?
    if last run | grep -Eq '^[0-9]+ passed, [0-9]+ failed$'; then
        ok
        if [ $r = 0 ]; then
            last run | grep -Eq ' 0 failed$' && ok || bad "run exits 0 with '$(last run)'"
        else
            last run | grep -Eq ' 0 failed$' && bad "run exits $r with '$(last run)'" || ok
        fi
    else
        bad "nicsim run from $where: last line '$(last run)' $(head -n 1 "$TMP/run.err")"
    fi
done

# ---- nicsim run: the main job ---------------------------------------------------------------
# The default scenario: exit 0 and every packet back unchanged.
run default run
[ "$(rc default)" = 0 ] && last default | grep -Eq '^loopback: 3000 sent, 3000 delivered, 0 mismatches$' \
    && ok || bad "default scenario: rc $(rc default), '$(last default)' $(head -n 1 "$TMP/default.err")"

# Wire capture + esp_sa file: tshark decrypts every frame and finds every ICV good.
run wire run --packets 200 --out "$TMP/wire.pcap" --rx-out "$TMP/plain.pcap" \
    --esp-sa "$TMP/esp_sa" --report "$TMP/report.json"
[ "$(rc wire)" = 0 ] && ok || bad "run with outputs: rc $(rc wire) $(head -n 1 "$TMP/wire.err")"
grep -q '"packets_out": 200' "$TMP/report.json" && ok || bad "report.json lacks packets_out 200"
if command -v tshark >/dev/null; then
    mkdir -p "$TMP/home/.config/wireshark"
    cp "$TMP/esp_sa" "$TMP/home/.config/wireshark/esp_sa"
    # UDP is not dissected: heuristic dissectors choke on random payloads and skip the ICV check
    HOME="$TMP/home" tshark -r "$TMP/wire.pcap" --disable-protocol udp -o esp.enable_encryption_decode:TRUE \
        -o esp.enable_authentication_check:TRUE -T fields -e esp.icv_good \
        >"$TMP/icv.txt" 2>"$TMP/tshark.err"
    good=$(grep -c '^1$' "$TMP/icv.txt")
    [ "$good" = 200 ] && ok || bad "tshark: $good of 200 ICVs good ($(head -n 1 "$TMP/tshark.err"))"
else
    bad "tshark is not installed (make deps installs it)"
fi

# The delivered plaintext pcap goes round again: TX, wire, RX, equal to the input.
run again run --in "$TMP/plain.pcap"
[ "$(rc again)" = 0 ] && last again | grep -Eq '^loopback: 200 sent, 200 delivered, 0 mismatches$' \
    && ok || bad "pcap round trip: '$(last again)' $(head -n 1 "$TMP/again.err")"

# Bad inputs: one-line reasons, exit 2, never a crash.
printf 'ip xfrm state add src 1.2.3.4 dst 5.6.7.8 proto esp spi zz mode transport\n' >"$TMP/bad.sa"
run badsa run --sa "$TMP/bad.sa"
[ "$(rc badsa)" = 2 ] && grep -q 'bad.sa:1:' "$TMP/badsa.err" && ok \
    || bad "bad SA script: rc $(rc badsa), $(head -n 1 "$TMP/badsa.err")"
head -c 100 /dev/urandom >"$TMP/junk.pcap"
run badpcap run --in "$TMP/junk.pcap"
[ "$(rc badpcap)" = 2 ] && [ "$(lines badpcap err)" = 1 ] && ok \
    || bad "junk pcap: rc $(rc badpcap), $(head -n 1 "$TMP/badpcap.err")"
run badopt run --packets -5
[ "$(rc badopt)" = 2 ] && [ "$(lines badopt err)" = 1 ] && ok || bad "bad option: rc $(rc badopt)"
run norx run --dir rx
[ "$(rc norx)" = 2 ] && ok || bad "--dir rx without --in: rc $(rc norx)"

# Stimulus (vectors/stim/README.md): a generated file runs on the model with every expect
# holding; a wrong expect fails with its line; a malformed record is "FILE:LINE: reason", exit 2.
run sgen stim gen --seed 7 --packets 120 --packet-rx -o "$TMP/s.stim"
[ "$(rc sgen)" = 0 ] && ok || bad "stim gen exits $(rc sgen): $(head -n 1 "$TMP/sgen.err")"
run srun stim run "$TMP/s.stim"
[ "$(rc srun)" = 0 ] && last srun | grep -Eq '^120 packets, [0-9]+ cycles, 0 mismatches$' && ok \
    || bad "stim run: rc $(rc srun), '$(last srun)' $(head -n 1 "$TMP/srun.err")"
# flip one hex digit of the first expected frame: the run must notice, naming the line
n=$(grep -n '^expect .*frame=' "$TMP/s.stim" | head -n 1 | cut -d: -f1)
awk -v n="$n" 'NR == n { i = index($0, "frame=") + 8; c = substr($0, i, 1);
    $0 = substr($0, 1, i - 1) (c == "0" ? "1" : "0") substr($0, i + 1) } { print }' \
    "$TMP/s.stim" >"$TMP/wrong.stim"
run swrong stim run "$TMP/wrong.stim"
[ "$(rc swrong)" = 1 ] && grep -q "wrong.stim:$n: frame byte" "$TMP/swrong.err" && ok \
    || bad "wrong expect: rc $(rc swrong), $(head -n 1 "$TMP/swrong.err")"
printf 'idle 5\nrx frame=4\n' >"$TMP/bad.stim"
run sbad stim run "$TMP/bad.stim"
[ "$(rc sbad)" = 2 ] && grep -q 'bad.stim:2: frame: odd number' "$TMP/sbad.err" && ok \
    || bad "malformed stimulus: rc $(rc sbad), $(head -n 1 "$TMP/sbad.err")"
printf 'tx nosuch frame=00\n' >"$TMP/bad2.stim"
run sbad2 stim run "$TMP/bad2.stim"
[ "$(rc sbad2)" = 2 ] && grep -q "unknown SA 'nosuch'" "$TMP/sbad2.err" && ok \
    || bad "unknown SA: rc $(rc sbad2), $(head -n 1 "$TMP/sbad2.err")"

# The rtl engine: GCM records through the Verilated gcm_engine, ESP records through the RTL
# pipeline top. The normal profile has the cosim programs (make test builds them first); the
# sanitizer profile does not, and the engine must then say so in one line.
if [ -x "$B/cosim/bin/cosim_top" ] && [ -x "$B/cosim/bin/cosim_gcm_engine" ]; then
    run rtlvec vectors --engine rtl $GOOD
    [ "$(rc rtlvec)" = 0 ] && last rtlvec | grep -Eq '^[1-9][0-9]* passed, 0 failed$' && ok \
        || bad "vectors --engine rtl: rc $(rc rtlvec), '$(last rtlvec)'"
else
    run rtlvec vectors --engine rtl $GOOD
    [ "$(rc rtlvec)" != 0 ] && grep -q 'not found; run make cosim-build' "$TMP/rtlvec.err" && ok \
        || bad "vectors --engine rtl without the cosim programs: rc $(rc rtlvec)"
fi

echo "cli: $pass passed, $fail failed"
[ "$fail" = 0 ]

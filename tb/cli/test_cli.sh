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

echo "cli: $pass passed, $fail failed"
[ "$fail" = 0 ]

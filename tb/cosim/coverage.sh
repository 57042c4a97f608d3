#!/bin/bash
# coverage.sh DIR - `make coverage`: run every coverage-built cosim program in DIR/bin (block
# lock-steps on three seeds, the top-level cosim on two), merge the counts with
# verilator_coverage, and write DIR/report.txt: line, branch and toggle coverage per RTL file,
# then every point the regression never hit (file:line, kind, what). DIR/annotate holds the
# annotated sources (verilator_coverage --annotate).
set -euo pipefail
D=$1
rm -rf "$D/dat" "$D/annotate"
mkdir -p "$D/dat"
export COSIM_COVERAGE_DIR=$D/dat
for p in "$D"/bin/cosim_*; do
    name=${p##*/cosim_}
    if [ "$name" = top ]; then
        for s in 1 2; do "$p" --seed $s --packets 300 --quiet; done
    else
        for s in 1 2 3; do "$p" --seed $s --quiet; done
    fi
done
verilator_coverage --write "$D/merged.dat" "$D"/dat/*.dat
verilator_coverage --annotate "$D/annotate" "$D/merged.dat" >"$D/annotate.log"
# merged.dat: C '<\1key\2value...>' count; keys f file, l line, page v_<kind>/<module>, o what
LC_ALL=C awk -v root="$(pwd)/" '
    /^C / {
        count = $NF
        rec = substr($0, 4, length($0) - length(count) - 5)
        n = split(rec, kv, "\001")
        file = ""; line = ""; kind = ""; what = ""
        for (i = 2; i <= n; i++) {
            split(kv[i], p, "\002")
            if (p[1] == "f") file = p[2]
            else if (p[1] == "l") line = p[2]
            else if (p[1] == "o") what = p[2]
            else if (p[1] == "page") { kind = p[2]; sub(/\/.*/, "", kind); sub(/^v_/, "", kind) }
        }
        sub(root, "", file)
        key = file SUBSEP kind
        total[key]++; files[file] = 1; kinds[kind] = 1
        if (count + 0 > 0) hit[key]++
        else miss[++nmiss] = sprintf("%s:%s %s %s", file, line, kind, what)
    }
    END {
        split("line branch toggle", ks, " ")
        for (f in files) {
            printf "%-24s", f
            for (k = 1; k <= 3; k++) {
                key = f SUBSEP ks[k]
                if (total[key]) {
                    printf " %7d/%-6d%4.0f%%", hit[key], total[key], 100 * hit[key] / total[key]
                    T[ks[k]] += total[key]; H[ks[k]] += hit[key]
                } else printf " %18s", "-"
            }
            printf "\n"
        }
        printf "~%-23s", "all"
        for (k = 1; k <= 3; k++)
            printf " %7d/%-6d%4.0f%%", H[ks[k]], T[ks[k]], T[ks[k]] ? 100 * H[ks[k]] / T[ks[k]] : 0
        printf "\n"
        for (i = 1; i <= nmiss; i++) print "~~" miss[i]
    }' "$D/merged.dat" | sort >"$D/sorted.txt"
{
    printf 'RTL coverage (make coverage): points hit / total per file\n\n'
    printf '%-24s %18s %18s %18s\n' file line branch toggle
    grep -v '^~' "$D/sorted.txt"
    grep '^~all' "$D/sorted.txt" | sed 's/^~//'
    printf '\nNever hit (%d points):\n' "$(grep -c '^~~' "$D/sorted.txt" || true)"
    grep '^~~' "$D/sorted.txt" | sed 's/^~~/  /' || true
} >"$D/report.txt"
rm -f "$D/sorted.txt"
sed -n '1,/^all/p' "$D/report.txt"
grep '^Never hit' "$D/report.txt"
echo "report: $D/report.txt, annotated sources: $D/annotate/"

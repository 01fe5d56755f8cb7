#!/usr/bin/env bash
# bench/lint.sh: lint one generated bundle with iotcert and with zlint's own
# CLI (built from the zlint version pinned in go.mod) and print
# certificates/second, the ratios and peak RSS.
#
#   bench/lint.sh [N] [SUBSET]      # N certificates (default 10000); SUBSET
#                                   # certificates for the one-process-per-
#                                   # certificate loops (default 200)
#   REPEAT=3 bench/lint.sh 100000   # each timing REPEAT times, best kept
#
# What runs (see docs/performance.md, "Linting bundles"):
#   iotcert   iotcert lint --format json bundle.pem: every lint of the
#             tls13-iot profile (IoT profile lints and zlint's RFC 5280
#             lints) plus chain building and the chain checks, all cores.
#   zlint     zlint -includeSources RFC5280 over the same certificates, split
#             into one PEM file each (zlint reads one certificate a file;
#             the split is done once, outside the timing), all files in one
#             process (xargs: one process unless the names overflow ARG_MAX).
#   loops     the first SUBSET certificates with one process per
#             certificate, as shell loops do, for zlint and for iotcert.
# Needs: go, awk, /usr/bin/time (GNU time), the Go module proxy for zlint.
set -euo pipefail

N=${1:-10000}
SUBSET=${2:-200}
REPEAT=${REPEAT:-1}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/iotcert-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

zlint_version=$(cd "$root" && go list -m -f '{{.Version}}' github.com/zmap/zlint/v3)
psl_version=$(cd "$root" && go list -m -f '{{.Version}}' github.com/weppos/publicsuffix-go)
go_version=$(cd "$root" && go list -m -f '{{.GoVersion}}')

echo "building iotcert and the bundle generator"
(cd "$root" && go build -o "$work/iotcert" ./cmd/iotcert && go build -o "$work/genbundle" ./bench/genbundle)

echo "building zlint's CLI $zlint_version (publicsuffix-go $psl_version, as iotcert builds with)"
mkdir "$work/zlintcli"
cat > "$work/zlintcli/go.mod" <<EOF
module zlintcli

go $go_version

require (
	github.com/zmap/zlint/v3 $zlint_version
	github.com/weppos/publicsuffix-go $psl_version
)
EOF
cat > "$work/zlintcli/tools.go" <<'EOF'
//go:build tools

package tools

import _ "github.com/zmap/zlint/v3/cmd/zlint"
EOF
(cd "$work/zlintcli" && GOFLAGS=-mod=mod go mod tidy >/dev/null 2>&1 &&
	GOFLAGS=-mod=mod go build -o "$work/zlint" github.com/zmap/zlint/v3/cmd/zlint)

echo "generating a bundle of $N certificates"
"$work/genbundle" -n "$N" -out "$work/bundle.pem"
mkdir "$work/split"
(cd "$work/split" && awk '/-----BEGIN CERTIFICATE-----/ { n++; f = sprintf("%07d.pem", n) }
	f { print > f }
	/-----END CERTIFICATE-----/ { close(f); f = "" }' "$work/bundle.pem")
files=$(ls "$work/split" | wc -l)
[ "$files" -eq "$N" ] || { echo "split gave $files files, want $N" >&2; exit 1; }
ls "$work/split" | awk -v n="$SUBSET" 'NR <= n' > "$work/subset"

# measure NAME CMD...: runs CMD REPEAT times under GNU time, keeps the
# fastest run; sets secs and rss_kb. CMD's exit status 1 (findings) is fine.
measure() {
	local name=$1 best="" best_rss="" i out
	shift
	for ((i = 1; i <= REPEAT; i++)); do
		set +e
		/usr/bin/time -f '%e %M' -o "$work/time" "$@" > /dev/null 2> "$work/stderr"
		local status=$?
		set -e
		if [ "$status" -gt 1 ]; then
			echo "$name failed (exit $status):" >&2
			head -n 20 "$work/stderr" >&2
			exit 1
		fi
		out=$(tail -n 1 "$work/time")
		if [ -z "$best" ] || awk -v a="${out% *}" -v b="$best" 'BEGIN { exit !(a < b) }'; then
			best=${out% *}
			best_rss=${out#* }
		fi
		echo "  $name run $i: ${out% *} s, peak RSS $((${out#* } / 1024)) MB"
	done
	secs=$best
	rss_kb=$best_rss
}

rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }'; }

cores=$(nproc)
echo "linting ($cores cores, REPEAT=$REPEAT; load average: $(cut -d' ' -f1-3 /proc/loadavg))"
measure "iotcert lint" "$work/iotcert" lint --format json "$work/bundle.pem"
iot_secs=$secs iot_rss=$rss_kb
measure "zlint, one process" sh -c 'cd "$1/split" && ls | xargs "$1/zlint" -includeSources RFC5280' sh "$work"
zl_secs=$secs zl_rss=$rss_kb
measure "zlint, one process per certificate ($SUBSET)" sh -c 'cd "$1/split" && while read -r f; do "$1/zlint" -includeSources RFC5280 "$f" || exit 2; done < "$1/subset"' sh "$work"
zl1_secs=$secs
measure "iotcert, one process per certificate ($SUBSET)" sh -c 'cd "$1/split" && while read -r f; do "$1/iotcert" lint --format json "$f"; [ $? -le 1 ] || exit 2; done < "$1/subset"' sh "$work"
iot1_secs=$secs

iot_rate=$(rate "$N" "$iot_secs")
zl_rate=$(rate "$N" "$zl_secs")
zl1_rate=$(rate "$SUBSET" "$zl1_secs")
iot1_rate=$(rate "$SUBSET" "$iot1_secs")
echo
printf '%-52s %10s %12s %10s\n' "run" "seconds" "certs/s" "peak RSS"
printf '%-52s %10s %12s %7s MB\n' "iotcert lint, $N certificates (all lints + chains)" "$iot_secs" "$iot_rate" "$((iot_rss / 1024))"
printf '%-52s %10s %12s %7s MB\n' "zlint -includeSources RFC5280, $N files, 1 process" "$zl_secs" "$zl_rate" "$((zl_rss / 1024))"
printf '%-52s %10s %12s\n' "zlint, 1 process per certificate ($SUBSET)" "$zl1_secs" "$zl1_rate"
printf '%-52s %10s %12s\n' "iotcert lint, 1 process per certificate ($SUBSET)" "$iot1_secs" "$iot1_rate"
echo
awk -v a="$iot_rate" -v b="$zl_rate" -v c="$zl1_rate" -v d="$iot1_rate" 'BEGIN {
	printf "iotcert / zlint (one process):               %.2fx\n", a / b
	printf "iotcert / zlint (one process per cert):      %.1fx\n", a / c
	printf "iotcert / iotcert (one process per cert):    %.1fx\n", a / d
}'

#!/usr/bin/env bash
# bench/serve.sh: load "iotcert serve" with single-certificate lint requests
# and compare with "iotcert lint" started once per certificate.
#
#   bench/serve.sh [N] [SUBSET]     # a bundle of N certificates (default
#                                   # 20000); SUBSET certificates for the
#                                   # one-process-per-certificate loop
#                                   # (default 200)
#   C=8 DURATION=20s REPEAT=3 bench/serve.sh
#
# What runs (see docs/performance.md, "iotcert serve"):
#   serve     iotcert serve on a free 127.0.0.1 port (all cores), loaded by
#             bench/serveload: C workers with keep-alive connections post
#             the bundle's certificates one a request (PEM, tls13-iot, the
#             JSON report read whole), for DURATION or 1,000,000 requests
#             after a 2 s warm-up; the load generator runs on the same
#             machine and takes part of its cores. REPEAT runs, the best kept.
#   loop      the first SUBSET certificates, one "iotcert lint --format
#             json FILE" process each, as a station's shell script would.
# Nothing leaves 127.0.0.1. Needs: go, awk.
set -euo pipefail

N=${1:-20000}
SUBSET=${2:-200}
C=${C:-8}
DURATION=${DURATION:-20s}
REPEAT=${REPEAT:-1}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/iotcert-serve-bench.XXXXXX")
server=""
cleanup() {
	if [ -n "$server" ]; then kill -TERM "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
	rm -rf "$work"
}
trap cleanup EXIT

echo "building iotcert, the load generator and the bundle generator"
(cd "$root" && go build -o "$work/iotcert" ./cmd/iotcert && go build -o "$work/serveload" ./bench/serveload &&
	go build -o "$work/genbundle" ./bench/genbundle)

echo "generating a bundle of $N certificates"
"$work/genbundle" -n "$N" -out "$work/bundle.pem"
mkdir "$work/split"
(cd "$work/split" && awk '/-----BEGIN CERTIFICATE-----/ { n++; f = sprintf("%07d.pem", n) }
	f { print > f }
	/-----END CERTIFICATE-----/ { close(f); f = "" }' "$work/bundle.pem")
ls "$work/split" | awk -v n="$SUBSET" 'NR <= n' > "$work/subset"

echo "starting iotcert serve"
"$work/iotcert" serve --listen 127.0.0.1:0 --max-concurrent $((C * 2)) 2> "$work/serve.log" &
server=$!
url=""
for _ in $(seq 100); do
	url=$(sed -n 's/.*"msg":"listening","url":"\(http:\/\/127\.0\.0\.1:[0-9]*\)\/".*/\1/p' "$work/serve.log")
	[ -n "$url" ] && break
	sleep 0.1
done
[ -n "$url" ] || { echo "iotcert serve did not start:" >&2; cat "$work/serve.log" >&2; exit 1; }

cores=$(nproc)
echo "loading $url ($cores cores, C=$C, DURATION=$DURATION, REPEAT=$REPEAT; load average: $(cut -d' ' -f1-3 /proc/loadavg))"
# cpu_ticks PID: user + system CPU time of a process, in clock ticks.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
tck=$(getconf CLK_TCK)
best=""
for ((i = 1; i <= REPEAT; i++)); do
	before=$(cpu_ticks "$server")
	out=$("$work/serveload" -url "$url" -bundle "$work/bundle.pem" -c "$C" -n 1000000 -d "$DURATION" -json)
	after=$(cpu_ticks "$server")
	reqs=$(echo "$out" | sed 's/.*"requests":\([0-9]*\).*/\1/')
	# The server's CPU per request includes the warm-up's requests, so it is
	# an upper bound; 2 cores divided by it is what the server alone would
	# answer with the cores to itself.
	cpu_us=$(awk -v t=$((after - before)) -v hz="$tck" -v n="$reqs" 'BEGIN { printf "%.0f", t / hz * 1e6 / n }')
	echo "  run $i: $out, server CPU ≤ $cpu_us µs/request"
	rps=$(echo "$out" | sed 's/.*"requests_per_second":\([0-9.]*\).*/\1/')
	if [ -z "$best" ] || awk -v a="$rps" -v b="$best" 'BEGIN { exit !(a > b) }'; then best=$rps best_out=$out best_cpu=$cpu_us; fi
done
p99=$(echo "$best_out" | sed 's/.*"p99_ms":\([0-9.]*\).*/\1/')
errors=$(echo "$best_out" | sed 's/.*"errors":\([0-9]*\).*/\1/')

echo "one process per certificate ($SUBSET)"
start=$(date +%s.%N)
(cd "$work/split" && while read -r f; do "$work/iotcert" lint --format json "$f" > /dev/null; [ $? -le 1 ] || exit 2; done < "$work/subset") || true
end=$(date +%s.%N)
loop_rate=$(awk -v n="$SUBSET" -v a="$start" -v b="$end" 'BEGIN { printf "%.0f", n / (b - a) }')

echo
printf '%-58s %14s\n' "run" "certificates/s"
printf '%-58s %14.0f   (p99 %s ms, %s not 200)\n' "iotcert serve, 1 certificate a request, C=$C keep-alive" "$best" "$p99" "$errors"
printf '%-58s %14s\n' "iotcert lint, 1 process per certificate ($SUBSET)" "$loop_rate"
awk -v c="$best_cpu" -v n="$cores" 'BEGIN { printf "\nserver CPU per request: at most %d µs, so at least %.0f requests/s on %d cores with the cores to itself\n", c, n * 1e6 / c, n }' 
awk -v a="$best" -v b="$loop_rate" 'BEGIN { printf "\nserve / one process per certificate: %.0fx\n", a / b }'

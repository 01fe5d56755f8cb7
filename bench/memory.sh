#!/usr/bin/env bash
# bench/memory.sh: peak RSS of "iotcert lint" on generated bundles of
# several sizes, against openssl holding the same bundle in memory, in one
# run (docs/performance.md, "Memory").
#
#   bench/memory.sh [N...]          # bundle sizes (default: 100000 1000000)
#   KEEP=DIR bench/memory.sh 100000 # keep (and reuse) the bundles in DIR
#
# For each N: bench/genbundle makes a bundle of N certificates (one root,
# four device CAs, devices of the tls13-iot profile, one in 200 broken;
# KEY_REUSE consecutive devices share a key, default 10, which makes the
# millions quicker to generate and adds a w_chain_key_reuse finding to
# most devices). Then, under GNU time, the peak RSS ("maximum resident set
# size") of:
#   iotcert   iotcert lint --format json bundle.pem > /dev/null: every
#             lint of tls13-iot, chain building, path verdicts, the JSON
#             report (results spooled to $TMPDIR).
#   openssl   openssl crl2pkcs7 -nocrl -certfile bundle.pem -outform DER:
#             reads every certificate of the bundle into one in-memory
#             stack (what a tool that holds the bundle costs) and writes
#             them as one PKCS#7 to /dev/null.
# and the bundle's size on disk. Timings are printed but are not the point
# (see bench/lint.sh for throughput). Needs: go, openssl, /usr/bin/time.
set -euo pipefail

sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100000 1000000)
KEY_REUSE=${KEY_REUSE:-10}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/iotcert-mem.XXXXXX")
trap 'rm -rf "$work"' EXIT
data=${KEEP:-$work}
mkdir -p "$data"

echo "building iotcert and the bundle generator"
(cd "$root" && go build -o "$work/iotcert" ./cmd/iotcert && go build -o "$work/genbundle" ./bench/genbundle)

# peak NAME CMD...: runs CMD under GNU time; prints and sets rss_kb, secs.
# Exit status 1 of iotcert (findings) is fine.
peak() {
	local name=$1 status
	shift
	set +e
	/usr/bin/time -f '%e %M' -o "$work/time" "$@" > /dev/null 2> "$work/stderr"
	status=$?
	set -e
	if [ "$status" -gt 1 ]; then
		echo "$name failed (exit $status):" >&2
		head -n 20 "$work/stderr" >&2
		exit 1
	fi
	read -r secs rss_kb < <(tail -n 1 "$work/time")
}

printf '%-10s %10s %16s %16s %8s %10s\n' "certs" "bundle MB" "iotcert RSS MiB" "openssl RSS MiB" "ratio" "iotcert s"
for n in "${sizes[@]}"; do
	b="$data/bundle-$n-$KEY_REUSE.pem"
	if [ ! -s "$b" ]; then
		"$work/genbundle" -n "$n" -key-reuse "$KEY_REUSE" -out "$b.tmp" && mv "$b.tmp" "$b"
	fi
	size=$(($(stat -c %s "$b") / 1000000))
	peak "iotcert lint" "$work/iotcert" lint --format json "$b"
	iot_rss=$rss_kb iot_secs=$secs
	peak "openssl crl2pkcs7" openssl crl2pkcs7 -nocrl -certfile "$b" -outform DER -out /dev/null
	ossl_rss=$rss_kb
	awk -v n="$n" -v s="$size" -v a="$iot_rss" -v b="$ossl_rss" -v t="$iot_secs" 'BEGIN {
		printf "%-10d %10d %16.0f %16.0f %7.2fx %10s\n", n, s, a / 1024, b / 1024, a / b, t
	}'
done
echo "(load average: $(cut -d' ' -f1-3 /proc/loadavg); ratio = iotcert / openssl peak RSS)"

#!/usr/bin/env bash
# Issuance speed: iotcert's batch issuance of P-256 LDevIDs against a bare
# Go loop and an openssl shell loop, measured in one run on this machine.
#
#   bench/issuance.sh [N]        N devices for iotcert and the Go loop (default 10000)
#
# Environment: OPENSSL_N (default 200) devices for the openssl loop,
# ROUNDS (default 5) runs of each contender, alternated; the best rate of
# each is kept, so that another process's burst does not decide.
#
# iotcert: "iotcert gen devices" on the example spec (root -> device CA ->
#   BACnet LDevIDs): per device a P-256 key, the certificate linted with
#   its profile before signing, signed, the key and certificate made
#   durable, a journal line synced; in both output layouts:
#   --layout jsonl   one record per device appended to devices.jsonl
#                    (group write + fdatasync, then the journal)
#   --layout dirs    devices/<id>/{key,cert,chain}.pem, staged, synced and
#                    renamed into place, then the journal
# bare Go: bench/bareloop: P-256 key + crypto/x509.CreateCertificate (of a
#   certificate with the example LDevID's content) + PEM
#   on every core; nothing written, nothing linted.
# openssl: per device "openssl ecparam -genkey", "openssl req -new",
#   "openssl x509 -req" under the same device CA, one shell loop per core.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-10000}
OPENSSL_N=${OPENSSL_N:-200}
ROUNDS=${ROUNDS:-5}
CORES=$(nproc)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

go build -o "$tmp/iotcert" ./cmd/iotcert
go build -o "$tmp/bareloop" ./bench/bareloop

"$tmp/iotcert" gen example >"$tmp/spec.yaml"
"$tmp/iotcert" gen hierarchy "$tmp/spec.yaml" --out "$tmp/pki" >/dev/null
{ echo "id,serial"; for i in $(seq 1 "$N"); do echo "$i,SN$i"; done; } >"$tmp/devices.csv"

now() { date +%s.%N; }
rate() { awk -v n="$1" -v a="$2" -v b="$3" 'BEGIN { printf "%.0f", n / (b - a) }'; }
best() { awk -v a="$1" -v b="$2" 'BEGIN { print (b > a ? b : a) }'; }

jsonl_rate=0
dirs_rate=0
bare_rate=0
for round in $(seq 1 "$ROUNDS"); do
	for layout in jsonl dirs; do
		# A fresh output directory each run, nothing deleted until the end:
		# ext4 makes new inodes slowly for a while after many were deleted.
		out="$tmp/run$round-$layout"
		mkdir "$out"
		cp -r "$tmp/pki/root" "$tmp/pki/device-ca" "$out/"
		t0=$(now)
		"$tmp/iotcert" gen devices "$tmp/spec.yaml" --out "$out" --from "$tmp/devices.csv" --layout "$layout" >/dev/null
		t1=$(now)
		r=$(rate "$N" "$t0" "$t1")
		if [ "$layout" = jsonl ]; then jsonl_rate=$(best "$jsonl_rate" "$r"); else dirs_rate=$(best "$dirs_rate" "$r"); fi
	done

	t0=$(now)
	"$tmp/bareloop" -n "$N" >/dev/null
	t1=$(now)
	r=$(rate "$N" "$t0" "$t1")
	bare_rate=$(best "$bare_rate" "$r")
	echo "round $round: best so far: iotcert jsonl $jsonl_rate/s, dirs $dirs_rate/s, bare Go $bare_rate/s" >&2
done

# openssl: the same job per device, one shell loop per core.
ca="$tmp/pki/device-ca"
mkdir -p "$tmp/openssl"
one() {
	d="$tmp/openssl/$1"
	openssl ecparam -genkey -name prime256v1 -noout -out "$d.key" 2>/dev/null
	openssl req -new -key "$d.key" -subj "/O=Example Devices Ltd/CN=BACnet controller $1" -out "$d.csr"
	openssl x509 -req -in "$d.csr" -CA "$ca/cert.pem" -CAkey "$ca/key.pem" -set_serial "0x$(openssl rand -hex 16 | sed 's/^./4/')" \
		-days 365 -out "$d.pem" 2>/dev/null
}
export -f one
export tmp ca
t0=$(now)
seq 1 "$OPENSSL_N" | xargs -P "$CORES" -I{} bash -c 'one {}'
t1=$(now)
openssl_rate=$(rate "$OPENSSL_N" "$t0" "$t1")

echo "machine: $CORES cores, $(go version | cut -d' ' -f3), $(openssl version | cut -d' ' -f1-2)"
printf "%-34s %8s devices/s  (%d devices, best of %d)\n" "iotcert gen devices --layout jsonl" "$jsonl_rate" "$N" "$ROUNDS"
printf "%-34s %8s devices/s  (%d devices, best of %d)\n" "iotcert gen devices --layout dirs" "$dirs_rate" "$N" "$ROUNDS"
printf "%-34s %8s devices/s  (%d devices, best of %d)\n" "bare Go loop (keygen+x509+PEM)" "$bare_rate" "$N" "$ROUNDS"
printf "%-34s %8s devices/s  (%d devices, %d loops)\n" "openssl shell loop" "$openssl_rate" "$OPENSSL_N" "$CORES"
awk -v j="$jsonl_rate" -v d="$dirs_rate" -v b="$bare_rate" -v o="$openssl_rate" 'BEGIN {
	printf "iotcert jsonl / bare Go: %.0f%%   (target: at least 70%%)\n", 100 * j / b
	printf "iotcert dirs  / bare Go: %.0f%%   (four new inodes per device: see docs/performance.md)\n", 100 * d / b
	printf "iotcert jsonl / openssl: %.1fx\n", j / o
	printf "iotcert dirs  / openssl: %.1fx\n", d / o
}'

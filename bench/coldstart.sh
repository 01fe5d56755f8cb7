#!/usr/bin/env bash
# bench/coldstart.sh: how long "iotcert lint one.pem" takes from process
# start to exit, against a Go hello-world and zlint's own CLI (built from
# the zlint version pinned in go.mod) timed in the same run, and where the
# package initialisation of each goes.
#
#   bench/coldstart.sh              # 200 runs of each command
#   RUNS=500 bench/coldstart.sh
#   OLD=/tmp/iotcert-main bench/coldstart.sh   # also time another build of
#                                             # iotcert (before a change)
#
# What runs (see docs/performance.md, "Cold start"):
#   hello     a Go program that prints one line: the floor of any Go
#             process on this machine;
#   zlint     zlint -includeSources RFC5280 CERT: zlint's CLI with the
#             zlint lints the tls13-iot profile runs (as bench/lint.sh);
#   iotcert   iotcert lint CERT: the tls13-iot profile (IoT profile lints
#             and zlint's RFC 5280 lints), chain checks, text report.
# CERT is testdata/certs/tls13-iot/ee.pem. The commands run one after the
# other, interleaved by hyperfine's warm-up, on whatever else the machine is
# doing: compare the ratios, which the load shifts less than the times.
# The target of issue 14 is iotcert at most 3.5 times hello.
# Needs: go, hyperfine, awk, the Go module proxy for zlint.
set -euo pipefail

RUNS=${RUNS:-200}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/iotcert-coldstart.XXXXXX")
trap 'rm -rf "$work"' EXIT
cert="$root/testdata/certs/tls13-iot/ee.pem"

command -v hyperfine >/dev/null || { echo "coldstart.sh: needs hyperfine (apt-get install hyperfine)" >&2; exit 2; }

zlint_version=$(cd "$root" && go list -m -f '{{.Version}}' github.com/zmap/zlint/v3)
psl_version=$(cd "$root" && go list -m -f '{{.Version}}' github.com/weppos/publicsuffix-go)
go_version=$(cd "$root" && go list -m -f '{{.GoVersion}}')

echo "building iotcert, hello and zlint's CLI $zlint_version"
(cd "$root" && go build -o "$work/iotcert" ./cmd/iotcert)
mkdir "$work/hello" "$work/zlintcli"
printf 'module hello\n\ngo %s\n' "$go_version" > "$work/hello/go.mod"
printf 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("hello, world") }\n' > "$work/hello/main.go"
(cd "$work/hello" && go build -o "$work/hello-bin" .)
cat > "$work/zlintcli/go.mod" <<EOF
module zlintcli

go $go_version

require (
	github.com/zmap/zlint/v3 $zlint_version
	github.com/weppos/publicsuffix-go $psl_version
)
EOF
printf '//go:build tools\n\npackage tools\n\nimport _ "github.com/zmap/zlint/v3/cmd/zlint"\n' > "$work/zlintcli/tools.go"
(cd "$work/zlintcli" && GOFLAGS=-mod=mod go mod tidy >/dev/null 2>&1 &&
	GOFLAGS=-mod=mod go build -o "$work/zlint" github.com/zmap/zlint/v3/cmd/zlint)

"$work/iotcert" lint "$cert" >/dev/null # exits 0: the certificate conforms
"$work/zlint" -includeSources RFC5280 "$cert" >/dev/null

echo "timing $RUNS runs each (hyperfine -N)"
old=()
if [ -n "${OLD:-}" ]; then old=(-n old "$OLD lint $cert"); fi
hyperfine -N --style none --warmup 20 --runs "$RUNS" --export-csv "$work/times.csv" \
	-n hello "$work/hello-bin" \
	-n zlint "$work/zlint -includeSources RFC5280 $cert" \
	-n iotcert "$work/iotcert lint $cert" "${old[@]}" >/dev/null

# initsum CMD...: the package initialisation time of one process, the
# smallest of 20 (GODEBUG=inittrace=1, summed over packages), in ms.
initsum() {
	for _ in $(seq 20); do
		GODEBUG=inittrace=1 "$@" 2>&1 >/dev/null | awk '/^init /{s+=$5} END{print s}'
	done | sort -g | head -1
}
init_iotcert=$(initsum "$work/iotcert" lint "$cert")
init_zlint=$(initsum "$work/zlint" -includeSources RFC5280 "$cert")
init_hello=$(initsum "$work/hello-bin")

init_old=
if [ -n "${OLD:-}" ]; then init_old=$(initsum "$OLD" lint "$cert"); fi

# The table: wall-clock median and fastest run, CPU time (user + system,
# mean: what the load of other jobs disturbs least) and package init.
awk -F, -v ii="$init_iotcert" -v iz="$init_zlint" -v ih="$init_hello" -v io="$init_old" '
NR > 1 { med[$1] = $4 * 1000; min[$1] = $7 * 1000; cpu[$1] = ($5 + $6) * 1000 }
END {
	printf "\n%-8s %10s %10s %10s %10s\n", "", "median ms", "min ms", "cpu ms", "init ms"
	printf "%-8s %10.1f %10.1f %10.1f %10.1f\n", "hello", med["hello"], min["hello"], cpu["hello"], ih
	printf "%-8s %10.1f %10.1f %10.1f %10.1f\n", "zlint", med["zlint"], min["zlint"], cpu["zlint"], iz
	printf "%-8s %10.1f %10.1f %10.1f %10.1f\n", "iotcert", med["iotcert"], min["iotcert"], cpu["iotcert"], ii
	if ("old" in med) printf "%-8s %10.1f %10.1f %10.1f %10.1f\n", "old", med["old"], min["old"], cpu["old"], io
	printf "\nratios (median): iotcert/hello %.2f (target <= 3.5), iotcert/zlint %.2f, zlint/hello %.2f\n",
		med["iotcert"] / med["hello"], med["iotcert"] / med["zlint"], med["zlint"] / med["hello"]
	printf "ratios (fastest): iotcert/hello %.2f, iotcert/zlint %.2f; (cpu): iotcert/hello %.2f, iotcert/zlint %.2f\n",
		min["iotcert"] / min["hello"], min["iotcert"] / min["zlint"], cpu["iotcert"] / cpu["hello"], cpu["iotcert"] / cpu["zlint"]
	if ("old" in med) printf "old/hello %.2f, iotcert/old %.2f (median), %.2f (cpu)\n", med["old"] / med["hello"], med["iotcert"] / med["old"], cpu["iotcert"] / cpu["old"]
}' "$work/times.csv"

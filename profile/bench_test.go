package profile

// Benchmarks of the pre-issuance lint gate: a conforming bacnet-sc LDevID
// (testdata/certs/bacnet-sc/ee.pem) linted as a factory line lints every
// certificate before signing it.
//
//	go test ./profile -run '^$' -bench LintTBS -benchmem -count 5
//
// The cost of each lint on that certificate, most expensive first, is
// printed by TestLintCosts when IOTCERT_LINT_COSTS is set (it is skipped
// otherwise, so CI does not run it):
//
//	IOTCERT_LINT_COSTS=1 go test ./profile -run '^TestLintCosts$' -v
//	IOTCERT_LINT_COSTS=20 go test ...   # only the 20 most expensive

import (
	"cmp"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/zmap/zcrypto/x509"

	"github.com/iotcert/iotcert/certio"
	"github.com/iotcert/iotcert/role"
)

// benchProfile and benchCertFile are the profile and the certificate the
// benchmarks lint.
const (
	benchProfile  = "bacnet-sc"
	benchCertFile = "../testdata/certs/bacnet-sc/ee.pem"
)

// benchSetup returns the profile and the DER certificate the benchmarks
// lint, and checks that the certificate is a conforming LDevID, so that a
// benchmark measures the pass path of every lint.
func benchSetup(tb testing.TB) (*Profile, []byte, *x509.Certificate) {
	tb.Helper()
	p, err := Default(benchProfile)
	if err != nil {
		tb.Fatal(err)
	}
	data, err := os.ReadFile(filepath.FromSlash(benchCertFile))
	if err != nil {
		tb.Fatal(err)
	}
	var der []byte
	certio.Decode(benchCertFile, data, func(it certio.Item) bool {
		der = it.DER
		return false
	})
	if der == nil {
		tb.Fatalf("%s: no certificate", benchCertFile)
	}
	c, err := certio.Parse(der)
	if err != nil {
		tb.Fatal(err)
	}
	res := p.Lint(c)
	if res.Role != role.LDevID.String() || len(res.Findings) != 0 {
		tb.Fatalf("%s under %s: role %s, findings %+v; want a conforming ldevid", benchCertFile, benchProfile, res.Role, res.Findings)
	}
	return p, der, c
}

// BenchmarkLintTBS measures the pre-issuance gate on one LDevID:
// LintTBS (placeholder signature, certio.Parse, every lint), Lint alone
// on the parsed certificate, and LintDER (parse, lint, fingerprint).
func BenchmarkLintTBS(b *testing.B) {
	p, der, c := benchSetup(b)
	b.Run("LintTBS", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			pre, err := p.LintTBS(c.RawTBSCertificate)
			if err != nil || len(pre.Result.Findings) != 0 {
				b.Fatal(err, pre)
			}
		}
	})
	b.Run("Lint", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if res := p.Lint(c); len(res.Findings) != 0 {
				b.Fatal(res.Findings)
			}
		}
	})
	b.Run("LintDER", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if res := p.LintDER(der); len(res.Findings) != 0 {
				b.Fatal(res.Findings)
			}
		}
	})
}

// TestLintCosts prints what each lint of the benchmark profile costs on
// the benchmark certificate (compiledLint.run, as Profile.Lint runs it),
// most expensive first. It runs only when IOTCERT_LINT_COSTS is set; a
// number limits the table to that many lints.
func TestLintCosts(t *testing.T) {
	env := os.Getenv("IOTCERT_LINT_COSTS")
	if env == "" {
		t.Skip("set IOTCERT_LINT_COSTS=1 (or =N for the N most expensive) to measure each lint")
	}
	p, _, c := benchSetup(t)
	type cost struct {
		name          string
		ns            float64
		allocs, bytes uint64
	}
	var costs []cost
	var total float64
	for _, cl := range p.byRole[role.LDevID] {
		ns, allocs, bytes := measureRun(func() { cl.run(c, time.Time{}, nil) })
		total += ns
		costs = append(costs, cost{cl.lint.Name, ns, allocs, bytes})
	}
	slices.SortFunc(costs, func(a, b cost) int { return cmp.Compare(b.ns, a.ns) })
	n := len(costs)
	if k, err := strconv.Atoi(env); err == nil && k > 1 && k < n {
		n = k
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "%d lints of %s on %s, %.0f ns in all\n", len(costs), benchProfile, benchCertFile, total)
	fmt.Fprintf(&sb, "%-50s %9s %7s %7s\n", "lint", "ns/op", "allocs", "B/op")
	for _, c := range costs[:n] {
		fmt.Fprintf(&sb, "%-50s %9.0f %7d %7d\n", c.name, c.ns, c.allocs, c.bytes)
	}
	t.Log("\n" + sb.String())
}

// measureRun returns the time, allocations and bytes allocated per call
// of f: the best of five rounds of about 10 ms each, after a warm-up.
func measureRun(f func()) (ns float64, allocs, bytes uint64) {
	n := 1
	for start := time.Now(); time.Since(start) < 5*time.Millisecond; n *= 2 {
		for range n {
			f()
		}
	}
	ns = math.Inf(1)
	for range 5 {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		start := time.Now()
		for range n {
			f()
		}
		elapsed := time.Since(start)
		runtime.ReadMemStats(&after)
		ns = min(ns, float64(elapsed.Nanoseconds())/float64(n))
		allocs = (after.Mallocs - before.Mallocs) / uint64(n)
		bytes = (after.TotalAlloc - before.TotalAlloc) / uint64(n)
	}
	return ns, allocs, bytes
}

package bundle_test

import (
	"runtime"
	"testing"

	"github.com/iotcert/iotcert/bundle"
	"github.com/iotcert/iotcert/internal/certgen"
	"github.com/iotcert/iotcert/profile"
)

// benchBundle is a root, a device CA and 9,998 device certificates, built
// once (P-256 keys are made per device, as in a real bundle).
var benchBundle []cert

func makeBenchBundle(b *testing.B) []cert {
	if benchBundle != nil {
		return benchBundle
	}
	root, err := certgen.Issue(certgen.RootTemplate())
	if err != nil {
		b.Fatal(err)
	}
	sub, err := certgen.Issue(certgen.SubTemplate(root))
	if err != nil {
		b.Fatal(err)
	}
	out := []cert{{"root", root.DER()}, {"sub", sub.DER()}}
	for len(out) < 10000 {
		ee, err := certgen.Issue(certgen.EETemplate("tls13-iot", sub))
		if err != nil {
			b.Fatal(err)
		}
		out = append(out, cert{"ee", ee.DER()})
	}
	benchBundle = out
	return out
}

// BenchmarkLintBundle lints a 10,000-certificate bundle through the whole
// pipeline (parse, profile lints, chain building with signature checks,
// chain checks) on all cores and reports certificates per second.
func BenchmarkLintBundle(b *testing.B) {
	certs := makeBenchBundle(b)
	p, err := profile.Default("tls13-iot")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		results, _, err := bundle.Run(p, items(certs), nil, bundle.Options{Profiles: []string{"tls13-iot"}})
		if err != nil {
			b.Fatal(err)
		}
		if len(results) != len(certs) {
			b.Fatalf("%d results", len(results))
		}
	}
	b.ReportMetric(float64(len(certs)*b.N)/b.Elapsed().Seconds(), "certs/s")
	b.ReportMetric(float64(runtime.GOMAXPROCS(0)), "workers")
}

// BenchmarkSpoolBundle is BenchmarkLintBundle through Spool, as iotcert
// lint runs: results go to a temporary file and are replayed with their
// chain findings.
func BenchmarkSpoolBundle(b *testing.B) {
	certs := makeBenchBundle(b)
	p, err := profile.Default("tls13-iot")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		s, err := bundle.Spool(p, items(certs), nil, bundle.Options{Profiles: []string{"tls13-iot"}})
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for _, err := range s.Results() {
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
		if n != len(certs) {
			b.Fatalf("%d results", n)
		}
	}
	b.ReportMetric(float64(len(certs)*b.N)/b.Elapsed().Seconds(), "certs/s")
}

// BenchmarkChainBuilding measures chain building and the chain checks
// alone, over nodes made once.
func BenchmarkChainBuilding(b *testing.B) {
	certs := makeBenchBundle(b)
	p, err := profile.Default("tls13-iot")
	if err != nil {
		b.Fatal(err)
	}
	type pair struct {
		res  profile.Result
		node *bundle.Node
	}
	var pairs []pair
	for it := range items(certs) {
		res, n := bundle.LintItem(p, it)
		pairs = append(pairs, pair{res, n})
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		bd, err := bundle.New(bundle.Options{})
		if err != nil {
			b.Fatal(err)
		}
		for i := range pairs {
			// Nodes cache their parsed key; a fresh copy keeps runs equal.
			n := *pairs[i].node
			bd.Add(&pairs[i].res, &n)
		}
		bd.Finish()
	}
	b.ReportMetric(float64(len(certs)*b.N)/b.Elapsed().Seconds(), "certs/s")
}

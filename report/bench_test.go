package report

import (
	"fmt"
	"io"
	"testing"

	"github.com/iotcert/iotcert/certio"
	"github.com/iotcert/iotcert/profile"
)

// benchResults returns n results in 10 files: two findings on every
// other certificate.
func benchResults(n int) []profile.Result {
	out := make([]profile.Result, n)
	for i := range out {
		out[i] = profile.Result{
			Origin:  certio.Origin{File: fmt.Sprintf("bundle-%d.der", i%10), Index: i / 10, Offset: int64(i / 10 * 700)},
			Subject: fmt.Sprintf("CN=device %d, O=Example", i), Serial: fmt.Sprintf("%x", i), SHA256: fmt.Sprintf("%064x", i), Role: "idevid",
			Findings: []profile.Finding{},
		}
		if i%2 == 1 {
			out[i].Findings = []profile.Finding{
				{Lint: "e_iot_ee_ku_critical", Level: profile.Error, Details: "keyUsage is not marked critical", Citation: "draft-ietf-uta-tls13-iot-profile-23 §17.4.4", Source: "IoT_TLS13"},
				{Lint: "w_iot_ldevid_lifetime_limited", Level: profile.Warn, Details: "validity 3650 days exceeds 825", Citation: "draft-ietf-uta-tls13-iot-profile-23 §17.4.2", Source: "IoT_TLS13"},
			}
		}
	}
	return out
}

// BenchmarkWriters writes 10,000 certificates' results in each format;
// B/op shows that SARIF and JSON keep no per-certificate state and JUnit
// spools to disk past 4 MiB.
func BenchmarkWriters(b *testing.B) {
	results := benchResults(10000)
	for _, format := range Formats {
		b.Run(format, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				w, err := New(format, io.Discard, Options{Profile: "tls13-iot", FailOn: profile.Error})
				if err != nil {
					b.Fatal(err)
				}
				var sum profile.Summary
				for _, r := range results {
					sum.Add(r)
					if err := w.Certificate(r); err != nil {
						b.Fatal(err)
					}
				}
				if err := w.Close(sum); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(results)), "ns/cert")
		})
	}
}

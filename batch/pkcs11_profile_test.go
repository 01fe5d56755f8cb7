//go:build unix

package batch

import (
	"runtime/debug"
	"testing"

	"github.com/iotcert/iotcert/ldevid"
	"github.com/iotcert/iotcert/store"
)

// BenchmarkPKCS11BatchAlone runs only the batch of BenchmarkPKCS11Batch
// (b.N devices, jsonl layout, the issuing CA's key in SoftHSM2), at the
// collector target "gen devices" sets (cmd/iotcert/gc.go), so that a CPU
// profile (-cpuprofile) holds the batch and nothing else: where the CPU
// time of a device goes, by part, against the token's signature
// (docs/performance.md). It reports the process CPU time per certificate,
// SoftHSM2's included.
func BenchmarkPKCS11BatchAlone(b *testing.B) {
	h, _, _ := tokenHierarchy(b, "iotcert-batch", ldevid.ExampleSpec(""))
	rows := exampleRows(b.N)
	out := b.TempDir()
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	b.ResetTimer()
	cpu0 := cpuTime(b)
	sum, err := Issue(h, out, "bacnet-controller", rows, Options{Layout: store.LayoutJSONL})
	if err != nil {
		b.Fatal(err)
	}
	if sum.Issued != b.N {
		b.Fatalf("issued %d of %d", sum.Issued, b.N)
	}
	b.ReportMetric(float64((cpuTime(b)-cpu0).Microseconds())/float64(b.N), "cpu-µs/cert")
}

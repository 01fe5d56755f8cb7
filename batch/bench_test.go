package batch

import (
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/iotcert/iotcert/internal/bareloop"
	"github.com/iotcert/iotcert/ldevid"
	"github.com/iotcert/iotcert/store"
)

// The two benchmarks of docs/performance.md, "Issuance": iotcert's batch
// issuance of P-256 LDevIDs, and the bare Go loop it is measured against.
// Both use every core (GOMAXPROCS workers); compare their ns/op. Run them
// with bench/issuance.sh, or:
//
//	go test ./ldevid -run '^$' -bench 'IssueLDevID|IssueDevice|BareGoLoop' -benchtime 2000x
//
// BenchmarkIssueLDevIDJSONL is the same batch in the jsonl layout.

// BenchmarkIssueLDevID issues b.N devices of the example spec with
// Issue: for each, a P-256 key generated with file keys, the
// certificate encoded, linted with its profile before signing and signed,
// the key, certificate and chain written to a temporary directory and
// published, and the journal line written and synced.
func BenchmarkIssueLDevID(b *testing.B) {
	benchmarkIssueBatch(b, store.LayoutDirs)
}

func benchmarkIssueBatch(b *testing.B, layout store.Layout) {
	h := exampleHierarchy(b)
	rows := make([]Row, b.N)
	for i := range rows {
		id := strconv.Itoa(i + 1)
		rows[i] = Row{Line: i + 2, id: id, fields: map[string]string{"serial": "SN" + id}}
	}
	out := b.TempDir()
	b.ResetTimer()
	sum, err := Issue(h, out, "bacnet-controller", rows, Options{Layout: layout})
	if err != nil {
		b.Fatal(err)
	}
	if sum.Issued != b.N {
		b.Fatalf("issued %d of %d", sum.Issued, b.N)
	}
}

// BenchmarkIssueLDevIDJSONL is BenchmarkIssueLDevID in the jsonl layout:
// each device's key and certificate encoded as a line of devices.jsonl,
// a group's lines written in one write and made durable with one
// fdatasync before the group's journal lines; no file or directory per
// device.
func BenchmarkIssueLDevIDJSONL(b *testing.B) {
	benchmarkIssueBatch(b, store.LayoutJSONL)
}

// BenchmarkIssueDevice is the CPU part of BenchmarkIssueLDevID on every
// core: IssueDevice (key, encoding, pre-issuance lint, signature and its
// verification), nothing written.
func BenchmarkIssueDevice(b *testing.B) {
	h := exampleHierarchy(b)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := h.IssueDevice(ldevid.Request{Device: "bacnet-controller", ID: "4194302"}); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkBareGoLoop is the bare Go loop on every core
// (internal/bareloop): a P-256 key generated, a certificate of the example
// LDevID's content made by crypto/x509.CreateCertificate (which signs and
// verifies), the certificate and the PKCS#8 key encoded as PEM; nothing
// written, nothing linted.
func BenchmarkBareGoLoop(b *testing.B) {
	is, err := bareloop.New()
	if err != nil {
		b.Fatal(err)
	}
	var next atomic.Int64
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, _, err := is.Issue(next.Add(1)); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// exampleHierarchy returns the hierarchy of "iotcert gen example" with its
// CAs made, keys in files.
func exampleHierarchy(b *testing.B) *ldevid.Hierarchy {
	b.Helper()
	s, err := ldevid.LoadSpec("example.yaml", ldevid.ExampleSpec(""))
	if err != nil {
		b.Fatal(err)
	}
	h, err := ldevid.New(s)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := h.CreateCAs(); err != nil {
		b.Fatal(err)
	}
	return h
}

package ldevid

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"strconv"
	"testing"
	"time"
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
// IssueBatch: for each, a P-256 key generated with file keys, the
// certificate encoded, linted with its profile before signing and signed,
// the key, certificate and chain written to a temporary directory and
// published, and the journal line written and synced.
func BenchmarkIssueLDevID(b *testing.B) {
	benchmarkIssueBatch(b, LayoutDirs)
}

func benchmarkIssueBatch(b *testing.B, layout Layout) {
	s, err := LoadSpec("example.yaml", ExampleSpec())
	if err != nil {
		b.Fatal(err)
	}
	h, err := New(s)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := h.CreateCAs(); err != nil {
		b.Fatal(err)
	}
	rows := make([]Row, b.N)
	for i := range rows {
		id := strconv.Itoa(i + 1)
		rows[i] = Row{Line: i + 2, ID: id, Fields: map[string]string{"serial": "SN" + id}}
	}
	out := b.TempDir()
	b.ResetTimer()
	sum, err := h.IssueBatch(out, "bacnet-controller", rows, BatchOptions{Layout: layout})
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
	benchmarkIssueBatch(b, LayoutJSONL)
}

// BenchmarkIssueDevice is the CPU part of BenchmarkIssueLDevID on every
// core: IssueDevice (key, encoding, pre-issuance lint, signature and its
// verification), nothing written.
func BenchmarkIssueDevice(b *testing.B) {
	s, err := LoadSpec("example.yaml", ExampleSpec())
	if err != nil {
		b.Fatal(err)
	}
	h, err := New(s)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := h.CreateCAs(); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := h.IssueDevice(Request{Device: "bacnet-controller", ID: "4194302"}); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkBareGoLoop is the bare Go loop on every core: a P-256 key
// generated, a certificate made by crypto/x509.CreateCertificate (which
// signs and verifies), the certificate and the PKCS#8 key encoded as PEM;
// nothing written, nothing linted.
func BenchmarkBareGoLoop(b *testing.B) {
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		b.Fatal(err)
	}
	now := time.Now()
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Bare CA"},
		NotBefore: now, NotAfter: now.AddDate(10, 0, 0), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign}
	der, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, caKey.Public(), caKey)
	if err != nil {
		b.Fatal(err)
	}
	ca, err := x509.ParseCertificate(der)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := bareIssue(ca, caKey, now); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

func bareIssue(ca *x509.Certificate, caKey *ecdsa.PrivateKey, now time.Time) error {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	serial, err := RandomSerial(rand.Reader)
	if err != nil {
		return err
	}
	tmpl := &x509.Certificate{SerialNumber: serial, Subject: pkix.Name{CommonName: "device"},
		NotBefore: now, NotAfter: now.AddDate(1, 0, 0), KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, key.Public(), caKey)
	if err != nil {
		return err
	}
	pkcs8, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return err
	}
	_ = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	_ = pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8})
	return nil
}

// BenchmarkAppendRecord is the cost of encoding one device's line of
// devices.jsonl (the workers do it, beside the key and the signature).
func BenchmarkAppendRecord(b *testing.B) {
	s, err := LoadSpec("example.yaml", ExampleSpec())
	if err != nil {
		b.Fatal(err)
	}
	h, err := New(s)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := h.CreateCAs(); err != nil {
		b.Fatal(err)
	}
	dev, err := h.IssueDevice(Request{Device: "bacnet-controller", ID: "4194302"})
	if err != nil {
		b.Fatal(err)
	}
	var buf []byte
	b.ResetTimer()
	for range b.N {
		if buf, _, _, err = appendRecord(buf[:0], dev); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(len(buf)))
}

package c509

import (
	"testing"

	"github.com/iotcert/iotcert/certio"
)

// benchCerts returns the certificates of testdata/certs that C509 can
// represent, as DER and as C509.
func benchCerts(b *testing.B) (ders, c509s [][]byte) {
	for it := range certio.Read([]string{"../testdata/certs"}, nil) {
		if it.Err != nil {
			continue
		}
		if c, err := Encode(it.DER); err == nil {
			ders, c509s = append(ders, it.DER), append(c509s, c)
		}
	}
	if len(ders) == 0 {
		b.Fatal("no certificates")
	}
	return ders, c509s
}

// BenchmarkEncode re-encodes the generated certificates (one per
// iteration, in turn), including the check that the result decodes back.
func BenchmarkEncode(b *testing.B) {
	ders, _ := benchCerts(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if _, err := Encode(ders[i%len(ders)]); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "certs/s")
}

// BenchmarkDecode decodes their C509 encodings back to DER.
func BenchmarkDecode(b *testing.B) {
	_, c509s := benchCerts(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if _, err := Decode(c509s[i%len(c509s)]); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "certs/s")
}

package c509

import (
	"bytes"
	"testing"
)

// TestMeasureDraftFigure checks Measure against the draft's own size
// comparison ("Comparing Sizes of Certificate Chains with TLS 1.3", section
// "Expected Certificate Sizes"): the RFC 7925 profiled certificate of
// Appendix A is a 325-byte X.509 Certificate message, 317 bytes with
// Brotli, a 149-byte C509 Certificate message and 158 bytes with Brotli.
// The plain messages match exactly. Our CompressedCertificate messages are
// 3 bytes longer in both cases: they count the RFC 8879 header as 8 bytes
// (algorithm 2, uncompressed_length 3, and the 3-byte length of
// compressed_certificate_message), the draft's figures fit the same Brotli
// streams (312 and 153 bytes) with a 5-byte header.
func TestMeasureDraftFigure(t *testing.T) {
	v := readVectors(t)[0]
	der, err := Measure([][]byte{v.der})
	if err != nil {
		t.Fatal(err)
	}
	c, err := Encode(v.der)
	if err != nil {
		t.Fatal(err)
	}
	cs, err := Measure([][]byte{Unwrapped(c)})
	if err != nil {
		t.Fatal(err)
	}
	if der.Plain != 325 || der.Brotli != 317+3 || cs.Plain != 149 || cs.Brotli != 158+3 {
		t.Errorf("X.509 %d, +Brotli %d, C509 %d, +Brotli %d; want 325, 317+3, 149, 158+3", der.Plain, der.Brotli, cs.Plain, cs.Brotli)
	}
	if der.Zlib <= 8 || der.Zstd <= 8 {
		t.Errorf("zlib %d, zstd %d", der.Zlib, der.Zstd)
	}
}

// TestCertificateMessage checks the TLS 1.3 Certificate message layout
// (RFC 8446 §4.4.2): context length 0, a 3-byte list length, and per entry
// a 3-byte length, the certificate and 2 bytes of empty extensions.
func TestCertificateMessage(t *testing.T) {
	got := CertificateMessage([][]byte{{0xaa}, {0xbb, 0xcc}})
	want := []byte{0, 0, 0, 13, 0, 0, 1, 0xaa, 0, 0, 0, 0, 2, 0xbb, 0xcc, 0, 0}
	if !bytes.Equal(got, want) {
		t.Errorf("got % x, want % x", got, want)
	}
}

func TestParseBudget(t *testing.T) {
	for in, want := range map[string]int{"dtls13-record": 1024, "coap-block-512": 512, "coap-block-1024": 1024, "700": 700} {
		b, err := ParseBudget(in)
		if err != nil || b.Bytes != want {
			t.Errorf("ParseBudget(%q) = %d, %v; want %d", in, b.Bytes, err, want)
		}
	}
	for _, in := range []string{"", "0", "-3", "coap-block-64"} {
		if _, err := ParseBudget(in); err == nil {
			t.Errorf("ParseBudget(%q) succeeded", in)
		}
	}
}

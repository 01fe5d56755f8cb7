package lints

import (
	"testing"

	"github.com/zmap/zcrypto/encoding/asn1"
)

func TestR7925EUI64FormatProblem(t *testing.T) {
	for s, ok := range map[string]bool{
		"01-23-45-67-89-AB-CD-EF": true,
		"01-23-45-67-89-ab-cd-ef": false,
		"01:23:45:67:89:AB:CD:EF": false,
		"0123456789ABCDEF":        false,
		"01-23-45-6789-AB-CD-EF":  false,
	} {
		if s != "0123456789ABCDEF" && !r7925EUI64Loose().MatchString(s) {
			t.Errorf("%q does not look like an EUI-64", s)
		}
		if got := r7925EUI64FormatProblem(s); (got == "") != ok {
			t.Errorf("r7925EUI64FormatProblem(%q) = %q, want ok=%v", s, got, ok)
		}
	}
	for _, s := range []string{"01-23-45-67-89-AB-CD", "01-23-45-67-89-AB-CD-EF-01", "Example sensor", "0G-23-45-67-89-AB-CD-EF"} {
		if r7925EUI64Loose().MatchString(s) {
			t.Errorf("%q looks like an EUI-64", s)
		}
	}
}

func TestR7925SecurityBits(t *testing.T) {
	for _, tc := range []struct {
		k     publicKey
		bits  int
		known bool
	}{
		{publicKey{Algorithm: oidKeyEC, Curve: oidCurveP256}, 128, true},
		{publicKey{Algorithm: oidKeyEC, Curve: oidR7925CurveP192}, 96, true},
		{publicKey{Algorithm: oidKeyRSA, RSABits: 2048}, 112, true},
		{publicKey{Algorithm: oidKeyRSA, RSABits: 1024}, 80, true},
		{publicKey{Algorithm: oidKeyRSA, RSABits: 512}, 0, true},
		{publicKey{Algorithm: oidKeyEC}, 0, false},
		{publicKey{Algorithm: asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 3, 17}}, 0, false}, // ML-DSA-44
	} {
		bits, known := r7925SecurityBits(tc.k)
		if bits != tc.bits || known != tc.known {
			t.Errorf("r7925SecurityBits(%s) = %d, %v; want %d, %v", keyAlgorithmName(tc.k), bits, known, tc.bits, tc.known)
		}
	}
}

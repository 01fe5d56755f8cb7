package certder

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"math/big"
	"testing"
)

// TestAssembleMatchesCryptoX509 takes a certificate made by crypto/x509
// apart and puts it together again: the bytes are the same.
func TestAssembleMatchesCryptoX509(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "x"}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	var parts struct {
		TBS asn1.RawValue
		Alg asn1.RawValue
		Sig asn1.BitString
	}
	if _, err := asn1.Unmarshal(der, &parts); err != nil {
		t.Fatal(err)
	}
	got, err := Assemble(parts.TBS.FullBytes, parts.Alg.FullBytes, parts.Sig.Bytes)
	if err != nil || !bytes.Equal(got, der) {
		t.Errorf("Assemble gives %x (%v), want %x", got, err, der)
	}
}

package keys

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"testing"

	"go.step.sm/crypto/pemutil"
)

// TestMarshalPKCS8EC checks that marshalPKCS8EC writes what
// crypto/x509.MarshalPKCS8PrivateKey writes, for many keys of each curve
// (scalars with leading zero octets among them), and refuses P-521.
func TestMarshalPKCS8EC(t *testing.T) {
	for _, curve := range []elliptic.Curve{elliptic.P256(), elliptic.P384()} {
		for i := 0; i < 300; i++ {
			key, err := ecdsa.GenerateKey(curve, rand.Reader)
			if err != nil {
				t.Fatal(err)
			}
			want, err := x509.MarshalPKCS8PrivateKey(key)
			if err != nil {
				t.Fatal(err)
			}
			got, ok := marshalPKCS8EC(key)
			if !ok || !bytes.Equal(got, want) {
				t.Fatalf("%s key %d:\n got %x\nwant %x", curve.Params().Name, i, got, want)
			}
		}
	}
	key, _ := ecdsa.GenerateKey(elliptic.P521(), rand.Reader)
	if _, ok := marshalPKCS8EC(key); ok {
		t.Error("P-521: encoded; want it left to pemutil")
	}
}

// TestGenerateKeyPEM checks that a file key is on the curve asked for and
// that its PEM is what pemutil writes for it, curve by curve.
func TestGenerateKeyPEM(t *testing.T) {
	kms, err := NewFileKeys()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []Curve{P256, P384} {
		key, err := kms.Generate("device 1", c)
		if err != nil {
			t.Fatal(err)
		}
		if got := Describe(key.Signer.Public()); got != string(c) {
			t.Errorf("Generate(%s): a %s key", c, got)
		}
		block, err := pemutil.Serialize(key.Signer, pemutil.WithPKCS8(true))
		if err != nil {
			t.Fatal(err)
		}
		if want := pem.EncodeToMemory(block); !bytes.Equal(key.PEM, want) {
			t.Errorf("%s:\n got %s\nwant %s", c, key.PEM, want)
		}
	}
}

package ecdsasig

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha512"
	"math/big"
	"testing"
)

// TestParseAndHashToInt checks both steps against crypto/ecdsa: a
// signature made by it parses into the r and s it verifies with, a
// SHA-512 digest on P-256 is cut to the order's leftmost bits, and
// anything but one whole ECDSA-Sig-Value is refused.
func TestParseAndHashToInt(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	digest := sha512.Sum512([]byte("iotcert"))
	sig, err := ecdsa.SignASN1(rand.Reader, key, digest[:])
	if err != nil {
		t.Fatal(err)
	}
	r, s, ok := Parse(sig)
	if !ok {
		t.Fatal("Parse refused a signature made by crypto/ecdsa")
	}
	n := elliptic.P256().Params().N
	e := HashToInt(digest[:], n)
	if want := new(big.Int).SetBytes(digest[:32]); e.Cmp(want) != 0 {
		t.Fatalf("HashToInt = %x, want the leftmost 256 bits %x", e, want)
	}
	if !ecdsa.Verify(&key.PublicKey, digest[:], r, s) {
		t.Error("crypto/ecdsa does not verify the r and s that Parse read")
	}
	for _, bad := range [][]byte{nil, {0x30, 0x00}, append(append([]byte{}, sig...), 0)} {
		if _, _, ok := Parse(bad); ok {
			t.Errorf("Parse(%x) accepted", bad)
		}
	}
}

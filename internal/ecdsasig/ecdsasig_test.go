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
// signature made by it parses, and with e from HashToInt the ECDSA
// verification equation holds; a SHA-512 digest on P-256 is cut to the
// order's bits.
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
	// u1·G + u2·Q has x ≡ r (mod n), with w = s⁻¹, u1 = e·w, u2 = r·w.
	w := new(big.Int).ModInverse(s, n)
	u1 := new(big.Int).Mod(new(big.Int).Mul(e, w), n)
	u2 := new(big.Int).Mod(new(big.Int).Mul(r, w), n)
	curve := elliptic.P256()
	x1, y1 := curve.ScalarBaseMult(u1.Bytes()) //nolint:staticcheck // test arithmetic only
	x2, y2 := curve.ScalarMult(key.X, key.Y, u2.Bytes())
	x, _ := curve.Add(x1, y1, x2, y2)
	if x.Mod(x, n).Cmp(r) != 0 {
		t.Error("the verification equation does not hold with Parse's r, s and HashToInt's e")
	}
	for _, bad := range [][]byte{nil, {0x30, 0x00}, append(append([]byte{}, sig...), 0)} {
		if _, _, ok := Parse(bad); ok {
			t.Errorf("Parse(%x) accepted", bad)
		}
	}
}

package ldevid

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/asn1"
	"math/big"
	"testing"
)

// TestECDSAKeyCheck checks that the key check accepts exactly the
// signatures ecdsa.VerifyASN1 accepts: valid ones, their (r, n-s) twins,
// and none of many corrupted ones, on P-256 and P-384 with digests
// shorter than, as long as and longer than the order.
func TestECDSAKeyCheck(t *testing.T) {
	for _, curve := range []elliptic.Curve{elliptic.P256(), elliptic.P384()} {
		priv, err := ecdsa.GenerateKey(curve, rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		kc, err := newECDSAKeyCheck(priv, &priv.PublicKey)
		if err != nil || kc == nil {
			t.Fatalf("%s: newECDSAKeyCheck: %v, %v", curve.Params().Name, kc, err)
		}
		n := curve.Params().N
		for i := 0; i < 200; i++ {
			msg := []byte{byte(i), byte(i >> 8), 'x'}
			d256, d512 := sha256.Sum256(msg), sha512.Sum512(msg)
			digests := [][]byte{d256[:], d512[:], d256[:20]}
			digest := digests[i%len(digests)]
			sig, err := ecdsa.SignASN1(rand.Reader, priv, digest)
			if err != nil {
				t.Fatal(err)
			}
			var rs struct{ R, S *big.Int }
			if _, err := asn1.Unmarshal(sig, &rs); err != nil {
				t.Fatal(err)
			}
			twin, _ := asn1.Marshal(struct{ R, S *big.Int }{rs.R, new(big.Int).Sub(n, rs.S)})
			other := append([]byte(nil), digest...)
			other[i%len(other)] ^= 1 << (i % 8)
			flipped := append([]byte(nil), sig...)
			flipped[len(flipped)-1-i%8] ^= 1 << (i % 8)
			cases := map[string]struct {
				digest, sig []byte
			}{
				"valid":           {digest, sig},
				"twin (r, n-s)":   {digest, twin},
				"other digest":    {other, sig},
				"flipped bit":     {digest, flipped},
				"trailing data":   {digest, append(append([]byte(nil), sig...), 0)},
				"r = 0":           {digest, mustMarshalRS(t, big.NewInt(0), rs.S)},
				"s = 0":           {digest, mustMarshalRS(t, rs.R, big.NewInt(0))},
				"r = n":           {digest, mustMarshalRS(t, n, rs.S)},
				"s + n":           {digest, mustMarshalRS(t, rs.R, new(big.Int).Add(rs.S, n))},
				"r + n":           {digest, mustMarshalRS(t, new(big.Int).Add(rs.R, n), rs.S)},
				"negative s":      {digest, mustMarshalRS(t, rs.R, new(big.Int).Neg(rs.S))},
				"r and s swapped": {digest, mustMarshalRS(t, rs.S, rs.R)},
				"empty":           {digest, nil},
			}
			for name, tc := range cases {
				want := ecdsa.VerifyASN1(&priv.PublicKey, tc.digest, tc.sig)
				if got := kc.check(tc.digest, tc.sig); got != want {
					t.Fatalf("%s, %s (%d): key check says %v, ecdsa.VerifyASN1 says %v", curve.Params().Name, name, i, got, want)
				}
				if name == "valid" || name == "twin (r, n-s)" {
					if !want {
						t.Fatalf("%s, %s: not valid", curve.Params().Name, name)
					}
				}
			}
		}
	}
}

func mustMarshalRS(t *testing.T, r, s *big.Int) []byte {
	t.Helper()
	b, err := asn1.Marshal(struct{ R, S *big.Int }{r, s})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestNewSignatureCheck checks which check each key gets and that a key
// check is refused for a key that is not the issuer's.
func TestNewSignatureCheck(t *testing.T) {
	p256, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	p384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	p521, _ := ecdsa.GenerateKey(elliptic.P521(), rand.Reader)
	if kc, err := newECDSAKeyCheck(p521, &p521.PublicKey); kc != nil || err != nil {
		t.Errorf("P-521: %v, %v; want no key check and no error", kc, err)
	}
	if _, err := newECDSAKeyCheck(p256, &p384.PublicKey); err == nil {
		t.Error("P-256 key for a P-384 issuer: no error")
	}
	other, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if _, err := newECDSAKeyCheck(p256, &other.PublicKey); err == nil {
		t.Error("foreign key: no error")
	}
	for _, key := range []crypto.Signer{p256, p384, p521, opaqueSigner{p256}} {
		check, err := newSignatureCheck(key.Public(), key)
		if err != nil {
			t.Fatal(err)
		}
		digest := sha256.Sum256([]byte("tbs"))
		sig, err := key.Sign(rand.Reader, digest[:], crypto.SHA256)
		if err != nil {
			t.Fatal(err)
		}
		if !check(digest[:], sig) {
			t.Errorf("%T: a valid signature fails the check", key)
		}
		digest[0] ^= 1
		if check(digest[:], sig) {
			t.Errorf("%T: a signature of another digest passes the check", key)
		}
	}
}

// BenchmarkSignatureCheck compares the key check with ecdsa.VerifyASN1.
func BenchmarkSignatureCheck(b *testing.B) {
	priv, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	digest := sha256.Sum256([]byte("tbs"))
	sig, _ := ecdsa.SignASN1(rand.Reader, priv, digest[:])
	kc, err := newECDSAKeyCheck(priv, &priv.PublicKey)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("key check", func(b *testing.B) {
		for b.Loop() {
			if !kc.check(digest[:], sig) {
				b.Fatal("invalid")
			}
		}
	})
	b.Run("ecdsa.VerifyASN1", func(b *testing.B) {
		for b.Loop() {
			if !ecdsa.VerifyASN1(&priv.PublicKey, digest[:], sig) {
				b.Fatal("invalid")
			}
		}
	})
}

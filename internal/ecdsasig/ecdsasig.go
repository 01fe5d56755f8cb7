// Package ecdsasig holds the two steps of ECDSA arithmetic that iotcert
// does outside crypto/ecdsa: decoding a signature into its integers and
// turning a digest into the integer e. Two places need them: bundle, which
// recovers the candidate public keys of a signature to find its issuer
// among many certificates of one name, and ldevid, which checks the
// signatures of its own CA with the private key.
package ecdsasig

import (
	"math/big"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// Parse reads an ECDSA-Sig-Value (RFC 5480 §2.2.3) with no trailing data,
// as ecdsa.VerifyASN1 does. ok is false when sig is not one.
func Parse(sig []byte) (r, s *big.Int, ok bool) {
	var inner cryptobyte.String
	in := cryptobyte.String(sig)
	r, s = new(big.Int), new(big.Int)
	if !in.ReadASN1(&inner, cbasn1.SEQUENCE) || !in.Empty() ||
		!inner.ReadASN1Integer(r) || !inner.ReadASN1Integer(s) || !inner.Empty() {
		return nil, nil, false
	}
	return r, s, true
}

// HashToInt converts digest to the integer e as ECDSA does (FIPS 186-5
// §6.4.1): its leftmost bits, as many as order has.
func HashToInt(digest []byte, order *big.Int) *big.Int {
	bits := order.BitLen()
	if size := (bits + 7) / 8; len(digest) > size {
		digest = digest[:size]
	}
	e := new(big.Int).SetBytes(digest)
	if excess := len(digest)*8 - bits; excess > 0 {
		e.Rsh(e, uint(excess))
	}
	return e
}

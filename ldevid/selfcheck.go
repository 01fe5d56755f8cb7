package ldevid

import (
	"crypto"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"errors"
	"fmt"
	"math/big"

	"github.com/iotcert/iotcert/internal/ecdsasig"

	"filippo.io/bigmod"
)

// A signatureCheck tells whether sig is the issuer's signature of digest
// (for Ed25519, of the message itself). Every certificate is checked with
// one before it is returned, as crypto/x509.CreateCertificate checks its
// own: a signer that misbehaves (a faulty token, a fault in the
// computation) must not put an invalid, possibly key-revealing signature
// into the world.
type signatureCheck func(digest, sig []byte) bool

// newSignatureCheck returns the check for signatures by issuerPub, made
// by signer. For an ECDSA P-256 or P-384 key held in this process (a
// *ecdsa.PrivateKey, as file keys are) it is an ecdsaKeyCheck, which
// knows the private key and so needs one fixed-base scalar
// multiplication instead of the two of a verification; for any other key
// (a PKCS#11 token, Ed25519) it is a plain verification with issuerPub.
func newSignatureCheck(issuerPub crypto.PublicKey, signer crypto.Signer) (signatureCheck, error) {
	switch pub := issuerPub.(type) {
	case *ecdsa.PublicKey:
		if priv, ok := signer.(*ecdsa.PrivateKey); ok {
			kc, err := newECDSAKeyCheck(priv, pub)
			if err != nil {
				return nil, err
			}
			if kc != nil {
				return kc.check, nil
			}
		}
		return func(digest, sig []byte) bool { return ecdsa.VerifyASN1(pub, digest, sig) }, nil
	case ed25519.PublicKey:
		return func(msg, sig []byte) bool { return ed25519.Verify(pub, msg, sig) }, nil
	}
	return nil, fmt.Errorf("unsupported issuer key %T", issuerPub)
}

// An ecdsaKeyCheck checks ECDSA signatures made with a private key d it
// holds, for the public key Q = d·G.
//
// A signature (r, s) of a digest e verifies when r = x(u1·G + u2·Q) mod n,
// with w = s⁻¹, u1 = e·w and u2 = r·w mod n (FIPS 186-5 §6.4.2). With
// Q = d·G, which newECDSAKeyCheck checks once, u1·G + u2·Q = (u1 + u2·d)·G:
// the same test needs one multiplication of the base point, which Go
// computes with precomputed tables, instead of a multiplication of Q
// as well. The test is the verification itself, not a weaker one:
// whatever went wrong in the signer, a pair (r, s) passes it if and only
// if ecdsa.VerifyASN1(Q, e, sig) would accept it (TestECDSAKeyCheck
// compares the two on valid and corrupted signatures).
//
// u1 + u2·d is the signature's nonce k, as secret as d: it is computed
// with filippo.io/bigmod's constant-time arithmetic (the standard
// library's own, exported) and multiplied by G in crypto/ecdh, constant
// time too. Only public values (r, s, e, the resulting point) go through
// math/big.
type ecdsaKeyCheck struct {
	curve elliptic.Curve
	base  ecdh.Curve
	order *big.Int
	n     *bigmod.Modulus
	d     *bigmod.Nat
}

// newECDSAKeyCheck returns a check for priv's signatures, or nil when
// priv's curve is not P-256 or P-384. It is an error when priv is not the
// private key of pub.
func newECDSAKeyCheck(priv *ecdsa.PrivateKey, pub *ecdsa.PublicKey) (*ecdsaKeyCheck, error) {
	var base ecdh.Curve
	switch priv.Curve {
	case elliptic.P256():
		base = ecdh.P256()
	case elliptic.P384():
		base = ecdh.P384()
	default:
		return nil, nil
	}
	if priv.Curve != pub.Curve {
		return nil, errors.New("the signer's key is not the issuer's key")
	}
	dh, err := priv.ECDH()
	if err != nil {
		return nil, fmt.Errorf("signer key: %w", err)
	}
	pubDH, err := pub.ECDH()
	if err != nil {
		return nil, fmt.Errorf("issuer key: %w", err)
	}
	// Q = d·G, computed from d: the premise of the check.
	if !dh.PublicKey().Equal(pubDH) {
		return nil, errors.New("the signer's key is not the issuer's key")
	}
	order := priv.Curve.Params().N
	n, err := bigmod.NewModulus(order.Bytes())
	if err != nil {
		return nil, err
	}
	d, err := bigmod.NewNat().SetBytes(dh.Bytes(), n)
	if err != nil {
		return nil, fmt.Errorf("signer key: %w", err)
	}
	return &ecdsaKeyCheck{curve: priv.Curve, base: base, order: order, n: n, d: d}, nil
}

// check reports whether sig, an ASN.1 ECDSA-Sig-Value, is a signature of
// digest by the key.
func (kc *ecdsaKeyCheck) check(digest, sig []byte) bool {
	r, s, ok := ecdsasig.Parse(sig)
	if !ok || r.Sign() <= 0 || s.Sign() <= 0 || r.Cmp(kc.order) >= 0 || s.Cmp(kc.order) >= 0 {
		return false
	}
	e := ecdsasig.HashToInt(digest, kc.order)
	w := new(big.Int).ModInverse(s, kc.order)
	if w == nil {
		return false
	}
	u1 := new(big.Int).Mul(e, w)
	u1.Mod(u1, kc.order)
	u2 := new(big.Int).Mul(r, w)
	u2.Mod(u2, kc.order)

	size := kc.n.Size()
	k, err := bigmod.NewNat().SetBytes(u2.FillBytes(make([]byte, size)), kc.n)
	if err != nil {
		return false
	}
	k.Mul(kc.d, kc.n)
	u1Nat, err := bigmod.NewNat().SetBytes(u1.FillBytes(make([]byte, size)), kc.n)
	if err != nil {
		return false
	}
	k.Add(u1Nat, kc.n)
	kBytes := k.Bytes(kc.n)
	defer clear(kBytes)
	// NewPrivateKey refuses k = 0: the point at infinity, never a valid
	// signature.
	kG, err := kc.base.NewPrivateKey(kBytes)
	if err != nil {
		return false
	}
	point := kG.PublicKey().Bytes() // 0x04 || X || Y
	x := new(big.Int).SetBytes(point[1 : 1+size])
	x.Mod(x, kc.order)
	return x.Cmp(r) == 0
}

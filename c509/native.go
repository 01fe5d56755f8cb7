package c509

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"crypto/sha512"
	"errors"
	"fmt"
	"hash"
	"math/big"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// TypeNative is the c509CertificateType of a natively signed C509
// certificate: its signature is over the CBOR sequence TBSCertificate,
// not over DER.
const TypeNative = 2

// SignNative makes a natively signed C509 certificate (type 2) with the
// content of the X.509 certificate der, signed by signer, the issuer's
// key, over the CBOR sequence TBSCertificate. It differs from Encode's
// type 3 encoding as the draft's example of a natively signed certificate
// does: the type, EC points compressed with 0x02/0x03, attribute types
// all non-negative, and the signature. signer must hold a P-256, P-384 or
// P-521 ECDSA key or an Ed25519 key that matches the certificate's
// signature algorithm.
func SignNative(der []byte, signer crypto.Signer) ([]byte, error) {
	items, tbs, err := nativeTBS(der)
	if err != nil {
		return nil, err
	}
	sig, err := signTBS(tbs, items[2], signer)
	if err != nil {
		return nil, err
	}
	items[10] = sig
	return encMode.Marshal(items)
}

// nativeTBS returns the items of the natively signed certificate with
// the content of the X.509 certificate der (the signature not yet
// there) and the CBOR sequence TBSCertificate its issuer signs.
func nativeTBS(der []byte) ([]any, []byte, error) {
	items, err := encodeItems(der)
	if err != nil {
		return nil, nil, err
	}
	items[0] = int64(TypeNative)
	items[3] = nativeName(items[3])
	items[6] = nativeName(items[6])
	alg, registered := asInt(items[7])
	if k, ok := items[8].([]byte); ok && registered && ecKeySizes[alg].compressed && len(k) > 0 && (k[0] == 0xfe || k[0] == 0xfd) {
		native := append([]byte{2}, k[1:]...) // 0xfe: even y
		if k[0] == 0xfd {
			native[0] = 3 // odd y
		}
		items[8] = native
	}
	tbs, err := tbsBytes(items[:10])
	if err != nil {
		return nil, nil, err
	}
	return items, tbs, nil
}

// Type returns the c509CertificateType of the C509 certificate c (the
// array or the unwrapped sequence): TypeNative (2) or 3, the type Encode
// writes; input that is not a C509 certificate of either type is a
// *SyntaxError.
func Type(c []byte) (int64, error) {
	items, offsets, err := splitItems(c, true)
	if err != nil {
		return 0, err
	}
	t, ok := asInt(items[0])
	if !ok || (t != TypeNative && t != TypeReencoded) {
		return 0, &SyntaxError{Field: fieldNames[0], Offset: offsets[0], Msg: fmt.Sprintf("%v, want %d or %d", items[0], TypeNative, TypeReencoded)}
	}
	return t, nil
}

// MatchesX509 reports, as a nil error, that the natively signed C509
// certificate c (the array or the unwrapped sequence) has the content of
// the X.509 certificate der: its TBSCertificate is the one SignNative
// makes from der, byte for byte (serial number, issuer, validity,
// subject, key and extensions; the signatures differ, being over
// different bytes). "iotcert gen" writes such a pair, cert.pem and
// cert.c509; this checks that one was not replaced without the other.
// The error names the first field that differs.
func MatchesX509(c, der []byte) error {
	items, offsets, err := splitItems(c, true)
	if err != nil {
		return err
	}
	if t, _ := asInt(items[0]); t != TypeNative {
		return fmt.Errorf("c509: not a natively signed certificate (type %v)", items[0])
	}
	want, tbs, err := nativeTBS(der)
	if err != nil {
		return err
	}
	if bytes.Equal(c[offsets[0]:offsets[10]], tbs) {
		return nil
	}
	for i := range 10 {
		b, err := encMode.Marshal(want[i])
		if err != nil {
			return err
		}
		end := offsets[i+1]
		if !bytes.Equal(c[offsets[i]:end], b) {
			return fmt.Errorf("c509: %s differs from the X.509 certificate's", fieldNames[i])
		}
	}
	return errors.New("c509: TBSCertificate differs from the X.509 certificate's")
}

// nativeName makes every attribute type of a Name non-negative: natively
// signed certificates have no printableString.
func nativeName(n any) any {
	a, ok := n.([]any)
	if !ok {
		return n
	}
	out := make([]any, len(a))
	copy(out, a)
	for i := 0; i+1 < len(out); i += 2 {
		if v, ok := out[i].(int64); ok && v < 0 {
			out[i] = -v
		}
	}
	if len(out) == 2 && out[0] == int64(1) {
		return out[1]
	}
	return out
}

func tbsBytes(items []any) ([]byte, error) {
	var tbs []byte
	for _, it := range items {
		b, err := encMode.Marshal(it)
		if err != nil {
			return nil, err
		}
		tbs = append(tbs, b...)
	}
	return tbs, nil
}

// sigHash returns the hash of a registered ECDSA signature algorithm.
func sigHash(alg any) (crypto.Hash, func() hash.Hash, error) {
	switch alg {
	case int64(0):
		return crypto.SHA256, sha256.New, nil
	case int64(1):
		return crypto.SHA384, sha512.New384, nil
	case int64(2):
		return crypto.SHA512, sha512.New, nil
	}
	return 0, nil, unsupported("issuerSignatureAlgorithm", "native signing supports ECDSA with SHA-256/384/512 and Ed25519, not %v", alg)
}

func signTBS(tbs []byte, alg any, signer crypto.Signer) ([]byte, error) {
	if alg == int64(12) {
		if _, ok := signer.Public().(ed25519.PublicKey); !ok {
			return nil, errors.New("c509: Ed25519 certificate, signer is not an Ed25519 key")
		}
		return signer.Sign(rand.Reader, tbs, crypto.Hash(0))
	}
	h, newHash, err := sigHash(alg)
	if err != nil {
		return nil, err
	}
	pub, ok := signer.Public().(*ecdsa.PublicKey)
	if !ok {
		return nil, errors.New("c509: ECDSA certificate, signer is not an ECDSA key")
	}
	d := newHash()
	d.Write(tbs)
	asn1Sig, err := signer.Sign(rand.Reader, d.Sum(nil), h)
	if err != nil {
		return nil, fmt.Errorf("c509: signing: %w", err)
	}
	size := (pub.Curve.Params().N.BitLen() + 7) / 8
	s := cryptobyte.String(asn1Sig)
	var seq, r, ss cryptobyte.String
	if !s.ReadASN1(&seq, cbasn1.SEQUENCE) || !seq.ReadASN1(&r, cbasn1.INTEGER) || !seq.ReadASN1(&ss, cbasn1.INTEGER) {
		return nil, errors.New("c509: signer returned a malformed ECDSA signature")
	}
	out := make([]byte, 2*size)
	rb, sb := biguint(r), biguint(ss)
	copy(out[size-len(rb):], rb)
	copy(out[2*size-len(sb):], sb)
	return out, nil
}

// VerifyNative checks the signature of a natively signed C509 certificate
// (the array or the unwrapped sequence) with the issuer's public key: an
// ECDSA P-256/P-384/P-521 or an Ed25519 key.
func VerifyNative(c []byte, pub crypto.PublicKey) error {
	items, offsets, err := splitItems(c, true)
	if err != nil {
		return err
	}
	if t, _ := asInt(items[0]); t != TypeNative {
		return fmt.Errorf("c509: not a natively signed certificate (type %v)", items[0])
	}
	tbs := c[offsets[0]:offsets[10]]
	sig, ok := asBytes(items[10])
	if !ok {
		return errors.New("c509: issuerSignatureValue is not a byte string")
	}
	switch k := pub.(type) {
	case ed25519.PublicKey:
		if items[2] != uint64(12) || !ed25519.Verify(k, tbs, sig) {
			return errors.New("c509: Ed25519 signature does not verify")
		}
		return nil
	case *ecdsa.PublicKey:
		alg, _ := asInt(items[2])
		_, newHash, err := sigHash(alg)
		if err != nil {
			return err
		}
		d := newHash()
		d.Write(tbs)
		h := len(sig) / 2
		r, s := new(big.Int).SetBytes(sig[:h]), new(big.Int).SetBytes(sig[h:])
		if len(sig)%2 != 0 || !ecdsa.Verify(k, d.Sum(nil), r, s) {
			return errors.New("c509: ECDSA signature does not verify")
		}
		return nil
	}
	return fmt.Errorf("c509: unsupported issuer key %T", pub)
}

package ldevid

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"
	"reflect"
	"time"
)

// The device hot path encodes the TBSCertificate itself, lints it
// (profile.LintTBS) and signs those very bytes: one signature and one
// verification per certificate, where crypto/x509.CreateCertificate, used
// for the linted and then the real certificate, makes two of each. The
// encoding is crypto/x509's, byte for byte (TestDeviceTBSMatchesCryptoX509
// compares them), for the templates eeTemplate makes; any other template,
// and any issuer key that is not ECDSA or Ed25519, goes the
// CreateCertificate way.

// Object identifiers of the device certificate encoding.
var (
	oidExtKeyUsage        = asn1.ObjectIdentifier{2, 5, 29, 15}
	oidExtExtKeyUsage     = asn1.ObjectIdentifier{2, 5, 29, 37}
	oidExtAuthorityKeyID  = asn1.ObjectIdentifier{2, 5, 29, 35}
	oidExtSubjectKeyID    = asn1.ObjectIdentifier{2, 5, 29, 14}
	oidExtBasicConstraint = asn1.ObjectIdentifier{2, 5, 29, 19}
	oidSigECDSAWithSHA256 = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 2}
	oidSigECDSAWithSHA384 = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 3}
	oidSigECDSAWithSHA512 = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 4}
	oidSigEd25519         = asn1.ObjectIdentifier{1, 3, 101, 112}
)

// tbsCertificate is crypto/x509's encoding of a TBSCertificate.
type tbsCertificate struct {
	Version            int `asn1:"optional,explicit,default:0,tag:0"`
	SerialNumber       *big.Int
	SignatureAlgorithm pkix.AlgorithmIdentifier
	Issuer             asn1.RawValue
	Validity           struct{ NotBefore, NotAfter time.Time }
	Subject            asn1.RawValue
	PublicKey          asn1.RawValue
	Extensions         []pkix.Extension `asn1:"omitempty,optional,explicit,tag:3"`
}

// signingAlgorithm is how an issuer key signs: the AlgorithmIdentifier
// and the digest (0 for Ed25519, which signs the message).
type signingAlgorithm struct {
	id   pkix.AlgorithmIdentifier
	hash crypto.Hash
}

// signingAlgorithmFor returns crypto/x509's default signature algorithm
// for pub, or false for a key the fast path does not sign with.
func signingAlgorithmFor(pub crypto.PublicKey) (signingAlgorithm, bool) {
	switch k := pub.(type) {
	case *ecdsa.PublicKey:
		switch k.Curve {
		case elliptic.P256():
			return signingAlgorithm{pkix.AlgorithmIdentifier{Algorithm: oidSigECDSAWithSHA256}, crypto.SHA256}, true
		case elliptic.P384():
			return signingAlgorithm{pkix.AlgorithmIdentifier{Algorithm: oidSigECDSAWithSHA384}, crypto.SHA384}, true
		case elliptic.P521():
			return signingAlgorithm{pkix.AlgorithmIdentifier{Algorithm: oidSigECDSAWithSHA512}, crypto.SHA512}, true
		}
	case ed25519.PublicKey:
		return signingAlgorithm{pkix.AlgorithmIdentifier{Algorithm: oidSigEd25519}, 0}, true
	}
	return signingAlgorithm{}, false
}

// fastPathTemplate reports whether tmpl sets only the fields eeTemplate
// sets (and ExtraExtensions), which deviceTBS encodes: an end entity's
// basicConstraints (cA=FALSE, no pathLen) and subjectKeyIdentifier
// included.
func fastPathTemplate(tmpl *x509.Certificate) bool {
	if tmpl.SerialNumber == nil || tmpl.SerialNumber.Sign() <= 0 {
		return false
	}
	only := x509.Certificate{
		SerialNumber:          tmpl.SerialNumber,
		RawSubject:            tmpl.RawSubject,
		NotBefore:             tmpl.NotBefore,
		NotAfter:              tmpl.NotAfter,
		KeyUsage:              tmpl.KeyUsage,
		ExtKeyUsage:           tmpl.ExtKeyUsage,
		UnknownExtKeyUsage:    tmpl.UnknownExtKeyUsage,
		BasicConstraintsValid: tmpl.BasicConstraintsValid,
		SubjectKeyId:          tmpl.SubjectKeyId,
		ExtraExtensions:       tmpl.ExtraExtensions,
	}
	return reflect.DeepEqual(&only, tmpl)
}

// deviceTBS encodes the TBSCertificate that crypto/x509.CreateCertificate
// makes from tmpl (a fastPathTemplate) for the subject key pub, issued by
// issuer, signed with alg: version 3, serial, signature, issuer (the
// issuer's subject), validity, subject (tmpl.RawSubject or empty),
// subjectPublicKeyInfo, then the extensions in crypto/x509's order:
// keyUsage (critical), extendedKeyUsage, basicConstraints (critical,
// cA=FALSE, when BasicConstraintsValid), subjectKeyIdentifier (when set),
// authorityKeyIdentifier (the issuer's subjectKeyIdentifier), then
// tmpl.ExtraExtensions.
func deviceTBS(tmpl, issuer *x509.Certificate, pub crypto.PublicKey, alg signingAlgorithm) ([]byte, error) {
	spki, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return nil, err
	}
	subject := tmpl.RawSubject
	if len(subject) == 0 {
		subject = emptyName
	}
	var exts []pkix.Extension
	has := func(oid asn1.ObjectIdentifier) bool {
		for _, e := range tmpl.ExtraExtensions {
			if e.Id.Equal(oid) {
				return true
			}
		}
		return false
	}
	if tmpl.KeyUsage != 0 && !has(oidExtKeyUsage) {
		var a [2]byte
		a[0] = reverseBits(byte(tmpl.KeyUsage))
		a[1] = reverseBits(byte(tmpl.KeyUsage >> 8))
		bits := a[:1]
		if a[1] != 0 {
			bits = a[:2]
		}
		v, err := asn1.Marshal(asn1.BitString{Bytes: bits, BitLength: bitLength(bits)})
		if err != nil {
			return nil, err
		}
		exts = append(exts, pkix.Extension{Id: oidExtKeyUsage, Critical: true, Value: v})
	}
	if (len(tmpl.ExtKeyUsage) > 0 || len(tmpl.UnknownExtKeyUsage) > 0) && !has(oidExtExtKeyUsage) {
		oids := make([]asn1.ObjectIdentifier, 0, len(tmpl.ExtKeyUsage)+len(tmpl.UnknownExtKeyUsage))
		for _, u := range tmpl.ExtKeyUsage {
			oid, ok := extKeyUsageOID[u]
			if !ok {
				return nil, fmt.Errorf("unknown extended key usage %d", u)
			}
			oids = append(oids, oid)
		}
		oids = append(oids, tmpl.UnknownExtKeyUsage...)
		v, err := asn1.Marshal(oids)
		if err != nil {
			return nil, err
		}
		exts = append(exts, pkix.Extension{Id: oidExtExtKeyUsage, Value: v})
	}
	if tmpl.BasicConstraintsValid && !has(oidExtBasicConstraint) {
		// crypto/x509's encoding of cA=FALSE without pathLen: an empty
		// SEQUENCE, both fields at their DEFAULT.
		exts = append(exts, pkix.Extension{Id: oidExtBasicConstraint, Critical: true, Value: []byte{0x30, 0x00}})
	}
	if len(tmpl.SubjectKeyId) > 0 && !has(oidExtSubjectKeyID) {
		v, err := asn1.Marshal(tmpl.SubjectKeyId)
		if err != nil {
			return nil, err
		}
		exts = append(exts, pkix.Extension{Id: oidExtSubjectKeyID, Value: v})
	}
	if len(issuer.SubjectKeyId) > 0 && !has(oidExtAuthorityKeyID) {
		v, err := asn1.Marshal(struct {
			ID []byte `asn1:"optional,tag:0"`
		}{issuer.SubjectKeyId})
		if err != nil {
			return nil, err
		}
		exts = append(exts, pkix.Extension{Id: oidExtAuthorityKeyID, Value: v})
	}
	exts = append(exts, tmpl.ExtraExtensions...)
	issuerName := issuer.RawSubject
	if len(issuerName) == 0 {
		return nil, errors.New("the issuer certificate has no raw subject")
	}
	tbs := tbsCertificate{
		Version:            2,
		SerialNumber:       tmpl.SerialNumber,
		SignatureAlgorithm: alg.id,
		Issuer:             asn1.RawValue{FullBytes: issuerName},
		Subject:            asn1.RawValue{FullBytes: subject},
		PublicKey:          asn1.RawValue{FullBytes: spki},
		Extensions:         exts,
	}
	tbs.Validity.NotBefore, tbs.Validity.NotAfter = tmpl.NotBefore.UTC(), tmpl.NotAfter.UTC()
	return asn1.Marshal(tbs)
}

// extKeyUsageOID are the object identifiers of the extended key usages
// a spec can name.
var extKeyUsageOID = map[x509.ExtKeyUsage]asn1.ObjectIdentifier{
	x509.ExtKeyUsageAny:             {2, 5, 29, 37, 0},
	x509.ExtKeyUsageServerAuth:      {1, 3, 6, 1, 5, 5, 7, 3, 1},
	x509.ExtKeyUsageClientAuth:      {1, 3, 6, 1, 5, 5, 7, 3, 2},
	x509.ExtKeyUsageCodeSigning:     {1, 3, 6, 1, 5, 5, 7, 3, 3},
	x509.ExtKeyUsageEmailProtection: {1, 3, 6, 1, 5, 5, 7, 3, 4},
	x509.ExtKeyUsageTimeStamping:    {1, 3, 6, 1, 5, 5, 7, 3, 8},
	x509.ExtKeyUsageOCSPSigning:     {1, 3, 6, 1, 5, 5, 7, 3, 9},
}

func reverseBits(b byte) byte {
	b = b>>4 | b<<4
	b = b>>2&0x33 | b<<2&0xcc
	return b>>1&0x55 | b<<1&0xaa
}

// bitLength is the length of an ASN.1 BIT STRING without its trailing
// zero bits.
func bitLength(b []byte) int {
	n := len(b) * 8
	for i := len(b) - 1; i >= 0; i-- {
		for bit := 0; bit < 8; bit++ {
			if b[i]>>bit&1 == 1 {
				return n
			}
			n--
		}
	}
	return 0
}

// signTBS signs tbs with signer as alg and returns the certificate's DER.
// The signature is checked with check (see signatureCheck) before the
// certificate is returned, as crypto/x509.CreateCertificate checks its
// own.
func signTBS(tbs []byte, alg signingAlgorithm, check signatureCheck, signer crypto.Signer) ([]byte, error) {
	msg := tbs
	var opts crypto.SignerOpts = crypto.Hash(0)
	if alg.hash != 0 {
		h := alg.hash.New()
		h.Write(tbs)
		msg, opts = h.Sum(nil), alg.hash
	}
	sig, err := signer.Sign(rand.Reader, msg, opts)
	if err != nil {
		return nil, err
	}
	if !check(msg, sig) {
		return nil, errors.New("the signer's signature does not verify with the issuer's key")
	}
	return asn1.Marshal(struct {
		TBS       asn1.RawValue
		Algorithm pkix.AlgorithmIdentifier
		Signature asn1.BitString
	}{asn1.RawValue{FullBytes: tbs}, alg.id, asn1.BitString{Bytes: sig, BitLength: 8 * len(sig)}})
}

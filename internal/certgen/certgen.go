// Package certgen builds the test certificates of iotcert: a conforming
// root → subordinate → end-entity chain per profile, and variants of one
// certificate of such a chain that break exactly one rule.
//
// Variants are made in two steps: Edit changes the Go template and key
// before signing; Rewrite changes the encoded TBSCertificate afterwards
// (for what crypto/x509 refuses to write: a non-critical keyUsage, version
// 1, a key on an unsupported curve, odd time encodings), after which the
// certificate is signed again with the issuer's key.
package certgen

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"fmt"
	"math/big"
	"time"
)

// Issued is a certificate with its private key.
type Issued struct {
	Cert *x509.Certificate
	Key  crypto.Signer
}

// DER returns the certificate's encoding.
func (i *Issued) DER() []byte { return i.Cert.Raw }

// Template is what Edit functions change: the Go template of the
// certificate being made, the subject's key, and the issuer that signs it.
type Template struct {
	*x509.Certificate
	// Key is the subject's key pair. Replace it to change the SPKI.
	Key crypto.Signer
	// Issuer signs the certificate; nil for a self-signed one.
	Issuer *Issued
}

// Rewrite is a post-signing change of the TBSCertificate.
type Rewrite func(t *TBS)

// Fixed dates keep generated certificates comparable between runs.
var (
	// Epoch is the notBefore of the generated hierarchies.
	Epoch = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	// NoExpiry is 99991231235959Z, the IEEE 802.1AR "no well-defined
	// expiration date" value.
	NoExpiry = time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)
)

// NewKey returns a new key of the named kind: "P-256", "P-384", "P-521",
// "P-224", "Ed25519", "RSA-2048", "RSA-3072".
func NewKey(kind string) crypto.Signer {
	var (
		k   crypto.Signer
		err error
	)
	switch kind {
	case "P-224":
		k, err = ecdsa.GenerateKey(elliptic.P224(), rand.Reader)
	case "P-256":
		k, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	case "P-384":
		k, err = ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	case "P-521":
		k, err = ecdsa.GenerateKey(elliptic.P521(), rand.Reader)
	case "Ed25519":
		_, k, err = ed25519.GenerateKey(rand.Reader)
	case "RSA-2048":
		k, err = rsa.GenerateKey(rand.Reader, 2048)
	case "RSA-3072":
		k, err = rsa.GenerateKey(rand.Reader, 3072)
	default:
		panic("certgen: unknown key kind " + kind)
	}
	if err != nil {
		panic(err)
	}
	return k
}

// RandomSerial returns a positive 128-bit random serial number.
func RandomSerial() *big.Int {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	b[0] = b[0]&0x7f | 0x40 // positive, and a full 16 octets
	return new(big.Int).SetBytes(b)
}

// Issue makes the certificate described by t, applies the rewrites and
// signs it with t.Issuer's key (t.Key's when self-signed).
func Issue(t *Template, rewrites ...Rewrite) (*Issued, error) {
	parent, signer := t.Certificate, t.Key
	if t.Issuer != nil {
		parent, signer = t.Issuer.Cert, t.Issuer.Key
	}
	der, err := x509.CreateCertificate(rand.Reader, t.Certificate, parent, t.Key.Public(), signer)
	if err != nil {
		return nil, fmt.Errorf("certgen: creating %q: %w", t.Subject.CommonName, err)
	}
	if len(rewrites) > 0 {
		if der, err = rewrite(der, signer, rewrites); err != nil {
			return nil, fmt.Errorf("certgen: rewriting %q: %w", t.Subject.CommonName, err)
		}
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		// Go refuses some deliberately broken certificates; keep the
		// bytes with the template's fields, which is all callers need.
		cert = &x509.Certificate{Raw: der, Subject: t.Subject, SubjectKeyId: t.SubjectKeyId, PublicKey: t.Key.Public()}
	}
	return &Issued{Cert: cert, Key: t.Key}, nil
}

// TBS is a decoded TBSCertificate whose parts can be replaced.
type TBS struct {
	Version            int `asn1:"optional,explicit,default:0,tag:0"`
	SerialNumber       *big.Int
	SignatureAlgorithm pkix.AlgorithmIdentifier
	Issuer             asn1.RawValue
	Validity           Validity
	Subject            asn1.RawValue
	PublicKey          asn1.RawValue
	IssuerUniqueID     asn1.BitString   `asn1:"optional,tag:1"`
	SubjectUniqueID    asn1.BitString   `asn1:"optional,tag:2"`
	Extensions         []pkix.Extension `asn1:"omitempty,optional,explicit,tag:3"`

	// OuterSignatureAlgorithm, when set, is written as the certificate's
	// signatureAlgorithm instead of a copy of SignatureAlgorithm. It is
	// not part of the encoded TBSCertificate.
	OuterSignatureAlgorithm *pkix.AlgorithmIdentifier
}

// tbsCertificate is the encoded form of TBS (encoding/asn1 has no way to
// skip a field).
type tbsCertificate struct {
	Version            int `asn1:"optional,explicit,default:0,tag:0"`
	SerialNumber       *big.Int
	SignatureAlgorithm pkix.AlgorithmIdentifier
	Issuer             asn1.RawValue
	Validity           Validity
	Subject            asn1.RawValue
	PublicKey          asn1.RawValue
	IssuerUniqueID     asn1.BitString   `asn1:"optional,tag:1"`
	SubjectUniqueID    asn1.BitString   `asn1:"optional,tag:2"`
	Extensions         []pkix.Extension `asn1:"omitempty,optional,explicit,tag:3"`
}

// Validity holds the two times as encoded, so that their ASN.1 type and
// form can be changed.
type Validity struct {
	NotBefore, NotAfter asn1.RawValue
}

// UTCTime returns the raw UTCTime encoding of s (e.g. "250101000000Z").
func UTCTime(s string) asn1.RawValue {
	return asn1.RawValue{Tag: asn1.TagUTCTime, Bytes: []byte(s)}
}

// GeneralizedTime returns the raw GeneralizedTime encoding of s
// (e.g. "99991231235959Z").
func GeneralizedTime(s string) asn1.RawValue {
	return asn1.RawValue{Tag: asn1.TagGeneralizedTime, Bytes: []byte(s)}
}

// SetExtension replaces the extension with e's OID, or appends e.
func (t *TBS) SetExtension(e pkix.Extension) {
	for i := range t.Extensions {
		if t.Extensions[i].Id.Equal(e.Id) {
			t.Extensions[i] = e
			return
		}
	}
	t.Extensions = append(t.Extensions, e)
}

// Extension returns a pointer to the extension with the given OID, or nil.
func (t *TBS) Extension(oid asn1.ObjectIdentifier) *pkix.Extension {
	for i := range t.Extensions {
		if t.Extensions[i].Id.Equal(oid) {
			return &t.Extensions[i]
		}
	}
	return nil
}

// RemoveExtension removes the extension with the given OID.
func (t *TBS) RemoveExtension(oid asn1.ObjectIdentifier) {
	kept := t.Extensions[:0]
	for _, e := range t.Extensions {
		if !e.Id.Equal(oid) {
			kept = append(kept, e)
		}
	}
	t.Extensions = kept
}

type certificate struct {
	TBS                asn1.RawValue
	SignatureAlgorithm pkix.AlgorithmIdentifier
	Signature          asn1.BitString
}

func rewrite(der []byte, signer crypto.Signer, rewrites []Rewrite) ([]byte, error) {
	var cert certificate
	if _, err := asn1.Unmarshal(der, &cert); err != nil {
		return nil, err
	}
	var enc tbsCertificate
	if _, err := asn1.Unmarshal(cert.TBS.FullBytes, &enc); err != nil {
		return nil, err
	}
	tbs := TBS{
		Version: enc.Version, SerialNumber: enc.SerialNumber, SignatureAlgorithm: enc.SignatureAlgorithm,
		Issuer: enc.Issuer, Validity: enc.Validity, Subject: enc.Subject, PublicKey: enc.PublicKey,
		IssuerUniqueID: enc.IssuerUniqueID, SubjectUniqueID: enc.SubjectUniqueID, Extensions: enc.Extensions,
	}
	for _, rw := range rewrites {
		rw(&tbs)
	}
	enc = tbsCertificate{
		Version: tbs.Version, SerialNumber: tbs.SerialNumber, SignatureAlgorithm: tbs.SignatureAlgorithm,
		Issuer: tbs.Issuer, Validity: tbs.Validity, Subject: tbs.Subject, PublicKey: tbs.PublicKey,
		IssuerUniqueID: tbs.IssuerUniqueID, SubjectUniqueID: tbs.SubjectUniqueID, Extensions: tbs.Extensions,
	}
	tbsDER, err := asn1.Marshal(enc)
	if err != nil {
		return nil, err
	}
	sig, err := sign(signer, tbsDER)
	if err != nil {
		return nil, err
	}
	outer := tbs.SignatureAlgorithm
	if tbs.OuterSignatureAlgorithm != nil {
		outer = *tbs.OuterSignatureAlgorithm
	}
	return asn1.Marshal(certificate{
		TBS:                asn1.RawValue{FullBytes: tbsDER},
		SignatureAlgorithm: outer,
		Signature:          asn1.BitString{Bytes: sig, BitLength: 8 * len(sig)},
	})
}

// sign signs tbs with the hash crypto/x509 would pick for signer's key.
func sign(signer crypto.Signer, tbs []byte) ([]byte, error) {
	switch pub := signer.Public().(type) {
	case ed25519.PublicKey:
		return signer.Sign(rand.Reader, tbs, crypto.Hash(0))
	case *ecdsa.PublicKey:
		switch pub.Curve.Params().BitSize {
		case 384:
			d := sha512.Sum384(tbs)
			return signer.Sign(rand.Reader, d[:], crypto.SHA384)
		case 521:
			d := sha512.Sum512(tbs)
			return signer.Sign(rand.Reader, d[:], crypto.SHA512)
		}
	}
	d := sha256.Sum256(tbs)
	return signer.Sign(rand.Reader, d[:], crypto.SHA256)
}

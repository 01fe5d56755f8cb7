package profile

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	stdx509 "crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"

	"github.com/iotcert/iotcert/internal/certder"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"github.com/iotcert/iotcert/certio"
)

// PreIssuance is the verdict on a certificate before it is signed.
type PreIssuance struct {
	// Result is the profile's verdict on the certificate the template
	// makes. Its SHA256 is that of the throwaway-signed certificate.
	Result Result
	// RawTBSCertificate is the TBSCertificate that was linted. The real
	// certificate must have exactly this TBSCertificate (see Matches).
	RawTBSCertificate []byte
}

// Matches reports an error unless the signed certificate der carries
// exactly the TBSCertificate that was linted, so that what is issued is
// what was checked.
func (pi *PreIssuance) Matches(der []byte) error {
	c, err := certio.Parse(der)
	if err != nil {
		return fmt.Errorf("signed certificate: %w", err)
	}
	if !bytes.Equal(c.RawTBSCertificate, pi.RawTBSCertificate) {
		return errors.New("signed certificate differs from the one linted before signing")
	}
	return nil
}

// LintTemplate lints the certificate that crypto/x509.CreateCertificate
// would make from template for the subject key pub, issued by issuer (nil
// for a self-signed certificate), before any real key signs anything.
//
// It signs with a throwaway key of the issuer's key type, under a copy of
// the issuer that carries the throwaway public key, so that the result has
// the real certificate's TBSCertificate. Sign the real certificate from the
// same template (with the same serial number) and check it with Matches.
func (p *Profile) LintTemplate(template, issuer *stdx509.Certificate, pub crypto.PublicKey) (*PreIssuance, error) {
	if template == nil || pub == nil {
		return nil, errors.New("pre-issuance lint: template and public key are required")
	}
	signerPub := pub
	if issuer != nil {
		signerPub = issuer.PublicKey
	}
	throwaway, err := throwawayKey(signerPub)
	if err != nil {
		return nil, fmt.Errorf("pre-issuance lint: %w", err)
	}
	parent := template
	if issuer != nil {
		fake := *issuer
		fake.PublicKey = throwaway.Public()
		parent = &fake
	} else {
		tmpl := *template
		tmpl.PublicKey = nil
		template, parent = &tmpl, &tmpl
	}
	der, err := stdx509.CreateCertificate(rand.Reader, template, parent, pub, throwaway)
	if err != nil {
		return nil, fmt.Errorf("pre-issuance lint: building the certificate: %w", err)
	}
	c, err := certio.Parse(der)
	if err != nil {
		return nil, fmt.Errorf("pre-issuance lint: parsing the certificate: %w", err)
	}
	return &PreIssuance{Result: p.Lint(c), RawTBSCertificate: c.RawTBSCertificate}, nil
}

// throwawayKey makes a key of the same type and size as pub.
func throwawayKey(pub crypto.PublicKey) (crypto.Signer, error) {
	switch k := pub.(type) {
	case *ecdsa.PublicKey:
		return ecdsa.GenerateKey(k.Curve, rand.Reader)
	case ed25519.PublicKey:
		_, priv, err := ed25519.GenerateKey(rand.Reader)
		return priv, err
	case *rsa.PublicKey:
		return rsa.GenerateKey(rand.Reader, k.N.BitLen())
	}
	return nil, fmt.Errorf("unsupported issuer key type %T", pub)
}

// LintTBS lints the certificate that the DER TBSCertificate tbs becomes
// once signed, for a caller that encodes the TBSCertificate itself and
// signs it with its issuer's key afterwards (see Matches).
//
// The certificate linted is tbs, its own signature AlgorithmIdentifier,
// and a placeholder signatureValue of the algorithm's shape: no lint of a
// profile judges the signature value, which only the issuer's key could
// check. Nothing is signed, so no key is needed.
func (p *Profile) LintTBS(tbs []byte) (*PreIssuance, error) {
	der, err := withPlaceholderSignature(tbs)
	if err != nil {
		return nil, fmt.Errorf("pre-issuance lint: %w", err)
	}
	c, err := certio.Parse(der)
	if err != nil {
		return nil, fmt.Errorf("pre-issuance lint: parsing the certificate: %w", err)
	}
	return &PreIssuance{Result: p.Lint(c), RawTBSCertificate: c.RawTBSCertificate}, nil
}

// Signature algorithms a placeholder signature is made for.
var (
	oidECDSAWithSHA256 = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 2}
	oidECDSAWithSHA384 = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 3}
	oidECDSAWithSHA512 = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 4}
	oidEd25519         = asn1.ObjectIdentifier{1, 3, 101, 112}
)

// placeholders are the placeholder signatureValues by signature
// algorithm, with the DER encoding of the algorithm's OID. They are made
// once and only read.
var placeholders = func() []placeholder {
	out := []placeholder{
		{oid: oidECDSAWithSHA256, sig: placeholderECDSA(32)},
		{oid: oidECDSAWithSHA384, sig: placeholderECDSA(48)},
		{oid: oidECDSAWithSHA512, sig: placeholderECDSA(66)},
		{oid: oidEd25519, sig: make([]byte, 64)},
	}
	for i := range out {
		der, err := asn1.Marshal(out[i].oid)
		if err != nil {
			panic(err)
		}
		out[i].der = der
	}
	return out
}()

type placeholder struct {
	oid      asn1.ObjectIdentifier
	der, sig []byte
}

// withPlaceholderSignature wraps tbs into a Certificate whose
// signatureAlgorithm is the TBSCertificate's signature field and whose
// signatureValue has the size of a real signature: an ECDSA-Sig-Value of
// two integers as long as the curve's order, or 64 octets for Ed25519.
func withPlaceholderSignature(tbs []byte) ([]byte, error) {
	in := cryptobyte.String(tbs)
	var body, algDER cryptobyte.String
	if !in.ReadASN1(&body, cbasn1.SEQUENCE) || !in.Empty() ||
		!body.SkipOptionalASN1(cbasn1.Tag(0).Constructed().ContextSpecific()) ||
		!body.SkipASN1(cbasn1.INTEGER) ||
		!body.ReadASN1Element(&algDER, cbasn1.SEQUENCE) {
		return nil, errors.New("malformed TBSCertificate")
	}
	sig := placeholderFor(algDER)
	if sig == nil {
		// Not the plain AlgorithmIdentifier of a known algorithm.
		var alg struct {
			Algorithm asn1.ObjectIdentifier
			Params    asn1.RawValue `asn1:"optional"`
		}
		if _, err := asn1.Unmarshal(algDER, &alg); err != nil {
			return nil, fmt.Errorf("TBSCertificate signature algorithm: %w", err)
		}
		for _, p := range placeholders {
			if p.oid.Equal(alg.Algorithm) {
				sig = p.sig
			}
		}
		if sig == nil {
			return nil, fmt.Errorf("no placeholder signature for algorithm %v", alg.Algorithm)
		}
	}
	return certder.Assemble(tbs, algDER, sig)
}

// placeholderFor returns the placeholder signature for the DER
// AlgorithmIdentifier algDER when it is the OID of a known algorithm
// followed by at most one parameters element, or nil.
func placeholderFor(algDER []byte) []byte {
	s := cryptobyte.String(algDER)
	var alg, oid, params cryptobyte.String
	var tag cbasn1.Tag
	if !s.ReadASN1(&alg, cbasn1.SEQUENCE) || !alg.ReadASN1Element(&oid, cbasn1.OBJECT_IDENTIFIER) ||
		!alg.Empty() && (!alg.ReadAnyASN1Element(&params, &tag) || !alg.Empty()) {
		return nil
	}
	for _, p := range placeholders {
		if bytes.Equal(p.der, oid) {
			return p.sig
		}
	}
	return nil
}

// placeholderECDSA is an ECDSA-Sig-Value with r and s of n octets.
func placeholderECDSA(n int) []byte {
	v := make([]byte, n)
	v[0] = 0x5a
	for i := 1; i < n; i++ {
		v[i] = 0xa5
	}
	r := new(big.Int).SetBytes(v)
	b, _ := asn1.Marshal(struct{ R, S *big.Int }{r, r})
	return b
}

package profile

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	stdx509 "crypto/x509"
	"errors"
	"fmt"

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

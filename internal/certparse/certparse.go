// Package certparse parses certificates for linting: it is the
// implementation of certio.Parse and certio.ParseDefects, and gives
// iotcert's other packages what those leave in a parsed certificate (the
// original subjectPublicKeyInfo of a key zcrypto cannot decode) without
// making it public API.
package certparse

import (
	"fmt"
	"math/big"
	"regexp"
	"sync"

	"github.com/zmap/zcrypto/encoding/asn1"
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zcrypto/x509/pkix"
)

// Markers for a certificate whose public key the parser could not decode.
// They sit under 1.3.6.1.4.1.32473, the enterprise number reserved for
// documentation (RFC 5612), and never leave this process.
var (
	// oidUndecodedKey replaces the algorithm of a subjectPublicKeyInfo that
	// zcrypto cannot decode, so that zcrypto parses it as an unknown key.
	oidUndecodedKey = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 32473, 7301, 1}
	// oidOriginalSPKI is the extension that carries the original
	// subjectPublicKeyInfo of such a certificate.
	oidOriginalSPKI = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 32473, 7301, 2}
	// OIDUndecodedExtension replaces, while parsing, the ID of an
	// extension whose value zcrypto cannot decode (certio.ParseDefects).
	OIDUndecodedExtension = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 32473, 7301, 3}
)

// Parse parses one DER certificate for linting (certio.Parse).
//
// A well-formed certificate whose public key zcrypto cannot decode (a curve
// such as secp256k1 or brainpoolP256r1, a malformed point) is still a
// certificate to judge: Parse then hands zcrypto a copy whose key is marked
// as of an unknown algorithm, so every lint still sees the certificate, and
// SubjectPublicKeyInfo returns the original key for the lints that judge it.
// Only bytes that are not a certificate at all give an error.
func Parse(der []byte) (*x509.Certificate, error) {
	c, err := parseZcrypto(der)
	if err == nil {
		dropMarker(c)
		return c, nil
	}
	marked, orig, ok := markUndecodedKey(der)
	if !ok {
		return nil, err
	}
	c, err2 := parseZcrypto(marked)
	if err2 != nil {
		return nil, err
	}
	// The raw fields are the input's, so that signatures and hashes over
	// them (chain building, fingerprints) see the certificate as it is.
	c.Raw, c.RawTBSCertificate, c.RawSubjectPublicKeyInfo = der, orig.tbs, orig.spki
	return c, nil
}

// parseZcrypto is zcrypto's x509.ParseCertificate, with a panic in it
// (zcrypto checks a self-signed certificate's signature while parsing,
// and crypto/ed25519 panics on a key that is not 32 octets) returned as an
// error.
func parseZcrypto(der []byte) (c *x509.Certificate, err error) {
	defer func() {
		if v := recover(); v != nil {
			c, err = nil, fmt.Errorf("x509: the certificate parser failed: %v", v)
		}
	}()
	return x509.ParseCertificate(der)
}

// originalParts are the encodings of a certificate's parts as they were in
// the input.
type originalParts struct {
	tbs, spki []byte
}

// SubjectPublicKeyInfo returns the DER subjectPublicKeyInfo of c as it was in
// the input, also when Parse had to mark the key as undecodable.
func SubjectPublicKeyInfo(c *x509.Certificate) []byte {
	if c.PublicKeyAlgorithmOID.Equal(oidUndecodedKey) {
		for _, e := range c.Extensions {
			if e.Id.Equal(oidOriginalSPKI) {
				return e.Value
			}
		}
	}
	return c.RawSubjectPublicKeyInfo
}

// KeyUndecodable reports whether Parse could not decode the public key of c.
func KeyUndecodable(c *x509.Certificate) bool {
	return c.PublicKeyAlgorithmOID.Equal(oidUndecodedKey)
}

// dropMarker removes a marker extension that came with the input itself, so
// that a crafted certificate cannot pass a different key to the lints.
func dropMarker(c *x509.Certificate) {
	kept := c.Extensions[:0]
	for _, e := range c.Extensions {
		if !e.Id.Equal(oidOriginalSPKI) {
			kept = append(kept, e)
		}
	}
	c.Extensions = kept
}

// RawCertificate is a Certificate (RFC 5280 §4.1) with its parts kept
// as they were encoded.
type RawCertificate struct {
	TBSCertificate     asn1.RawValue
	SignatureAlgorithm asn1.RawValue
	SignatureValue     asn1.BitString
}

// RawTBSCertificate is a TBSCertificate (RFC 5280 §4.1) with the parts
// iotcert rewrites while parsing kept as they were encoded.
type RawTBSCertificate struct {
	Version            int `asn1:"optional,explicit,default:0,tag:0"`
	SerialNumber       *big.Int
	SignatureAlgorithm asn1.RawValue
	Issuer             asn1.RawValue
	Validity           asn1.RawValue
	Subject            asn1.RawValue
	PublicKey          rawSPKI
	IssuerUniqueID     asn1.BitString   `asn1:"optional,tag:1"`
	SubjectUniqueID    asn1.BitString   `asn1:"optional,tag:2"`
	Extensions         []pkix.Extension `asn1:"omitempty,optional,explicit,tag:3"`
}

type rawSPKI struct {
	Raw       asn1.RawContent
	Algorithm pkix.AlgorithmIdentifier
	PublicKey asn1.BitString
}

// markUndecodedKey returns der with its subjectPublicKeyInfo algorithm
// replaced by oidUndecodedKey and the original SPKI kept in an extension.
// It also returns the original encodings of the TBSCertificate and the
// subjectPublicKeyInfo, and reports false when der is not a well-formed
// certificate structure.
func markUndecodedKey(der []byte) ([]byte, originalParts, bool) {
	var cert RawCertificate
	if rest, err := asn1.Unmarshal(der, &cert); err != nil || len(rest) != 0 {
		return nil, originalParts{}, false
	}
	var tbs RawTBSCertificate
	if rest, err := asn1.Unmarshal(cert.TBSCertificate.FullBytes, &tbs); err != nil || len(rest) != 0 {
		return nil, originalParts{}, false
	}
	orig := originalParts{tbs: cert.TBSCertificate.FullBytes, spki: tbs.PublicKey.Raw}
	original := append([]byte(nil), tbs.PublicKey.Raw...)
	tbs.PublicKey = rawSPKI{
		Algorithm: pkix.AlgorithmIdentifier{Algorithm: oidUndecodedKey},
		PublicKey: tbs.PublicKey.PublicKey,
	}
	tbs.Extensions = append(tbs.Extensions, pkix.Extension{Id: oidOriginalSPKI, Value: original})
	tbsDER, err := asn1.Marshal(tbs)
	if err != nil {
		return nil, originalParts{}, false
	}
	cert.TBSCertificate = asn1.RawValue{FullBytes: tbsDER}
	out, err := asn1.Marshal(cert)
	if err != nil {
		return nil, originalParts{}, false
	}
	return out, orig, true
}

// fieldOptions matches the Go struct dump that zcrypto's ASN.1 structure
// errors carry, which says nothing to a user.
var fieldOptions = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(` ?\{optional:[^}]*\}`) })

// DescribeError returns the message of a Parse error without the
// parser's internal detail.
func DescribeError(err error) string {
	return fieldOptions().ReplaceAllString(err.Error(), "")
}

package lints

import (
	"fmt"
	"math/big"
	"regexp"
	"strings"
	"sync"

	"github.com/zmap/zcrypto/encoding/asn1"
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zcrypto/x509/pkix"
)

// Helpers of the RFC 7925 §4.4 lints.

// oidR7925CurveP192 is prime192v1 (secp192r1), 96-bit security.
var oidR7925CurveP192 = asn1.ObjectIdentifier{1, 2, 840, 10045, 3, 1, 1}

// r7925Cert is the part of a certificate the RFC 7925 Table 1 lints read
// as encoded: the version, both signature algorithms and the validity.
type r7925Cert struct {
	// Version is the encoded version field: 0 for v1, 2 for v3.
	Version int
	// TBSSignature is the signature field of the TBSCertificate.
	TBSSignature pkix.AlgorithmIdentifier
	// SignatureAlgorithm is the certificate's outer signatureAlgorithm.
	SignatureAlgorithm pkix.AlgorithmIdentifier
	// NotBefore and NotAfter are the validity times as encoded.
	NotBefore, NotAfter asn1.RawValue
}

type r7925RawCertificate struct {
	TBS                asn1.RawValue
	SignatureAlgorithm pkix.AlgorithmIdentifier
	Signature          asn1.BitString
}

type r7925RawTBS struct {
	Version         int `asn1:"optional,explicit,default:0,tag:0"`
	SerialNumber    *big.Int
	Signature       pkix.AlgorithmIdentifier
	Issuer          asn1.RawValue
	Validity        struct{ NotBefore, NotAfter asn1.RawValue }
	Subject         asn1.RawValue
	PublicKey       asn1.RawValue
	IssuerUniqueID  asn1.BitString `asn1:"optional,tag:1"`
	SubjectUniqueID asn1.BitString `asn1:"optional,tag:2"`
	Extensions      asn1.RawValue  `asn1:"optional,explicit,tag:3"`
}

// r7925Decode decodes the fields of c that the Table 1 lints judge from its
// encoding, c.Raw.
func r7925Decode(c *x509.Certificate) (r7925Cert, error) {
	var cert r7925RawCertificate
	if _, err := asn1.Unmarshal(c.Raw, &cert); err != nil {
		return r7925Cert{}, fmt.Errorf("certificate: %w", err)
	}
	var tbs r7925RawTBS
	if _, err := asn1.Unmarshal(cert.TBS.FullBytes, &tbs); err != nil {
		return r7925Cert{}, fmt.Errorf("tbsCertificate: %w", err)
	}
	return r7925Cert{
		Version:            tbs.Version,
		TBSSignature:       tbs.Signature,
		SignatureAlgorithm: cert.SignatureAlgorithm,
		NotBefore:          tbs.Validity.NotBefore,
		NotAfter:           tbs.Validity.NotAfter,
	}, nil
}

// r7925LeftmostCN returns the most specific commonName of c's subject: the last
// one in the encoded RDN sequence, which is the leftmost in the RFC 4514
// string form that RFC 7925 §4.4.2 and RFC 7252 §9.1.3.3 speak of.
func r7925LeftmostCN(c *x509.Certificate) (string, bool) {
	cn, found := "", false
	for _, atv := range c.Subject.Names {
		if atv.Type.Equal(oidAttrCommonName) {
			cn, found = fmt.Sprint(atv.Value), true
		}
	}
	return cn, found
}

// r7925Server reports whether the end entity c presents as a TLS server in
// the sense of RFC 7925 §4.4.1, and why: its extendedKeyUsage holds
// id-kp-serverAuth, its subjectAltName holds a dNSName other than an
// EUI-64, or its leftmost CN reads as a domain name. Every other end entity is a client (§4.4.2).
func r7925Server(c *x509.Certificate) (server bool, why string, err error) {
	for _, oid := range c.ExtKeyUsage {
		if oid == x509.ExtKeyUsageServerAuth {
			return true, "extendedKeyUsage holds id-kp-serverAuth", nil
		}
	}
	names, err := subjectAltNames(c)
	if err != nil {
		return false, "", err
	}
	for _, n := range names {
		// A dNSName holding an EUI-64 is a client identifier written as
		// the early drafts restated RFC 7925 §4.4.2, not a server name.
		if n.Tag == tagDNSName && !r7925EUI64Loose().Match(n.Bytes) {
			return true, fmt.Sprintf("subjectAltName holds dNSName %q", n.Bytes), nil
		}
	}
	if cn, ok := r7925LeftmostCN(c); ok && looksLikeDomainName(cn) {
		return true, fmt.Sprintf("subject CN %q is a domain name", cn), nil
	}
	return false, "", nil
}

// The regular expressions are compiled when first used, not at every
// process start.
var (
	// r7925EUI64Loose matches what looks like an EUI-64 written as text: eight
	// hex octets, with or without "-" or ":" separators, in either case.
	r7925EUI64Loose = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[0-9A-Fa-f]{2}(?:[-:]?[0-9A-Fa-f]{2}){7}$`) })
	// r7925EUI64Strict is the RFC 7925 §4.4.2 form HH-HH-HH-HH-HH-HH-HH-HH with
	// H one of 0-9, A-F.
	r7925EUI64Strict = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[0-9A-F]{2}(?:-[0-9A-F]{2}){7}$`) })
)

// r7925EUI64Candidate is a client identifier that looks like an EUI-64, and
// where it was found.
type r7925EUI64Candidate struct {
	Where, Value string
}

// r7925EUI64Candidates returns the identifiers of c that look like an EUI-64:
// the leftmost CN, and the dNSName, rfc822Name and URI entries of the
// subjectAltName whose whole value does.
func r7925EUI64Candidates(c *x509.Certificate) ([]r7925EUI64Candidate, error) {
	var found []r7925EUI64Candidate
	if cn, ok := r7925LeftmostCN(c); ok && r7925EUI64Loose().MatchString(cn) {
		found = append(found, r7925EUI64Candidate{"subject CN", cn})
	}
	names, err := subjectAltNames(c)
	if err != nil {
		return found, err
	}
	for _, n := range names {
		switch n.Tag {
		case tagDNSName, tagRFC822Name, tagURI:
			if r7925EUI64Loose().Match(n.Bytes) {
				found = append(found, r7925EUI64Candidate{"subjectAltName " + generalNameType(n.Tag), string(n.Bytes)})
			}
		}
	}
	return found, nil
}

// r7925EUI64FormatProblem says how s, which looks like an EUI-64, departs from
// HH-HH-HH-HH-HH-HH-HH-HH with upper-case hex, or "" when it does not.
func r7925EUI64FormatProblem(s string) string {
	if r7925EUI64Strict().MatchString(s) {
		return ""
	}
	var problems []string
	switch {
	case strings.Contains(s, ":"):
		problems = append(problems, `uses ":" separators`)
	case strings.Count(s, "-") != 7:
		problems = append(problems, `lacks the "-" separators`)
	}
	if strings.ToUpper(s) != s {
		problems = append(problems, "uses lower-case hex digits")
	}
	if len(problems) == 0 {
		problems = append(problems, "is not of the form HH-HH-HH-HH-HH-HH-HH-HH")
	}
	return strings.Join(problems, " and ")
}

// r7925SecurityBits is the security strength of k in bits as securityBits,
// also for the weak keys securityBits does not rate (RSA below 1024 bits,
// P-192); known is false when the strength cannot be told.
func r7925SecurityBits(k publicKey) (bits int, known bool) {
	if b := securityBits(k); b > 0 {
		return b, true
	}
	switch {
	case k.Algorithm.Equal(oidKeyRSA) && k.RSABits > 0:
		return 0, true // below 1024 bits: less than 80
	case k.Curve != nil && k.Curve.Equal(oidR7925CurveP192):
		return 96, true
	}
	return 0, false
}

// r7925SecurityDescription says in words how strong k is.
func r7925SecurityDescription(k publicKey, bits int) string {
	if bits == 0 {
		return fmt.Sprintf("%s gives less than 80-bit security", keyAlgorithmName(k))
	}
	return fmt.Sprintf("%s gives %d-bit security", keyAlgorithmName(k), bits)
}

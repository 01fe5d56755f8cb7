package lints

import (
	"errors"
	"fmt"

	"github.com/zmap/zcrypto/encoding/asn1"
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zcrypto/x509/pkix"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/internal/certparse"
)

// Object identifiers used by several lints.
var (
	oidExtKeyUsage          = asn1.ObjectIdentifier{2, 5, 29, 15}
	oidExtSubjectAltName    = asn1.ObjectIdentifier{2, 5, 29, 17}
	oidExtBasicConstraints  = asn1.ObjectIdentifier{2, 5, 29, 19}
	oidExtCRLDistribution   = asn1.ObjectIdentifier{2, 5, 29, 31}
	oidExtCertPolicies      = asn1.ObjectIdentifier{2, 5, 29, 32}
	oidExtAuthorityKeyID    = asn1.ObjectIdentifier{2, 5, 29, 35}
	oidExtSubjectKeyID      = asn1.ObjectIdentifier{2, 5, 29, 14}
	oidExtExtendedKeyUsage  = asn1.ObjectIdentifier{2, 5, 29, 37}
	oidExtAuthorityInfo     = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 1, 1}
	oidExtMASAURL           = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 1, 32}
	oidAccessOCSP           = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 48, 1}
	oidAccessCAIssuers      = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 48, 2}
	oidOnHardwareModuleName = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 8, 4}
	oidAttrSerialNumber     = asn1.ObjectIdentifier{2, 5, 4, 5}
	oidAttrCommonName       = asn1.ObjectIdentifier{2, 5, 4, 3}
	oidAttrCountry          = asn1.ObjectIdentifier{2, 5, 4, 6}
	oidAttrOrganization     = asn1.ObjectIdentifier{2, 5, 4, 10}

	oidKeyEC      = asn1.ObjectIdentifier{1, 2, 840, 10045, 2, 1}
	oidKeyECDH    = asn1.ObjectIdentifier{1, 3, 132, 1, 12}
	oidKeyECMQV   = asn1.ObjectIdentifier{1, 3, 132, 1, 13}
	oidKeyRSA     = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 1}
	oidKeyEd25519 = asn1.ObjectIdentifier{1, 3, 101, 112}
	oidKeyEd448   = asn1.ObjectIdentifier{1, 3, 101, 113}
	oidKeyDH      = asn1.ObjectIdentifier{1, 2, 840, 10046, 2, 1} // dhpublicnumber, RFC 3279 §2.3.3

	oidCurveP256 = asn1.ObjectIdentifier{1, 2, 840, 10045, 3, 1, 7}
	oidCurveP384 = asn1.ObjectIdentifier{1, 3, 132, 0, 34}
	oidCurveP521 = asn1.ObjectIdentifier{1, 3, 132, 0, 35}

	// Curves that are named in messages and whose strength is known, but
	// that no profile allows.
	oidCurveSecp256k1       = asn1.ObjectIdentifier{1, 3, 132, 0, 10}
	oidCurveBrainpoolP256r1 = asn1.ObjectIdentifier{1, 3, 36, 3, 3, 2, 8, 1, 1, 7}
	oidCurveBrainpoolP384r1 = asn1.ObjectIdentifier{1, 3, 36, 3, 3, 2, 8, 1, 1, 11}
	oidCurveP224            = asn1.ObjectIdentifier{1, 3, 132, 0, 33}

	oidSigECDSASHA256 = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 2}
	oidSigECDSASHA384 = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 3}
	oidSigECDSASHA512 = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 4}
)

// curveNames maps the curves iotcert knows by name to their OIDs; the names
// are those used in rules.yaml parameters.
var curveNames = map[string]asn1.ObjectIdentifier{
	"P-256": oidCurveP256,
	"P-384": oidCurveP384,
	"P-521": oidCurveP521,
}

// curveName returns the rules.yaml name of the curve oid, or the dotted OID.
func curveName(oid asn1.ObjectIdentifier) string {
	for name, o := range curveNames {
		if o.Equal(oid) {
			return name
		}
	}
	switch oid.String() {
	case "1.3.132.0.10":
		return "secp256k1"
	case "1.3.36.3.3.2.8.1.1.7":
		return "brainpoolP256r1"
	case "1.3.36.3.3.2.8.1.1.11":
		return "brainpoolP384r1"
	case "1.3.132.0.33":
		return "P-224"
	}
	return oid.String()
}

// pass is the result of a lint whose requirement is met.
func pass() *lint.LintResult { return &lint.LintResult{Status: lint.Pass} }

// failf is the result of a lint whose requirement is not met.
func failf(status lint.LintStatus, format string, args ...any) *lint.LintResult {
	return &lint.LintResult{Status: status, Details: fmt.Sprintf(format, args...)}
}

// extension returns the first extension of c with the given OID, or nil.
func extension(c *x509.Certificate, oid asn1.ObjectIdentifier) *pkix.Extension {
	for i := range c.Extensions {
		if c.Extensions[i].Id.Equal(oid) {
			return &c.Extensions[i]
		}
	}
	return nil
}

// hasExtension reports whether c has an extension with the given OID.
func hasExtension(c *x509.Certificate, oid asn1.ObjectIdentifier) bool {
	return extension(c, oid) != nil
}

// subjectHas reports whether the subject of c has an attribute of type oid.
func subjectHas(c *x509.Certificate, oid asn1.ObjectIdentifier) bool {
	for _, atv := range c.Subject.Names {
		if atv.Type.Equal(oid) {
			return true
		}
	}
	return false
}

// GeneralName tags (RFC 5280 §4.2.1.6).
const (
	tagOtherName     = 0
	tagRFC822Name    = 1
	tagDNSName       = 2
	tagX400Address   = 3
	tagDirectoryName = 4
	tagEDIPartyName  = 5
	tagURI           = 6
	tagIPAddress     = 7
	tagRegisteredID  = 8
)

var generalNameTypes = [...]string{"otherName", "rfc822Name", "dNSName", "x400Address", "directoryName", "ediPartyName", "uniformResourceIdentifier", "iPAddress", "registeredID"}

// generalNameType returns the name of a GeneralName tag, as in RFC 5280.
func generalNameType(tag int) string {
	if tag >= 0 && tag < len(generalNameTypes) {
		return generalNameTypes[tag]
	}
	return fmt.Sprintf("[%d]", tag)
}

// generalName is one undecoded GeneralName.
type generalName struct {
	// Tag is the context-specific tag: tagDNSName, tagURI, ...
	Tag int
	// Bytes is the content: the string of an IA5String form, the address of
	// an iPAddress, the inner SEQUENCE content of an otherName.
	Bytes []byte
}

// otherName decodes an otherName GeneralName into its type-id and value.
func (g generalName) otherName() (typeID asn1.ObjectIdentifier, value asn1.RawValue, err error) {
	rest, err := asn1.Unmarshal(g.Bytes, &typeID)
	if err != nil {
		return nil, value, fmt.Errorf("otherName type-id: %w", err)
	}
	if rest, err = asn1.Unmarshal(rest, &value); err != nil {
		return nil, value, fmt.Errorf("otherName value: %w", err)
	}
	if len(rest) != 0 || value.Class != asn1.ClassContextSpecific || value.Tag != 0 {
		return nil, value, errors.New("otherName value is not a single [0] EXPLICIT element")
	}
	return typeID, value, nil
}

// subjectAltNames returns the GeneralNames of the subjectAltName extension of
// c, nil if there is none, or an error if it does not decode.
func subjectAltNames(c *x509.Certificate) ([]generalName, error) {
	e := extension(c, oidExtSubjectAltName)
	if e == nil {
		return nil, nil
	}
	if names, ok := fastGeneralNames(e.Value); ok {
		return names, nil
	}
	return generalNamesASN1(e.Value)
}

// generalNamesASN1 decodes the subjectAltName extension value with asn1:
// what subjectAltNames does for a value fastGeneralNames does not read.
func generalNamesASN1(value []byte) ([]generalName, error) {
	var seq asn1.RawValue
	rest, err := asn1.Unmarshal(value, &seq)
	if err != nil {
		return nil, fmt.Errorf("subjectAltName: %w", err)
	}
	if len(rest) != 0 || seq.Class != asn1.ClassUniversal || seq.Tag != asn1.TagSequence {
		return nil, errors.New("subjectAltName is not a single SEQUENCE")
	}
	var names []generalName
	for inner := seq.Bytes; len(inner) > 0; {
		var v asn1.RawValue
		if inner, err = asn1.Unmarshal(inner, &v); err != nil {
			return nil, fmt.Errorf("subjectAltName entry %d: %w", len(names), err)
		}
		if v.Class != asn1.ClassContextSpecific {
			return nil, fmt.Errorf("subjectAltName entry %d is not a GeneralName", len(names))
		}
		names = append(names, generalName{Tag: v.Tag, Bytes: v.Bytes})
	}
	return names, nil
}

// publicKey is the decoded algorithm part of a subjectPublicKeyInfo.
type publicKey struct {
	// Algorithm is the SPKI algorithm OID.
	Algorithm asn1.ObjectIdentifier
	// Curve is the namedCurve of an id-ecPublicKey (also of id-ecDH and
	// id-ecMQV), or nil when the parameters are not a named curve.
	Curve asn1.ObjectIdentifier
	// RSABits is the modulus length of an RSA key, else 0.
	RSABits int
}

// subjectPublicKey decodes the subjectPublicKeyInfo of c as it was in the
// input, also for keys zcrypto cannot parse (see certio.Parse).
func subjectPublicKey(c *x509.Certificate) (publicKey, error) {
	der := certparse.SubjectPublicKeyInfo(c)
	if k, ok := fastSubjectPublicKey(der); ok {
		return k, nil
	}
	return subjectPublicKeyASN1(der)
}

// subjectPublicKeyASN1 decodes the subjectPublicKeyInfo der with asn1:
// what subjectPublicKey does for a der fastSubjectPublicKey does not read.
func subjectPublicKeyASN1(der []byte) (publicKey, error) {
	var spki struct {
		Algorithm pkix.AlgorithmIdentifier
		PublicKey asn1.BitString
	}
	if _, err := asn1.Unmarshal(der, &spki); err != nil {
		return publicKey{}, fmt.Errorf("subjectPublicKeyInfo: %w", err)
	}
	k := publicKey{Algorithm: spki.Algorithm.Algorithm}
	switch {
	case k.Algorithm.Equal(oidKeyEC), k.Algorithm.Equal(oidKeyECDH), k.Algorithm.Equal(oidKeyECMQV):
		var curve asn1.ObjectIdentifier
		if _, err := asn1.Unmarshal(spki.Algorithm.Parameters.FullBytes, &curve); err == nil {
			k.Curve = curve
		}
	case k.Algorithm.Equal(oidKeyRSA):
		var rsaKey struct{ N, E asn1.RawValue }
		if _, err := asn1.Unmarshal(spki.PublicKey.RightAlign(), &rsaKey); err == nil {
			k.RSABits = rsaModulusBits(rsaKey.N.Bytes)
		}
	}
	return k, nil
}

// rsaModulusBits is the length in bits of the RSA modulus whose INTEGER
// content is n.
func rsaModulusBits(n []byte) int {
	for len(n) > 0 && n[0] == 0 {
		n = n[1:]
	}
	if len(n) == 0 {
		return 0
	}
	return (len(n)-1)*8 + bitLen(n[0])
}

func bitLen(b byte) int {
	n := 0
	for ; b != 0; b >>= 1 {
		n++
	}
	return n
}

// keyAlgorithmName names the algorithm of k for messages.
func keyAlgorithmName(k publicKey) string {
	switch {
	case k.Algorithm.Equal(oidKeyEC):
		if k.Curve == nil {
			return "id-ecPublicKey without a named curve"
		}
		return "EC " + curveName(k.Curve)
	case k.Algorithm.Equal(oidKeyRSA):
		return fmt.Sprintf("RSA-%d", k.RSABits)
	case k.Algorithm.Equal(oidKeyEd25519):
		return "Ed25519"
	case k.Algorithm.Equal(oidKeyEd448):
		return "Ed448"
	case k.Algorithm.Equal(oidKeyECDH):
		return "id-ecDH"
	case k.Algorithm.Equal(oidKeyECMQV):
		return "id-ecMQV"
	}
	return k.Algorithm.String()
}

// securityBits is the classical security strength of k in bits (NIST SP
// 800-57 Part 1 Table 2), or 0 when unknown.
func securityBits(k publicKey) int {
	switch {
	case k.Curve != nil:
		switch {
		case k.Curve.Equal(oidCurveP256):
			return 128
		case k.Curve.Equal(oidCurveP384):
			return 192
		case k.Curve.Equal(oidCurveP521):
			return 256
		}
		switch {
		case k.Curve.Equal(oidCurveSecp256k1), k.Curve.Equal(oidCurveBrainpoolP256r1):
			return 128
		case k.Curve.Equal(oidCurveBrainpoolP384r1):
			return 192
		case k.Curve.Equal(oidCurveP224):
			return 112
		}
	case k.Algorithm.Equal(oidKeyRSA):
		switch {
		case k.RSABits >= 15360:
			return 256
		case k.RSABits >= 7680:
			return 192
		case k.RSABits >= 3072:
			return 128
		case k.RSABits >= 2048:
			return 112
		case k.RSABits >= 1024:
			return 80
		}
	case k.Algorithm.Equal(oidKeyEd25519):
		return 128
	case k.Algorithm.Equal(oidKeyEd448):
		return 224
	}
	return 0
}

package lints

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/zmap/zcrypto/encoding/asn1"
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/util"
)

// Signature algorithms named in messages and in rules.yaml parameters.
var (
	oidSigECDSASHA1    = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 1}
	oidSigECDSASHA224  = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 1}
	oidSigRSASHA1      = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 5}
	oidSigRSASHA256    = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 11}
	oidSigRSASHA384    = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 12}
	oidSigRSASHA512    = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 13}
	oidSigRSAPSS       = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 10}
	oidSigRSAMD5       = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 4}
	oidSigDSASHA1      = asn1.ObjectIdentifier{1, 2, 840, 10040, 4, 3}
	oidSigDSASHA256    = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 3, 2}
	oidSigEd25519      = asn1.ObjectIdentifier{1, 3, 101, 112}
	oidSigEd448        = asn1.ObjectIdentifier{1, 3, 101, 113}
	oidSigMLDSA44      = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 3, 17}
	oidSigMLDSA65      = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 3, 18}
	oidSigMLDSA87      = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 3, 19}
	oidKeyMLDSA44      = oidSigMLDSA44 // RFC 9881: the same OIDs name the key
	oidKeyMLDSA65      = oidSigMLDSA65
	oidKeyMLDSA87      = oidSigMLDSA87
	sigAlgorithmsNamed = []struct {
		name string
		oid  asn1.ObjectIdentifier
	}{
		{"ecdsa-with-SHA256", oidSigECDSASHA256},
		{"ecdsa-with-SHA384", oidSigECDSASHA384},
		{"ecdsa-with-SHA512", oidSigECDSASHA512},
		{"ecdsa-with-SHA224", oidSigECDSASHA224},
		{"ecdsa-with-SHA1", oidSigECDSASHA1},
		{"Ed25519", oidSigEd25519},
		{"Ed448", oidSigEd448},
		{"ML-DSA-44", oidSigMLDSA44},
		{"ML-DSA-65", oidSigMLDSA65},
		{"ML-DSA-87", oidSigMLDSA87},
		{"sha256WithRSAEncryption", oidSigRSASHA256},
		{"sha384WithRSAEncryption", oidSigRSASHA384},
		{"sha512WithRSAEncryption", oidSigRSASHA512},
		{"sha1WithRSAEncryption", oidSigRSASHA1},
		{"md5WithRSAEncryption", oidSigRSAMD5},
		{"RSASSA-PSS", oidSigRSAPSS},
		{"dsa-with-SHA1", oidSigDSASHA1},
		{"dsa-with-SHA256", oidSigDSASHA256},
	}
)

// sigAlgorithmName returns the name of the signature algorithm oid (as
// used in rules.yaml parameters), or its dotted form.
func sigAlgorithmName(oid asn1.ObjectIdentifier) string {
	for _, a := range sigAlgorithmsNamed {
		if a.oid.Equal(oid) {
			return a.name
		}
	}
	return oid.String()
}

// sigAlgorithmByName returns the OID of a named signature algorithm.
func sigAlgorithmByName(name string) (asn1.ObjectIdentifier, bool) {
	for _, a := range sigAlgorithmsNamed {
		if a.name == name {
			return a.oid, true
		}
	}
	return nil, false
}

// sigAlgorithmNames lists the names sigAlgorithmByName knows.
func sigAlgorithmNames() []string {
	out := make([]string, 0, len(sigAlgorithmsNamed))
	for _, a := range sigAlgorithmsNamed {
		out = append(out, a.name)
	}
	return out
}

// isECDSASHA2 reports whether oid is ecdsa-with-SHA256, -SHA384 or -SHA512
// (RFC 5758 §3.2).
func isECDSASHA2(oid asn1.ObjectIdentifier) bool {
	return oid.Equal(oidSigECDSASHA256) || oid.Equal(oidSigECDSASHA384) || oid.Equal(oidSigECDSASHA512)
}

// isA8SigAlgorithm reports whether oid is one of the signature algorithms
// whose standing under draft-ietf-uta-tls13-iot-profile is unclear
// (ambiguity A8): Ed25519, Ed448 (RFC 8410) and ML-DSA (RFC 9881).
func isA8SigAlgorithm(oid asn1.ObjectIdentifier) bool {
	for _, o := range []asn1.ObjectIdentifier{oidSigEd25519, oidSigEd448, oidSigMLDSA44, oidSigMLDSA65, oidSigMLDSA87} {
		if o.Equal(oid) {
			return true
		}
	}
	return false
}

// isA8Key reports whether k is a key whose standing under the profile is
// unclear (ambiguity A8): Ed25519, Ed448 or ML-DSA.
func isA8Key(k publicKey) bool {
	for _, o := range []asn1.ObjectIdentifier{oidKeyEd25519, oidKeyEd448, oidKeyMLDSA44, oidKeyMLDSA65, oidKeyMLDSA87} {
		if o.Equal(k.Algorithm) {
			return true
		}
	}
	return false
}

// a8KeyName names an A8 key algorithm for messages.
func a8KeyName(k publicKey) string {
	switch {
	case k.Algorithm.Equal(oidKeyMLDSA44):
		return "ML-DSA-44"
	case k.Algorithm.Equal(oidKeyMLDSA65):
		return "ML-DSA-65"
	case k.Algorithm.Equal(oidKeyMLDSA87):
		return "ML-DSA-87"
	}
	return keyAlgorithmName(k)
}

// sortedCurveNames returns the names of curveNames in order.
func sortedCurveNames() []string {
	out := make([]string, 0, len(curveNames))
	for n := range curveNames {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// validityTimes returns the encoded notBefore and notAfter of c: their
// ASN.1 tag (asn1.TagUTCTime or asn1.TagGeneralizedTime) and content.
func validityTimes(c *x509.Certificate) (notBefore, notAfter asn1.RawValue, err error) {
	if notBefore, notAfter, ok := fastValidityTimes(c.RawTBSCertificate); ok {
		return notBefore, notAfter, nil
	}
	notBefore, notAfter = util.GetTimes(c)
	if notBefore.Tag == 0 || notAfter.Tag == 0 {
		return notBefore, notAfter, errors.New("validity does not decode")
	}
	return notBefore, notAfter, nil
}

// timeTypeName names the ASN.1 type of an encoded time.
func timeTypeName(v asn1.RawValue) string {
	switch v.Tag {
	case asn1.TagUTCTime:
		return "UTCTime"
	case asn1.TagGeneralizedTime:
		return "GeneralizedTime"
	}
	return fmt.Sprintf("a value of tag %d", v.Tag)
}

// accessDescriptions decodes the authorityInfoAccess extension value der
// into the access methods of its AccessDescriptions (RFC 5280 §4.2.2.1).
func accessDescriptions(der []byte) ([]asn1.ObjectIdentifier, error) {
	var seq asn1.RawValue
	rest, err := asn1.Unmarshal(der, &seq)
	if err != nil {
		return nil, fmt.Errorf("authorityInfoAccess: %w", err)
	}
	if len(rest) != 0 || seq.Class != asn1.ClassUniversal || seq.Tag != asn1.TagSequence {
		return nil, errors.New("authorityInfoAccess is not a single SEQUENCE")
	}
	var methods []asn1.ObjectIdentifier
	for inner := seq.Bytes; len(inner) > 0; {
		var ad struct {
			Method   asn1.ObjectIdentifier
			Location asn1.RawValue
		}
		if inner, err = asn1.Unmarshal(inner, &ad); err != nil {
			return nil, fmt.Errorf("authorityInfoAccess entry %d: %w", len(methods), err)
		}
		methods = append(methods, ad.Method)
	}
	if len(methods) == 0 {
		return nil, errors.New("authorityInfoAccess is empty")
	}
	return methods, nil
}

// oidList joins OIDs for messages.
func oidList(oids []asn1.ObjectIdentifier) string {
	parts := make([]string, len(oids))
	for i, o := range oids {
		parts[i] = o.String()
	}
	return strings.Join(parts, ", ")
}

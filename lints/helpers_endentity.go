package lints

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/zmap/zcrypto/encoding/asn1"
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/util"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// Object identifiers used by the end-entity lints.
var (
	oidEKUServerAuth = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 3, 1}
	oidEKUClientAuth = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 3, 2}
	oidKeyX25519     = asn1.ObjectIdentifier{1, 3, 101, 110}
	oidKeyX448       = asn1.ObjectIdentifier{1, 3, 101, 111}
)

// rawAttribute is one AttributeTypeAndValue of a distinguished name, with
// its value undecoded so that its ASN.1 string type can be seen.
type rawAttribute struct {
	Type  asn1.ObjectIdentifier
	Value asn1.RawValue
}

// subjectAttributes decodes the subject of c as it was encoded: every
// AttributeTypeAndValue of every RDN, in order.
func subjectAttributes(c *x509.Certificate) ([]rawAttribute, error) {
	if attrs, ok := fastSubjectAttributes(c.RawSubject); ok {
		return attrs, nil
	}
	return subjectAttributesASN1(c.RawSubject)
}

// subjectAttributesASN1 decodes the subject rawSubject with asn1: what
// subjectAttributes does for a subject fastSubjectAttributes does not read.
func subjectAttributesASN1(rawSubject []byte) ([]rawAttribute, error) {
	var seq asn1.RawValue
	rest, err := asn1.Unmarshal(rawSubject, &seq)
	if err != nil {
		return nil, fmt.Errorf("subject: %w", err)
	}
	if len(rest) != 0 || seq.Class != asn1.ClassUniversal || seq.Tag != asn1.TagSequence {
		return nil, errors.New("subject is not a single SEQUENCE")
	}
	var attrs []rawAttribute
	for rdns := seq.Bytes; len(rdns) > 0; {
		var set asn1.RawValue
		if rdns, err = asn1.Unmarshal(rdns, &set); err != nil {
			return nil, fmt.Errorf("subject RDN: %w", err)
		}
		if set.Class != asn1.ClassUniversal || set.Tag != asn1.TagSet {
			return nil, errors.New("subject RDN is not a SET")
		}
		for atvs := set.Bytes; len(atvs) > 0; {
			var atv asn1.RawValue
			if atvs, err = asn1.Unmarshal(atvs, &atv); err != nil {
				return nil, fmt.Errorf("subject attribute: %w", err)
			}
			if atv.Class != asn1.ClassUniversal || atv.Tag != asn1.TagSequence {
				return nil, errors.New("subject attribute is not a SEQUENCE")
			}
			var a rawAttribute
			inner, err := asn1.Unmarshal(atv.Bytes, &a.Type)
			if err != nil {
				return nil, fmt.Errorf("subject attribute type: %w", err)
			}
			if inner, err = asn1.Unmarshal(inner, &a.Value); err != nil {
				return nil, fmt.Errorf("subject attribute %s value: %w", a.Type, err)
			}
			if len(inner) != 0 {
				return nil, fmt.Errorf("subject attribute %s: trailing data", a.Type)
			}
			attrs = append(attrs, a)
		}
	}
	return attrs, nil
}

// subjectIsEmpty reports whether the subject of c is an empty SEQUENCE.
func subjectIsEmpty(c *x509.Certificate) bool {
	if tag, content, ok := firstElement(c.RawSubject); ok && tag == cbasn1.SEQUENCE {
		return len(content) == 0
	}
	var seq asn1.RawValue
	if _, err := asn1.Unmarshal(c.RawSubject, &seq); err != nil {
		return false
	}
	return seq.Tag == asn1.TagSequence && len(seq.Bytes) == 0
}

// subjectStrings returns the string values of the subject attributes of c
// of type oid.
func subjectStrings(c *x509.Certificate, oid asn1.ObjectIdentifier) []string {
	var out []string
	for _, atv := range c.Subject.Names {
		if !atv.Type.Equal(oid) {
			continue
		}
		if s, ok := atv.Value.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// asn1TagName names a universal ASN.1 tag for messages.
func asn1TagName(class, tag int) string {
	if class != asn1.ClassUniversal {
		return fmt.Sprintf("[%d] class %d", tag, class)
	}
	switch tag {
	case asn1.TagPrintableString:
		return "PrintableString"
	case asn1.TagUTF8String:
		return "UTF8String"
	case asn1.TagIA5String:
		return "IA5String"
	case asn1.TagT61String:
		return "TeletexString"
	case asn1.TagBMPString:
		return "BMPString"
	case 28:
		return "UniversalString"
	case asn1.TagOctetString:
		return "OCTET STRING"
	case asn1.TagSequence:
		return "SEQUENCE"
	case asn1.TagInteger:
		return "INTEGER"
	}
	return fmt.Sprintf("universal tag %d", tag)
}

// euiBits reports whether s is an EUI-48 or EUI-64 written as 6 or 8 groups
// of two hexadecimal digits separated throughout by '-' or ':'
// ("00-1A-2B-3C-4D-5E", "01:23:45:67:89:ab:cd:ef"), and returns 48 or 64,
// or 0 when it is not.
func euiBits(s string) int {
	if len(s) < 3 || (s[2] != '-' && s[2] != ':') {
		return 0
	}
	groups := strings.Split(s, s[2:3])
	if len(groups) != 6 && len(groups) != 8 {
		return 0
	}
	for _, g := range groups {
		if len(g) != 2 || !isHex(g[0]) || !isHex(g[1]) {
			return 0
		}
	}
	return len(groups) * 8
}

func isHex(b byte) bool {
	return '0' <= b && b <= '9' || 'a' <= b && b <= 'f' || 'A' <= b && b <= 'F'
}

// looksLikeSerial is the heuristic of n_iot_ee_serial_in_cn: s has no
// spaces, is made of letters, digits, '-' and ':', and is either an EUI
// string, a run of at least 8 hexadecimal digits (separators aside), or at
// least half digits with at least 4 of them ("SN0001", "A1234567").
func looksLikeSerial(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	if euiBits(s) != 0 {
		return true
	}
	var alnum, digits, hex int
	for i := 0; i < len(s); i++ {
		b := s[i]
		switch {
		case '0' <= b && b <= '9':
			alnum++
			digits++
			hex++
		case 'a' <= b && b <= 'z', 'A' <= b && b <= 'Z':
			alnum++
			if isHex(b) {
				hex++
			}
		case b == '-' || b == ':':
		default:
			return false
		}
	}
	if hex == alnum && alnum >= 8 && digits > 0 {
		return true
	}
	return digits >= 4 && 2*digits >= alnum
}

// urnDevMACBits reports whether uri is a device URN naming a MAC address
// (RFC 9039 §3.1: "urn:dev:mac:" and the EUI-48 or EUI-64 as 12 or 16
// hexadecimal digits, optionally followed by "_" component identifiers),
// and returns 48 or 64, or 0 when it is not. The "urn" scheme and the
// "dev" namespace identifier are case-insensitive (RFC 8141 §3.1).
func urnDevMACBits(uri string) int {
	const prefix = "urn:dev:mac:"
	if len(uri) < len(prefix) || !strings.EqualFold(uri[:len(prefix)], prefix) {
		return 0
	}
	mac, _, _ := strings.Cut(uri[len(prefix):], "_")
	for i := 0; i < len(mac); i++ {
		if !isHex(mac[i]) {
			return 0
		}
	}
	switch len(mac) {
	case 12:
		return 48
	case 16:
		return 64
	}
	return 0
}

// looksLikeDomainName reports whether s is a DNS domain name of two or
// more labels: letter-digit-hyphen labels (a leading "*" label allowed), an
// optional trailing dot, and a last label that is a top-level domain: one
// that IANA has delegated in the root zone at some time (zlint's TLD table,
// util.IsInTLDMap, which holds the ccTLDs, gTLDs and IDN TLDs), or "local",
// the special-use domain of multicast DNS (RFC 6762 §3) that devices name
// themselves under.
//
// The shape alone is not enough: product and model names such as
// "Kitchen.Light", "ACME.Gateway" or "S7-1500.PLC" are dotted
// letter-digit-hyphen strings too, and RFC 9525 §2 defines a DNS domain name
// as a name in the DNS, whose last label is a TLD. A name under a TLD that
// is also an English word ("Light.Kitchen": .kitchen is a gTLD) is still
// taken for a domain name: nothing in the certificate tells them apart.
func looksLikeDomainName(s string) bool {
	s = strings.TrimSuffix(s, ".")
	labels := strings.Split(s, ".")
	if len(labels) < 2 {
		return false
	}
	for i, l := range labels {
		if i == 0 && l == "*" {
			continue
		}
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for j := 0; j < len(l); j++ {
			b := l[j]
			if !('0' <= b && b <= '9' || 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || b == '-' || b == '_') {
				return false
			}
		}
	}
	tld := strings.ToLower(labels[len(labels)-1])
	return tld == "local" || util.IsInTLDMap(tld)
}

// extKeyUsages decodes the extendedKeyUsage extension of c. present is
// false when c has none.
func extKeyUsages(c *x509.Certificate) (oids []asn1.ObjectIdentifier, present bool, err error) {
	e := extension(c, oidExtExtendedKeyUsage)
	if e == nil {
		return nil, false, nil
	}
	if oids, ok := fastOIDSequence(e.Value); ok {
		return oids, true, nil
	}
	oids, err = extKeyUsagesASN1(e.Value)
	return oids, true, err
}

// extKeyUsagesASN1 decodes the extendedKeyUsage extension value with asn1:
// what extKeyUsages does for a value fastOIDSequence does not read.
func extKeyUsagesASN1(value []byte) (oids []asn1.ObjectIdentifier, err error) {
	rest, err := asn1.Unmarshal(value, &oids)
	if err != nil {
		return nil, fmt.Errorf("extendedKeyUsage: %w", err)
	}
	if len(rest) != 0 {
		return nil, errors.New("extendedKeyUsage: trailing data")
	}
	return oids, nil
}

// containsOID reports whether oids holds oid.
func containsOID(oids []asn1.ObjectIdentifier, oid asn1.ObjectIdentifier) bool {
	for _, o := range oids {
		if o.Equal(oid) {
			return true
		}
	}
	return false
}

// ekuName names a key purpose for messages.
func ekuName(oid asn1.ObjectIdentifier) string {
	switch oid.String() {
	case "1.3.6.1.5.5.7.3.1":
		return "id-kp-serverAuth"
	case "1.3.6.1.5.5.7.3.2":
		return "id-kp-clientAuth"
	case "1.3.6.1.5.5.7.3.3":
		return "id-kp-codeSigning"
	case "1.3.6.1.5.5.7.3.4":
		return "id-kp-emailProtection"
	case "1.3.6.1.5.5.7.3.8":
		return "id-kp-timeStamping"
	case "1.3.6.1.5.5.7.3.9":
		return "id-kp-OCSPSigning"
	case "2.5.29.37.0":
		return "anyExtendedKeyUsage"
	}
	return oid.String()
}

// ekuNames names the key purposes oids, comma-separated.
func ekuNames(oids []asn1.ObjectIdentifier) string {
	names := make([]string, len(oids))
	for i, o := range oids {
		names[i] = ekuName(o)
	}
	return strings.Join(names, ", ")
}

// parseDottedOID parses an object identifier written as "1.2.3".
func parseDottedOID(s string) (asn1.ObjectIdentifier, error) {
	parts := strings.Split(s, ".")
	if len(parts) < 2 {
		return nil, fmt.Errorf("%q is not a dotted object identifier", s)
	}
	oid := make(asn1.ObjectIdentifier, len(parts))
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || p == "" || (len(p) > 1 && p[0] == '0') {
			return nil, fmt.Errorf("%q is not a dotted object identifier", s)
		}
		oid[i] = n
	}
	if oid[0] > 2 || (oid[0] < 2 && oid[1] > 39) {
		return nil, fmt.Errorf("%q is not a valid object identifier", s)
	}
	return oid, nil
}

// sanOtherNames returns the decoded otherNames of the subjectAltName of c.
func sanOtherNames(c *x509.Certificate) ([]otherNameValue, error) {
	names, err := subjectAltNames(c)
	if err != nil {
		return nil, err
	}
	var out []otherNameValue
	for i, n := range names {
		if n.Tag != tagOtherName {
			continue
		}
		id, v, err := n.otherName()
		if err != nil {
			return nil, fmt.Errorf("subjectAltName entry %d: %w", i, err)
		}
		out = append(out, otherNameValue{TypeID: id, Value: v})
	}
	return out, nil
}

// otherNameValue is a decoded otherName: its type-id and its [0] EXPLICIT
// value (whose Bytes are the DER of the inner value).
type otherNameValue struct {
	TypeID asn1.ObjectIdentifier
	Value  asn1.RawValue
}

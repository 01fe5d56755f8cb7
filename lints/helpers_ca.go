package lints

// Checks shared by the root CA (draft-ietf-uta-tls13-iot-profile-23 §17.2)
// and subordinate CA (§17.3) lints, which ask much the same of both kinds
// of CA certificate: subject CN/O/C, SKI, AKI, keyUsage, basicConstraints,
// no EKU.

import (
	"bytes"
	"crypto/sha1" //nolint:gosec // RFC 5280 key identifiers are SHA-1 by definition.
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"strings"

	"github.com/zmap/zcrypto/encoding/asn1"
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zcrypto/x509/pkix"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/internal/certparse"
)

// caHas returns a CheckApplies condition: the extension oid is present.
func caHas(oid asn1.ObjectIdentifier) func(*x509.Certificate) bool {
	return func(c *x509.Certificate) bool { return hasExtension(c, oid) }
}

// caSubjectCNOC checks that the subject holds commonName, organizationName
// and countryName.
func caSubjectCNOC(c *x509.Certificate) *lint.LintResult {
	if len(c.Subject.Names) == 0 {
		return failf(lint.Error, "subject is empty; it must hold commonName, organizationName and countryName")
	}
	var missing []string
	for _, a := range []struct {
		oid  asn1.ObjectIdentifier
		name string
	}{{oidAttrCommonName, "commonName"}, {oidAttrOrganization, "organizationName"}, {oidAttrCountry, "countryName"}} {
		if !subjectHas(c, a.oid) {
			missing = append(missing, a.name)
		}
	}
	if len(missing) > 0 {
		return failf(lint.Error, "subject has no %s", strings.Join(missing, ", no "))
	}
	return pass()
}

// caExtPresentNonCritical checks that the extension oid, called name, is
// present and not critical; a failure has the given status.
func caExtPresentNonCritical(c *x509.Certificate, oid asn1.ObjectIdentifier, name string, status lint.LintStatus) *lint.LintResult {
	e := extension(c, oid)
	switch {
	case e == nil:
		return failf(status, "%s is absent", name)
	case e.Critical:
		return failf(status, "%s is marked critical", name)
	}
	return pass()
}

// caExtAbsent checks that the extension oid, called name, is absent; a
// failure has the given status.
func caExtAbsent(c *x509.Certificate, oid asn1.ObjectIdentifier, name string, status lint.LintStatus) *lint.LintResult {
	if e := extension(c, oid); e != nil {
		crit := ""
		if e.Critical {
			crit = " (critical)"
		}
		return failf(status, "%s is present%s", name, crit)
	}
	return pass()
}

// caExtNotCritical checks that the extension oid, called name, is not
// marked critical (pass when it is absent); failures are errors.
func caExtNotCritical(c *x509.Certificate, oid asn1.ObjectIdentifier, name string) *lint.LintResult {
	if e := extension(c, oid); e != nil && e.Critical {
		return failf(lint.Error, "%s is marked critical", name)
	}
	return pass()
}

// caKeyUsageBits decodes the keyUsage extension of c (the BIT STRING as
// encoded, bit 0 first). It is not an error for the extension to be absent:
// ok is false.
func caKeyUsageBits(c *x509.Certificate) (bits asn1.BitString, ok bool, err error) {
	e := extension(c, oidExtKeyUsage)
	if e == nil {
		return bits, false, nil
	}
	rest, err := asn1.Unmarshal(e.Value, &bits)
	if err != nil {
		return bits, true, fmt.Errorf("keyUsage does not decode: %v", err)
	}
	if len(rest) != 0 {
		return bits, true, errors.New("keyUsage has trailing data")
	}
	return bits, true, nil
}

// keyUsage bit positions (RFC 5280 §4.2.1.3).
const (
	kuDigitalSignature = 0
	kuKeyCertSign      = 5
	kuCRLSign          = 6
)

// caKeyUsageCriticalCertSign checks that keyUsage is present, critical and
// asserts keyCertSign.
func caKeyUsageCriticalCertSign(c *x509.Certificate) *lint.LintResult {
	bits, ok, err := caKeyUsageBits(c)
	switch {
	case !ok:
		return failf(lint.Error, "keyUsage is absent")
	case err != nil:
		return failf(lint.Error, "%v", err)
	}
	var problems []string
	if !extension(c, oidExtKeyUsage).Critical {
		problems = append(problems, "keyUsage is not marked critical")
	}
	if bits.At(kuKeyCertSign) == 0 {
		problems = append(problems, "keyUsage does not assert keyCertSign")
	}
	if len(problems) > 0 {
		return failf(lint.Error, "%s", strings.Join(problems, "; "))
	}
	return pass()
}

// caKeyUsageAsserts checks that keyUsage asserts bit (named name); the
// failure has the given status and says why the bit matters.
func caKeyUsageAsserts(c *x509.Certificate, bit int, name string, status lint.LintStatus, why string) *lint.LintResult {
	bits, _, err := caKeyUsageBits(c)
	if err != nil {
		return failf(status, "%v", err)
	}
	if bits.At(bit) == 0 {
		return failf(status, "keyUsage does not assert %s%s", name, why)
	}
	return pass()
}

// caBasicConstraints is a decoded basicConstraints extension.
type caBasicConstraints struct {
	CA         bool
	HasPathLen bool
	PathLen    int64
}

// caDecodeBasicConstraints decodes a basicConstraints extension value:
// SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER OPTIONAL }.
func caDecodeBasicConstraints(value []byte) (caBasicConstraints, error) {
	var bc caBasicConstraints
	var seq asn1.RawValue
	rest, err := asn1.Unmarshal(value, &seq)
	if err != nil {
		return bc, fmt.Errorf("basicConstraints does not decode: %v", err)
	}
	if len(rest) != 0 || seq.Class != asn1.ClassUniversal || seq.Tag != asn1.TagSequence {
		return bc, errors.New("basicConstraints is not a single SEQUENCE")
	}
	inner := seq.Bytes
	if len(inner) > 0 && inner[0] == asn1.TagBoolean {
		if inner, err = asn1.Unmarshal(inner, &bc.CA); err != nil {
			return bc, fmt.Errorf("basicConstraints cA does not decode: %v", err)
		}
	}
	if len(inner) > 0 && inner[0] == asn1.TagInteger {
		bc.HasPathLen = true
		if inner, err = asn1.Unmarshal(inner, &bc.PathLen); err != nil {
			return bc, fmt.Errorf("basicConstraints pathLenConstraint does not decode: %v", err)
		}
	}
	if len(inner) != 0 {
		return bc, errors.New("basicConstraints has unexpected content")
	}
	return bc, nil
}

// caBasicConstraintsCriticalCA checks that basicConstraints is present,
// critical and says cA=TRUE.
func caBasicConstraintsCriticalCA(c *x509.Certificate) *lint.LintResult {
	e := extension(c, oidExtBasicConstraints)
	if e == nil {
		return failf(lint.Error, "basicConstraints is absent")
	}
	bc, err := caDecodeBasicConstraints(e.Value)
	if err != nil {
		return failf(lint.Error, "%v", err)
	}
	var problems []string
	if !e.Critical {
		problems = append(problems, "basicConstraints is not marked critical")
	}
	if !bc.CA {
		problems = append(problems, "basicConstraints has cA=FALSE")
	}
	if len(problems) > 0 {
		return failf(lint.Error, "%s", strings.Join(problems, "; "))
	}
	return pass()
}

// caNoPathLen checks that basicConstraints has no pathLenConstraint; the
// failure has the given status.
func caNoPathLen(c *x509.Certificate, status lint.LintStatus) *lint.LintResult {
	e := extension(c, oidExtBasicConstraints)
	if e == nil {
		return pass()
	}
	bc, err := caDecodeBasicConstraints(e.Value)
	if err != nil {
		return failf(status, "%v", err)
	}
	if bc.HasPathLen {
		return failf(status, "basicConstraints has pathLenConstraint %d", bc.PathLen)
	}
	return pass()
}

// caSubjectKeyID decodes the subjectKeyIdentifier of c (an OCTET STRING).
func caSubjectKeyID(c *x509.Certificate) ([]byte, error) {
	e := extension(c, oidExtSubjectKeyID)
	if e == nil {
		return nil, errors.New("subjectKeyIdentifier is absent")
	}
	var id []byte
	rest, err := asn1.Unmarshal(e.Value, &id)
	if err != nil {
		return nil, fmt.Errorf("subjectKeyIdentifier does not decode: %v", err)
	}
	if len(rest) != 0 {
		return nil, errors.New("subjectKeyIdentifier has trailing data")
	}
	return id, nil
}

// caAuthorityKeyID decodes the keyIdentifier of the authorityKeyIdentifier
// of c; ok is false when the extension has no keyIdentifier.
func caAuthorityKeyID(c *x509.Certificate) (id []byte, ok bool, err error) {
	e := extension(c, oidExtAuthorityKeyID)
	if e == nil {
		return nil, false, errors.New("authorityKeyIdentifier is absent")
	}
	var seq asn1.RawValue
	rest, err := asn1.Unmarshal(e.Value, &seq)
	if err != nil {
		return nil, false, fmt.Errorf("authorityKeyIdentifier does not decode: %v", err)
	}
	if len(rest) != 0 || seq.Class != asn1.ClassUniversal || seq.Tag != asn1.TagSequence {
		return nil, false, errors.New("authorityKeyIdentifier is not a single SEQUENCE")
	}
	if len(seq.Bytes) == 0 {
		return nil, false, nil
	}
	var first asn1.RawValue
	if _, err := asn1.Unmarshal(seq.Bytes, &first); err != nil {
		return nil, false, fmt.Errorf("authorityKeyIdentifier does not decode: %v", err)
	}
	if first.Class != asn1.ClassContextSpecific || first.Tag != 0 {
		return nil, false, nil
	}
	return first.Bytes, true, nil
}

// caKeyIDMethod returns the name of the key identifier method by which id
// derives from the subjectPublicKey of c: RFC 5280 §4.2.1.2 method 1 or 2,
// or RFC 7093 §2 method 1, 2 or 3 (the leftmost 160 bits of SHA-256,
// SHA-384 or SHA-512). It returns "" when id matches none of them.
func caKeyIDMethod(c *x509.Certificate, id []byte) (string, error) {
	var spki struct {
		Algorithm pkix.AlgorithmIdentifier
		PublicKey asn1.BitString
	}
	if _, err := asn1.Unmarshal(certparse.SubjectPublicKeyInfo(c), &spki); err != nil {
		return "", fmt.Errorf("subjectPublicKeyInfo does not decode: %v", err)
	}
	key := spki.PublicKey.Bytes
	s1 := sha1.Sum(key) //nolint:gosec // RFC 5280 method 1.
	m2 := append([]byte(nil), s1[12:]...)
	m2[0] = 0x40 | m2[0]&0x0f
	s256 := sha256.Sum256(key)
	s384 := sha512.Sum384(key)
	s512 := sha512.Sum512(key)
	for _, m := range []struct {
		name string
		id   []byte
	}{
		{"RFC 5280 method 1 (SHA-1)", s1[:]},
		{"RFC 5280 method 2 (0100 and 60 bits of SHA-1)", m2},
		{"RFC 7093 method 1 (SHA-256, 160 bits)", s256[:20]},
		{"RFC 7093 method 2 (SHA-384, 160 bits)", s384[:20]},
		{"RFC 7093 method 3 (SHA-512, 160 bits)", s512[:20]},
	} {
		if bytes.Equal(id, m.id) {
			return m.name, nil
		}
	}
	return "", nil
}

// caSKIMatchesKey checks that the subjectKeyIdentifier of c derives from
// its subjectPublicKey by one of the methods of caKeyIDMethod; failures
// are warnings.
func caSKIMatchesKey(c *x509.Certificate) *lint.LintResult {
	id, err := caSubjectKeyID(c)
	if err != nil {
		return failf(lint.Warn, "%v", err)
	}
	method, err := caKeyIDMethod(c, id)
	if err != nil {
		return failf(lint.Warn, "%v", err)
	}
	if method == "" {
		return failf(lint.Warn, "subjectKeyIdentifier %s is not derived from the subjectPublicKey by RFC 5280 method 1 or 2, or RFC 7093 methods 1-3", hex.EncodeToString(id))
	}
	return pass()
}

// caSANInconsistent returns a description of every subjectAltName name of
// c that does not appear in its subject: a directoryName must equal the
// subject; a dNSName, rfc822Name, URI or iPAddress must equal the value of
// a subject attribute (ignoring case); other name forms cannot appear in a
// subject.
func caSANInconsistent(c *x509.Certificate) ([]string, error) {
	names, err := subjectAltNames(c)
	if err != nil {
		return nil, err
	}
	var values []string
	for _, atv := range c.Subject.Names {
		values = append(values, fmt.Sprint(atv.Value))
	}
	inSubject := func(s string) bool {
		for _, v := range values {
			if strings.EqualFold(v, s) {
				return true
			}
		}
		return false
	}
	var out []string
	for _, n := range names {
		switch n.Tag {
		case tagDirectoryName:
			if !bytes.Equal(n.Bytes, c.RawSubject) {
				out = append(out, "a directoryName other than the subject")
			}
		case tagDNSName, tagRFC822Name, tagURI:
			if !inSubject(string(n.Bytes)) {
				out = append(out, fmt.Sprintf("%s %q", generalNameType(n.Tag), n.Bytes))
			}
		case tagIPAddress:
			ip := net.IP(n.Bytes).String()
			if !inSubject(ip) {
				out = append(out, "iPAddress "+ip)
			}
		default:
			out = append(out, generalNameType(n.Tag))
		}
	}
	return out, nil
}

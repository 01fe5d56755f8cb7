package certgen

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"time"
)

// Matter DN attribute types (CSA Matter Core Specification §6.2.2.2).
var (
	OIDMatterVID = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 37244, 2, 1}
	OIDMatterPID = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 37244, 2, 2}
)

// The vendor and product IDs of the conforming Matter chain: the test
// vendor ID FFF1 and a test product ID.
const (
	MatterVID = "FFF1"
	MatterPID = "8000"
)

// MatterName is a Matter subject: commonName and the Matter vendor ID and
// product ID attributes (UTF8String), each left out when empty.
func MatterName(cn, vid, pid string) pkix.Name {
	n := pkix.Name{CommonName: cn}
	if vid != "" {
		n.ExtraNames = append(n.ExtraNames, pkix.AttributeTypeAndValue{Type: OIDMatterVID, Value: utf8(vid)})
	}
	if pid != "" {
		n.ExtraNames = append(n.ExtraNames, pkix.AttributeTypeAndValue{Type: OIDMatterPID, Value: utf8(pid)})
	}
	return n
}

// utf8 is a UTF8String attribute value.
func utf8(s string) asn1.RawValue {
	return asn1.RawValue{Tag: asn1.TagUTF8String, Bytes: []byte(s)}
}

// MatterPAATemplate is a conforming Matter PAA (the root): P-256, subject
// CN and VID (no C: ambiguity A11), basicConstraints cA without pathLen,
// keyUsage keyCertSign+cRLSign, SKID and AKID of 20 octets, 30 years.
func MatterPAATemplate() *Template {
	t := RootTemplate()
	t.Subject = MatterName("Example Matter PAA", MatterVID, "")
	t.NotAfter = Epoch.AddDate(30, 0, 0)
	return t
}

// MatterPAITemplate is a conforming Matter PAI under paa: subject CN and
// VID, basicConstraints cA with pathLen 0, keyUsage keyCertSign+cRLSign,
// SKID and AKID, 20 years.
func MatterPAITemplate(paa *Issued) *Template {
	key := NewKey("P-256")
	t := &Template{Key: key, Issuer: paa, Certificate: &x509.Certificate{
		SerialNumber:          RandomSerial(),
		Subject:               MatterName("Example Matter PAI", MatterVID, ""),
		NotBefore:             Epoch,
		NotAfter:              Epoch.AddDate(20, 0, 0),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLenZero:        true,
	}}
	t.SubjectKeyId = KeyID(key.Public())
	return t
}

// MatterDACTemplate is a conforming Matter DAC under pai: subject CN, VID
// and PID, basicConstraints cA=FALSE, keyUsage digitalSignature only, SKID
// and AKID, notAfter 99991231235959Z.
func MatterDACTemplate(pai *Issued) *Template {
	key := NewKey("P-256")
	t := &Template{Key: key, Issuer: pai, Certificate: &x509.Certificate{
		SerialNumber:          RandomSerial(),
		Subject:               MatterName("Example Matter DAC 0001", MatterVID, MatterPID),
		NotBefore:             Epoch.Add(24 * time.Hour),
		NotAfter:              NoExpiry,
		KeyUsage:              x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
	}}
	t.SubjectKeyId = KeyID(key.Public())
	return t
}

// RootTemplateFor is the conforming root of profile's chain.
func RootTemplateFor(profile string) *Template {
	if profile == "matter" {
		return MatterPAATemplate()
	}
	return RootTemplate()
}

// SubTemplateFor is the conforming subordinate CA of profile's chain.
func SubTemplateFor(profile string, root *Issued) *Template {
	if profile == "matter" {
		return MatterPAITemplate(root)
	}
	return SubTemplate(root)
}

package certgen

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"fmt"
	"time"

	"github.com/iotcert/iotcert/idevid"
)

// Profiles are the profiles a conforming chain is made for.
var Profiles = []string{"tls13-iot", "rfc7925", "idevid-8021ar", "ldevid-8021ar", "brski-idevid", "tcg-devid", "matter", "bacnet-sc"}

// Chain is a conforming root → subordinate CA → end-entity chain.
type Chain struct {
	Root, Sub, EE *Issued
}

// OIDs for extensions that templates set by hand.
var (
	OIDExtSubjectAltName   = asn1.ObjectIdentifier{2, 5, 29, 17}
	OIDExtKeyUsage         = asn1.ObjectIdentifier{2, 5, 29, 15}
	OIDExtBasicConstraints = asn1.ObjectIdentifier{2, 5, 29, 19}
	OIDExtSubjectKeyID     = asn1.ObjectIdentifier{2, 5, 29, 14}
	OIDExtAuthorityKeyID   = asn1.ObjectIdentifier{2, 5, 29, 35}
	OIDExtExtKeyUsage      = asn1.ObjectIdentifier{2, 5, 29, 37}
	OIDExtCRLDistribution  = asn1.ObjectIdentifier{2, 5, 29, 31}
	OIDExtAuthorityInfo    = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 1, 1}
	OIDExtCertPolicies     = asn1.ObjectIdentifier{2, 5, 29, 32}
	OIDExtMASAURL          = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 1, 32}
)

// OIDs of the tcg-devid end entity.
var (
	// OIDTCGVerifiedTPMFixed is the TCG key purpose tcg-cap-verifiedTPMFixed.
	OIDTCGVerifiedTPMFixed = asn1.ObjectIdentifier{2, 23, 133, 11, 1, 2}
	// OIDExamplePolicy is a certificate policy under the RFC 5612 example
	// enterprise number.
	OIDExamplePolicy = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 32473, 2, 1}
)

// RootTemplate is a conforming root CA: P-256, subject CN/O/C, SKI and
// AKI, keyUsage keyCertSign+cRLSign (critical), basicConstraints cA
// without pathLen (critical), no EKU, 20 years.
func RootTemplate() *Template {
	key := NewKey("P-256")
	t := &Template{Key: key, Certificate: &x509.Certificate{
		SerialNumber:          RandomSerial(),
		Subject:               pkix.Name{CommonName: "Example IoT Root CA", Organization: []string{"Example Devices Ltd"}, Country: []string{"DE"}},
		NotBefore:             Epoch,
		NotAfter:              Epoch.AddDate(20, 0, 0),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}}
	t.SubjectKeyId = KeyID(key.Public())
	t.AuthorityKeyId = t.SubjectKeyId
	return t
}

// SubTemplate is a conforming subordinate CA under root: subject CN/O/C,
// AKI and SKI, keyUsage keyCertSign+cRLSign+digitalSignature (critical),
// basicConstraints cA without pathLen, no EKU, 15 years.
func SubTemplate(root *Issued) *Template {
	key := NewKey("P-256")
	t := &Template{Key: key, Issuer: root, Certificate: &x509.Certificate{
		SerialNumber:          RandomSerial(),
		Subject:               pkix.Name{CommonName: "Example IoT Device CA", Organization: []string{"Example Devices Ltd"}, Country: []string{"DE"}},
		NotBefore:             Epoch,
		NotAfter:              Epoch.AddDate(15, 0, 0),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}}
	t.SubjectKeyId = KeyID(key.Public())
	return t
}

// EETemplate is a conforming end entity of profile under sub.
//
//   - tls13-iot: subject O + serialNumber + CN, one dNSName, keyUsage
//     digitalSignature (critical), AKI, no SKI, no EKU, 10 years.
//   - rfc7925: a client whose CN is its EUI-64 "HH-HH-HH-HH-HH-HH-HH-HH",
//     with an SKI.
//   - idevid-8021ar: serialNumber, a HardwareModuleName SAN, notAfter
//     99991231235959Z, no EKU.
//   - ldevid-8021ar: serialNumber, one dNSName, EKU clientAuth, 2 years.
//   - brski-idevid: the idevid-8021ar end entity.
//   - tcg-devid: a TPM-resident IDevID: the idevid-8021ar end entity with
//     hwType 2.23.133.1.2 (TPM 2.0) in its HardwareModuleName, EKU
//     tcg-cap-verifiedTPMFixed (2.23.133.11.1.2) and certificatePolicies.
func EETemplate(profile string, sub *Issued) *Template {
	switch profile {
	case "matter":
		return MatterDACTemplate(sub) // matter.go
	case "bacnet-sc":
		return BACnetSCTemplate(sub) // bacnet.go
	}
	t := &Template{Key: NewKey("P-256"), Issuer: sub, Certificate: &x509.Certificate{
		SerialNumber: RandomSerial(),
		Subject: pkix.Name{
			CommonName:   "Example sensor",
			Organization: []string{"Example Devices Ltd"},
			SerialNumber: "SN0001",
		},
		NotBefore: Epoch.Add(24 * time.Hour),
		NotAfter:  Epoch.AddDate(10, 0, 0), // so that the shipped samples stay valid for years
		KeyUsage:  x509.KeyUsageDigitalSignature,
	}}
	switch profile {
	case "tls13-iot":
		t.SetSAN(false, DNSName("sensor-0001.devices.example.com"))
	case "rfc7925":
		t.Subject = pkix.Name{CommonName: "01-23-45-67-89-AB-CD-EF"}
		t.SubjectKeyId = KeyID(t.Key.Public()) // RFC 5280 §4.2.1.2 SHOULD; RFC 7925 is silent
	case "idevid-8021ar", "brski-idevid":
		t.NotAfter = idevid.NoExpiry
		t.SetSAN(false, HardwareModuleName(asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 32473, 1, 1}, "SN0001"))
	case "tcg-devid":
		t.NotAfter = idevid.NoExpiry
		t.SetSAN(false, HardwareModuleName(idevid.OIDTPM20, "SN0001"))
		t.UnknownExtKeyUsage = []asn1.ObjectIdentifier{OIDTCGVerifiedTPMFixed}
		t.SetExtension(CertificatePolicies(OIDExamplePolicy))
	case "ldevid-8021ar":
		t.NotAfter = Epoch.AddDate(2, 0, 0) // a bounded lifetime (w_iot_ldevid_lifetime_limited)
		t.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}
		t.SetSAN(false, DNSName("sensor-0001.devices.example.com"))
	default:
		panic("certgen: no end-entity template for profile " + profile)
	}
	return t
}

// NewChain issues the conforming chain of profile.
func NewChain(profile string) (*Chain, error) {
	root, err := Issue(RootTemplateFor(profile))
	if err != nil {
		return nil, err
	}
	sub, err := Issue(SubTemplateFor(profile, root))
	if err != nil {
		return nil, err
	}
	ee, err := Issue(EETemplate(profile, sub))
	if err != nil {
		return nil, err
	}
	return &Chain{Root: root, Sub: sub, EE: ee}, nil
}

// KeyID is the RFC 5280 §4.2.1.2 method 1 key identifier of pub: the
// SHA-1 of the subjectPublicKey BIT STRING.
func KeyID(pub any) []byte {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		panic(err)
	}
	var spki struct {
		Algorithm pkix.AlgorithmIdentifier
		PublicKey asn1.BitString
	}
	if _, err := asn1.Unmarshal(der, &spki); err != nil {
		panic(err)
	}
	return sha1Sum(spki.PublicKey.Bytes)
}

// SetSAN sets the subjectAltName extension to names, replacing any SAN
// crypto/x509 would write from the template's DNSNames etc.
func (t *Template) SetSAN(critical bool, names ...asn1.RawValue) {
	t.SetExtension(SAN(critical, names...))
}

// SetExtension adds e to the template's ExtraExtensions, replacing one with
// the same OID; crypto/x509 then writes e instead of its own.
func (t *Template) SetExtension(e pkix.Extension) {
	for i := range t.ExtraExtensions {
		if t.ExtraExtensions[i].Id.Equal(e.Id) {
			t.ExtraExtensions[i] = e
			return
		}
	}
	t.ExtraExtensions = append(t.ExtraExtensions, e)
}

// SAN returns a subjectAltName extension holding names.
func SAN(critical bool, names ...asn1.RawValue) pkix.Extension {
	value, err := asn1.Marshal(names)
	if err != nil {
		panic(err)
	}
	return pkix.Extension{Id: OIDExtSubjectAltName, Critical: critical, Value: value}
}

// DNSName is a dNSName GeneralName.
func DNSName(s string) asn1.RawValue {
	return asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 2, Bytes: []byte(s)}
}

// URI is a uniformResourceIdentifier GeneralName.
func URI(s string) asn1.RawValue {
	return asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 6, Bytes: []byte(s)}
}

// IPAddress is an iPAddress GeneralName.
func IPAddress(ip []byte) asn1.RawValue {
	return asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 7, Bytes: ip}
}

// OtherName is an otherName GeneralName of type typeID whose value is the
// DER valueDER.
func OtherName(typeID asn1.ObjectIdentifier, valueDER []byte) asn1.RawValue {
	id, err := asn1.Marshal(typeID)
	if err != nil {
		panic(err)
	}
	explicit, err := asn1.Marshal(asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: valueDER})
	if err != nil {
		panic(err)
	}
	return asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: append(id, explicit...)}
}

// HardwareModuleName is a HardwareModuleName otherName (RFC 4108 §5).
func HardwareModuleName(hwType asn1.ObjectIdentifier, serial string) asn1.RawValue {
	on, err := idevid.HardwareModuleName{Type: hwType, SerialNumber: []byte(serial)}.OtherName()
	if err != nil {
		panic(fmt.Sprintf("certgen: %v", err))
	}
	return on
}

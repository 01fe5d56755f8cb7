package lints

import (
	"fmt"
	"strings"

	"github.com/zmap/zcrypto/encoding/asn1"
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name: "w_iot_ldevid_stable_identifier",
		Description: "Environments concerned about traffic analysis should avoid stable, globally identifiable device identifiers in " +
			"operational (LDevID) certificates. Reports an EUI-48/EUI-64 MAC address (as text in the subject commonName or " +
			"serialNumber or in a dNSName, as a MACAddress otherName when rules.yaml sets macaddress_oid, or as an RFC 9039 " +
			"urn:dev:mac: URI), an RFC 9039 1-Wire or organization serial-number URN (urn:dev:ow:, urn:dev:os:, urn:dev:ops:), " +
			"a HardwareModuleName (RFC 4108 §5), and, when rules.yaml sets subject_serial_number, any subject serialNumber. " +
			"Ambiguity A23: the SHOULD binds only deployments concerned about such traffic analysis, so tls13-iot and the profiles extending it " +
			"report it as a notice; a privacy-sensitive deployment raises it to warn. New in the editor's copy (profile tls13-iot-23 " +
			"turns it off).",
		Citation: draftEditorsCopy + " §16.4.1",
		Source:   IoTTLS13,
	}, role.LDevIDSet, func() lint.CertificateLintInterface { return &ldevidStableIdentifier{} })
}

// ldevidStableIdentifier looks for stable, globally identifiable device
// identifiers in an LDevID.
//
// A subject serialNumber that is not an EUI is reported only when
// SubjectSerialNumber is set: the editor's copy of the draft (§16.4.1)
// counts a manufacturer-assigned serial number as such an identifier, but
// also allows operational certificates that "contain only deployment-local
// or otherwise non-public identifiers", and an LDevID often keeps the
// subject of its IDevID, whose serialNumber IEEE 802.1AR encourages; one
// certificate does not show who assigned the number.
type ldevidStableIdentifier struct {
	// MACAddressOID is the dotted type-id of the MACAddress otherName
	// (ambiguity A12: not assigned yet); empty, the default, looks for none.
	MACAddressOID string `yaml:"macaddress_oid" toml:"macaddress_oid"`
	// SubjectSerialNumber also reports a subject serialNumber attribute.
	SubjectSerialNumber bool `yaml:"subject_serial_number" toml:"subject_serial_number"`
}

func (l *ldevidStableIdentifier) Configure() any { return l }

// Validate checks that macaddress_oid, when set, is a dotted OID.
func (l *ldevidStableIdentifier) Validate() error {
	if l.MACAddressOID == "" {
		return nil
	}
	_, err := parseDottedOID(l.MACAddressOID)
	return err
}

func (l *ldevidStableIdentifier) CheckApplies(c *x509.Certificate) bool { return true }

func (l *ldevidStableIdentifier) Execute(c *x509.Certificate) *lint.LintResult {
	found := l.subjectIdentifiers(c)
	sans, err := l.sanIdentifiers(c)
	if err != nil {
		return failf(lint.Warn, "%v", err)
	}
	if found = append(found, sans...); len(found) > 0 {
		return failf(lint.Warn, "stable device identifiers in an operational certificate: %s", strings.Join(found, "; "))
	}
	return pass()
}

// subjectIdentifiers describes the stable identifiers in the subject of c.
func (l *ldevidStableIdentifier) subjectIdentifiers(c *x509.Certificate) []string {
	var found []string
	for _, cn := range subjectStrings(c, oidAttrCommonName) {
		if bits := euiBits(cn); bits != 0 {
			found = append(found, fmt.Sprintf("subject commonName %q is an EUI-%d", cn, bits))
		}
	}
	for _, sn := range subjectStrings(c, oidAttrSerialNumber) {
		if bits := euiBits(sn); bits != 0 {
			found = append(found, fmt.Sprintf("subject serialNumber %q is an EUI-%d", sn, bits))
		} else if l.SubjectSerialNumber {
			found = append(found, fmt.Sprintf("subject serialNumber %q", sn))
		}
	}
	return found
}

// sanIdentifiers describes the stable identifiers in the subjectAltName
// of c.
func (l *ldevidStableIdentifier) sanIdentifiers(c *x509.Certificate) ([]string, error) {
	var macOID asn1.ObjectIdentifier
	if l.MACAddressOID != "" {
		oid, err := parseDottedOID(l.MACAddressOID)
		if err != nil {
			return nil, fmt.Errorf("parameter macaddress_oid: %w", err)
		}
		macOID = oid
	}
	names, err := subjectAltNames(c)
	if err != nil {
		return nil, fmt.Errorf("cannot decode subjectAltName: %w", err)
	}
	var found []string
	for _, n := range names {
		switch n.Tag {
		case tagDNSName:
			if bits := euiBits(string(n.Bytes)); bits != 0 {
				found = append(found, fmt.Sprintf("dNSName %q is an EUI-%d", n.Bytes, bits))
			}
		case tagURI:
			if what := urnDevStableIdentifier(string(n.Bytes)); what != "" {
				found = append(found, fmt.Sprintf("uniformResourceIdentifier %q names %s", n.Bytes, what))
			}
		case tagOtherName:
			id, _, err := n.otherName()
			switch {
			case err != nil:
				return nil, fmt.Errorf("cannot decode a subjectAltName otherName: %w", err)
			case id.Equal(oidOnHardwareModuleName):
				found = append(found, "a HardwareModuleName otherName (the hardware module's serial number)")
			case macOID != nil && id.Equal(macOID):
				found = append(found, "a MACAddress otherName")
			}
		}
	}
	return found, nil
}

// urnDevStableIdentifier says what stable device identifier the device URN
// uri (RFC 9039) names: a MAC address (urn:dev:mac:), a 1-Wire device
// serial (urn:dev:ow:), or a serial number under an organization's IANA
// private enterprise number (urn:dev:os:, urn:dev:ops:); or "" for any
// other URI.
func urnDevStableIdentifier(uri string) string {
	if bits := urnDevMACBits(uri); bits != 0 {
		return fmt.Sprintf("an EUI-%d MAC address", bits)
	}
	for _, u := range []struct{ prefix, what string }{
		{"urn:dev:ow:", "a 1-Wire device serial number"},
		{"urn:dev:os:", "an organization's device serial number"},
		{"urn:dev:ops:", "an organization's product and device serial number"},
	} {
		if len(uri) > len(u.prefix) && strings.EqualFold(uri[:len(u.prefix)], u.prefix) {
			return u.what
		}
	}
	return ""
}

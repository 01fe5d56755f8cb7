package lints

import (
	"github.com/zmap/zcrypto/encoding/asn1"
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name: "e_iot_ee_macaddress_length",
		Description: "A MACAddress otherName in subjectAltName must be an OCTET STRING of exactly 6 (EUI-48) or 8 (EUI-64) octets. " +
			"Ambiguity A12: the MACAddress OID is not assigned yet, so the lint runs only when rules.yaml sets macaddress_oid.",
		Citation: "draft-ietf-uta-tls13-iot-profile-23 §17.4.1 (draft-ietf-lamps-macaddress-on)",
		Source:   IoTTLS13,
	}, role.EndEntitySet, func() lint.CertificateLintInterface { return &eeMACAddressLength{} })
}

type eeMACAddressLength struct {
	// OID is the dotted type-id of the MACAddress otherName; empty
	// (the default) turns the lint off.
	OID string `yaml:"macaddress_oid" toml:"macaddress_oid"`
}

func (l *eeMACAddressLength) Configure() any { return l }

// Validate checks that macaddress_oid, when set, is a dotted OID.
func (l *eeMACAddressLength) Validate() error {
	if l.OID == "" {
		return nil
	}
	_, err := parseDottedOID(l.OID)
	return err
}

func (l *eeMACAddressLength) CheckApplies(c *x509.Certificate) bool {
	return l.OID != "" && hasExtension(c, oidExtSubjectAltName)
}

func (l *eeMACAddressLength) Execute(c *x509.Certificate) *lint.LintResult {
	oid, err := parseDottedOID(l.OID)
	if err != nil {
		return failf(lint.Error, "parameter macaddress_oid: %v", err)
	}
	names, err := sanOtherNames(c)
	if err != nil {
		return failf(lint.Error, "cannot decode subjectAltName: %v", err)
	}
	for _, on := range names {
		if !on.TypeID.Equal(oid) {
			continue
		}
		var v asn1.RawValue
		rest, err := asn1.Unmarshal(on.Value.Bytes, &v)
		switch {
		case err != nil:
			return failf(lint.Error, "MACAddress otherName value does not decode: %v", err)
		case len(rest) != 0:
			return failf(lint.Error, "MACAddress otherName value has trailing data")
		case v.Class != asn1.ClassUniversal || v.Tag != asn1.TagOctetString || v.IsCompound:
			return failf(lint.Error, "MACAddress otherName value is a %s, not an OCTET STRING", asn1TagName(v.Class, v.Tag))
		case len(v.Bytes) != 6 && len(v.Bytes) != 8:
			return failf(lint.Error, "MACAddress otherName holds %d octets, not 6 (EUI-48) or 8 (EUI-64)", len(v.Bytes))
		}
	}
	return pass()
}

package lints

import (
	"errors"
	"fmt"
	"strings"

	"github.com/zmap/zcrypto/encoding/asn1"
	"github.com/zmap/zcrypto/x509"

	"github.com/iotcert/iotcert/idevid"
)

// Object identifiers of the IEEE 802.1AR / RFC 8995 / TCG lints.
var (
	// TCG key purposes for extendedKeyUsage (TPM 2.0 Keys for Device
	// Identity and Attestation).
	oidTCGVerifiedTPMResidency  = asn1.ObjectIdentifier{2, 23, 133, 11, 1, 1}
	oidTCGVerifiedTPMFixed      = asn1.ObjectIdentifier{2, 23, 133, 11, 1, 2}
	oidTCGVerifiedTPMRestricted = asn1.ObjectIdentifier{2, 23, 133, 11, 1, 3}
)

// devidTCGKeyPurposes names the TCG key purposes an IDevID may carry.
var devidTCGKeyPurposes = []struct {
	oid  asn1.ObjectIdentifier
	name string
}{
	{oidTCGVerifiedTPMResidency, "tcg-cap-verifiedTPMResidency"},
	{oidTCGVerifiedTPMFixed, "tcg-cap-verifiedTPMFixed"},
	{oidTCGVerifiedTPMRestricted, "tcg-cap-verifiedTPMRestricted"},
}

// devidHWModuleName is one HardwareModuleName otherName of a
// subjectAltName: its decoded value, or why it does not decode.
type devidHWModuleName struct {
	Name idevid.HardwareModuleName
	Err  error
}

// devidHardwareModuleNames returns the HardwareModuleName otherNames
// (id-on-hardwareModuleName, RFC 4108 §5) of the subjectAltName of c, each
// decoded with idevid.ParseHardwareModuleName, or an error when the
// subjectAltName itself does not decode.
func devidHardwareModuleNames(c *x509.Certificate) ([]devidHWModuleName, error) {
	names, err := subjectAltNames(c)
	if err != nil {
		return nil, err
	}
	var out []devidHWModuleName
	for _, n := range names {
		if n.Tag != tagOtherName {
			continue
		}
		typeID, value, err := n.otherName()
		if err != nil {
			// Without a type-id there is no telling which otherName this
			// is; only one that names id-on-hardwareModuleName is ours.
			var id asn1.ObjectIdentifier
			if _, e := asn1.Unmarshal(n.Bytes, &id); e == nil && id.Equal(oidOnHardwareModuleName) {
				out = append(out, devidHWModuleName{Err: err})
			}
			continue
		}
		if !typeID.Equal(oidOnHardwareModuleName) {
			continue
		}
		h, err := idevid.ParseHardwareModuleName(value.Bytes)
		out = append(out, devidHWModuleName{Name: h, Err: err})
	}
	return out, nil
}

// devidKeyUsageBits are the keyUsage bits by their RFC 5280 §4.2.1.3 names.
var devidKeyUsageBits = []struct {
	bit  x509.KeyUsage
	name string
}{
	{x509.KeyUsageDigitalSignature, "digitalSignature"},
	{x509.KeyUsageContentCommitment, "contentCommitment"},
	{x509.KeyUsageKeyEncipherment, "keyEncipherment"},
	{x509.KeyUsageDataEncipherment, "dataEncipherment"},
	{x509.KeyUsageKeyAgreement, "keyAgreement"},
	{x509.KeyUsageCertSign, "keyCertSign"},
	{x509.KeyUsageCRLSign, "cRLSign"},
	{x509.KeyUsageEncipherOnly, "encipherOnly"},
	{x509.KeyUsageDecipherOnly, "decipherOnly"},
}

// devidKeyUsageBit returns the keyUsage bit called name. nonRepudiation is
// accepted for contentCommitment.
func devidKeyUsageBit(name string) (x509.KeyUsage, bool) {
	if name == "nonRepudiation" {
		name = "contentCommitment"
	}
	for _, b := range devidKeyUsageBits {
		if b.name == name {
			return b.bit, true
		}
	}
	return 0, false
}

// devidKeyUsageNames lists the bits of ku by name, or "no bits".
func devidKeyUsageNames(ku x509.KeyUsage) string {
	var names []string
	for _, b := range devidKeyUsageBits {
		if ku&b.bit != 0 {
			names = append(names, b.name)
		}
	}
	if len(names) == 0 {
		return "no bits"
	}
	return strings.Join(names, ", ")
}

// devidMASAURL decodes the id-pe-masa-url extension value (RFC 8995
// §2.3.2: MASAURLSyntax ::= IA5String).
func devidMASAURL(value []byte) (string, error) {
	var v asn1.RawValue
	rest, err := asn1.Unmarshal(value, &v)
	if err != nil {
		return "", fmt.Errorf("MASA URI: %w", err)
	}
	if len(rest) != 0 {
		return "", errors.New("MASA URI: trailing data after the IA5String")
	}
	if v.Class != asn1.ClassUniversal || v.Tag != asn1.TagIA5String {
		return "", fmt.Errorf("MASA URI is not an IA5String (class %d, tag %d)", v.Class, v.Tag)
	}
	for _, b := range v.Bytes {
		if b >= 0x80 {
			return "", fmt.Errorf("MASA URI IA5String holds the non-ASCII octet 0x%02x", b)
		}
	}
	return string(v.Bytes), nil
}

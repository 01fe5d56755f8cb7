package lints

import (
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name: "w_iot_ee_eui_as_macaddress",
		Description: "An EUI-48 or EUI-64 identifying a device should be a MACAddress otherName in subjectAltName (draft-ietf-lamps-macaddress-on), " +
			"not text in the subject commonName, a dNSName or a URI; flags 6 or 8 hex pairs separated by '-' or ':' in the commonName or a dNSName, " +
			"and a device URN naming a MAC address (urn:dev:mac:, RFC 9039) in a uniformResourceIdentifier.",
		Citation: "draft-ietf-uta-tls13-iot-profile-23 §17.4.1",
		Source:   IoTTLS13,
	}, role.EndEntitySet, func() lint.CertificateLintInterface { return &eeEUIAsMACAddress{} })
}

type eeEUIAsMACAddress struct{}

func (l *eeEUIAsMACAddress) CheckApplies(c *x509.Certificate) bool { return true }

func (l *eeEUIAsMACAddress) Execute(c *x509.Certificate) *lint.LintResult {
	for _, cn := range subjectStrings(c, oidAttrCommonName) {
		if bits := euiBits(cn); bits != 0 {
			return failf(lint.Warn, "subject commonName %q is an EUI-%d; use a MACAddress otherName in subjectAltName", cn, bits)
		}
	}
	names, err := subjectAltNames(c)
	if err != nil {
		return failf(lint.Warn, "cannot decode subjectAltName: %v", err)
	}
	for _, n := range names {
		switch n.Tag {
		case tagDNSName:
			if bits := euiBits(string(n.Bytes)); bits != 0 {
				return failf(lint.Warn, "dNSName %q is an EUI-%d; use a MACAddress otherName in subjectAltName", n.Bytes, bits)
			}
		case tagURI:
			if bits := urnDevMACBits(string(n.Bytes)); bits != 0 {
				return failf(lint.Warn, "uniformResourceIdentifier %q names an EUI-%d MAC address (RFC 9039); use a MACAddress otherName in subjectAltName", n.Bytes, bits)
			}
		}
	}
	return pass()
}

package lints

import (
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name: "n_iot_ee_eui64_in_serialnumber",
		Description: "Notes an end-entity certificate whose subject serialNumber attribute holds an EUI-64: allowed when the EUI-64 is the manufacturer-assigned device serial number, " +
			"but an EUI-64 identifying a link-layer interface belongs in a MACAddress otherName.",
		Citation: "draft-ietf-uta-tls13-iot-profile-23 §17.4.1",
		Source:   IoTTLS13,
	}, role.EndEntitySet, func() lint.CertificateLintInterface { return &eeEUI64InSerialNumber{} })
}

type eeEUI64InSerialNumber struct{}

func (l *eeEUI64InSerialNumber) CheckApplies(c *x509.Certificate) bool {
	return subjectHas(c, oidAttrSerialNumber)
}

func (l *eeEUI64InSerialNumber) Execute(c *x509.Certificate) *lint.LintResult {
	for _, sn := range subjectStrings(c, oidAttrSerialNumber) {
		if euiBits(sn) == 64 {
			return failf(lint.Notice, "subject serialNumber %q is an EUI-64; if it identifies an interface rather than the device, use a MACAddress otherName", sn)
		}
	}
	return pass()
}

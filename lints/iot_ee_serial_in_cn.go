package lints

import (
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name: "n_iot_ee_serial_in_cn",
		Description: "Notes an end-entity certificate whose subject commonName looks like a device serial number (an EUI, a long hex string, or mostly digits) " +
			"while the subject has no serialNumber attribute: a manufacturer-assigned serial number in the subject must be an X520SerialNumber attribute.",
		Citation: "draft-ietf-uta-tls13-iot-profile-23 §17.4.1 (RFC 5280 Appendix A.1)",
		Source:   IoTTLS13,
	}, role.EndEntitySet, func() lint.CertificateLintInterface { return &eeSerialInCN{} })
}

type eeSerialInCN struct{}

func (l *eeSerialInCN) CheckApplies(c *x509.Certificate) bool {
	return subjectHas(c, oidAttrCommonName) && !subjectHas(c, oidAttrSerialNumber)
}

func (l *eeSerialInCN) Execute(c *x509.Certificate) *lint.LintResult {
	for _, cn := range subjectStrings(c, oidAttrCommonName) {
		if looksLikeSerial(cn) {
			return failf(lint.Notice, "subject commonName %q looks like a device serial number and the subject has no serialNumber attribute", cn)
		}
	}
	return pass()
}

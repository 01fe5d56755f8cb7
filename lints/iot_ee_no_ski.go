package lints

import (
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name: "e_iot_ee_no_ski",
		Description: "End-entity certificates must not carry a subjectKeyIdentifier extension. " +
			"Ambiguity A4: RFC 5280 says they should (zlint's w_ext_subject_key_identifier_missing_sub_cert, disabled in the IoT profiles); the IoT profile wins.",
		Citation: "draft-ietf-uta-tls13-iot-profile-23 §17.4.3",
		Source:   IoTTLS13,
	}, role.EndEntitySet, func() lint.CertificateLintInterface { return &eeNoSKI{} })
}

type eeNoSKI struct{}

func (l *eeNoSKI) CheckApplies(c *x509.Certificate) bool { return true }

func (l *eeNoSKI) Execute(c *x509.Certificate) *lint.LintResult {
	if hasExtension(c, oidExtSubjectKeyID) {
		return failf(lint.Error, "subjectKeyIdentifier is present")
	}
	return pass()
}

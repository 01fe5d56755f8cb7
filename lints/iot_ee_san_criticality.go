package lints

import (
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name: "e_iot_ee_san_criticality",
		Description: "The subjectAltName extension of an end-entity certificate must not be marked critical unless the subject is an empty sequence " +
			"(RFC 5280's converse, a critical subjectAltName when the subject is empty, is zlint's e_ext_san_not_critical_without_subject).",
		Citation: "draft-ietf-uta-tls13-iot-profile-23 §17.4.1",
		Source:   IoTTLS13,
	}, role.EndEntitySet, func() lint.CertificateLintInterface { return &eeSANCriticality{} })
}

type eeSANCriticality struct{}

func (l *eeSANCriticality) CheckApplies(c *x509.Certificate) bool {
	return hasExtension(c, oidExtSubjectAltName)
}

func (l *eeSANCriticality) Execute(c *x509.Certificate) *lint.LintResult {
	if extension(c, oidExtSubjectAltName).Critical && !subjectIsEmpty(c) {
		return failf(lint.Error, "subjectAltName is marked critical although the subject is not empty")
	}
	return pass()
}

package lints

import (
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name:        "e_iot_ee_aki",
		Description: "End-entity certificates must carry an authorityKeyIdentifier extension that is not marked critical.",
		Citation:    "draft-ietf-uta-tls13-iot-profile-23 §17.4.2",
		Source:      IoTTLS13,
	}, role.EndEntitySet, func() lint.CertificateLintInterface { return &eeAKI{} })
}

type eeAKI struct{}

func (l *eeAKI) CheckApplies(c *x509.Certificate) bool { return true }

func (l *eeAKI) Execute(c *x509.Certificate) *lint.LintResult {
	e := extension(c, oidExtAuthorityKeyID)
	switch {
	case e == nil:
		return failf(lint.Error, "authorityKeyIdentifier is absent")
	case e.Critical:
		return failf(lint.Error, "authorityKeyIdentifier is marked critical")
	}
	return pass()
}

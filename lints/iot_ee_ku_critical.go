package lints

import (
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name:        "e_iot_ee_ku_critical",
		Description: "End-entity certificates must carry a keyUsage extension marked critical.",
		Citation:    "draft-ietf-uta-tls13-iot-profile-23 §17.4.4",
		Source:      IoTTLS13,
	}, role.EndEntitySet, func() lint.CertificateLintInterface { return &eeKUCritical{} })
}

type eeKUCritical struct{}

func (l *eeKUCritical) CheckApplies(c *x509.Certificate) bool { return true }

func (l *eeKUCritical) Execute(c *x509.Certificate) *lint.LintResult {
	e := extension(c, oidExtKeyUsage)
	switch {
	case e == nil:
		return failf(lint.Error, "keyUsage is absent")
	case !e.Critical:
		return failf(lint.Error, "keyUsage is not marked critical")
	}
	return pass()
}

package lints

import (
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name:        "e_iot_all_version_v3",
		Description: "Every certificate of an IoT device PKI must be an X.509 v3 certificate (version field value 2).",
		Citation:    "draft-ietf-uta-tls13-iot-profile-23 §17.1.1",
		Source:      IoTTLS13,
	}, role.AllSet, func() lint.CertificateLintInterface { return &allVersionV3{} })
}

type allVersionV3 struct{}

func (l *allVersionV3) CheckApplies(c *x509.Certificate) bool { return true }

func (l *allVersionV3) Execute(c *x509.Certificate) *lint.LintResult {
	// zcrypto's Version is the field value plus one.
	if c.Version != 3 {
		return failf(lint.Error, "version is v%d (field value %d), not v3", c.Version, c.Version-1)
	}
	return pass()
}

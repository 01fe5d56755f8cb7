package lints

import (
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name:        "e_iot_all_aia_noncritical",
		Description: "An authorityInfoAccess extension, where present, must not be marked critical.",
		Citation:    "draft-ietf-uta-tls13-iot-profile-23 §17.1.7",
		Source:      IoTTLS13,
	}, role.AllSet, func() lint.CertificateLintInterface { return &allAIANonCritical{} })
}

type allAIANonCritical struct{}

func (l *allAIANonCritical) CheckApplies(c *x509.Certificate) bool {
	return hasExtension(c, oidExtAuthorityInfo)
}

func (l *allAIANonCritical) Execute(c *x509.Certificate) *lint.LintResult {
	if extension(c, oidExtAuthorityInfo).Critical {
		return failf(lint.Error, "authorityInfoAccess is marked critical")
	}
	return pass()
}

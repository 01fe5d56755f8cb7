package lints

import (
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name:        "e_iot_all_aia_noncritical",
		Description: "An authorityInfoAccess extension, where present, must not be marked critical. Subordinate CAs are judged by the §17.3.7 lints (w_iot_sub_aia_absent, e_iot_sub_aia_noncritical, w_iot_sub_aia_caissuers_and_ocsp), which restate this for them (ambiguity A3).",
		Citation:    "draft-ietf-uta-tls13-iot-profile-23 §17.1.7",
		Source:      IoTTLS13,
	}, role.RootSet|role.LinkSet|role.EndEntitySet, func() lint.CertificateLintInterface { return &allAIANonCritical{} })
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

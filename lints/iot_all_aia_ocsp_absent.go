package lints

import (
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name:        "w_iot_all_aia_ocsp_absent",
		Description: "The authorityInfoAccess extension should not hold an id-ad-ocsp access description. Subordinate CAs are judged by the §17.3.7 lints (w_iot_sub_aia_absent, e_iot_sub_aia_noncritical, w_iot_sub_aia_caissuers_and_ocsp), which restate this for them (ambiguity A3).",
		Citation:    "draft-ietf-uta-tls13-iot-profile-23 §17.1.7",
		Source:      IoTTLS13,
	}, role.RootSet|role.LinkSet|role.EndEntitySet, func() lint.CertificateLintInterface { return &allAIAOCSPAbsent{} })
}

type allAIAOCSPAbsent struct{}

func (l *allAIAOCSPAbsent) CheckApplies(c *x509.Certificate) bool {
	return hasExtension(c, oidExtAuthorityInfo)
}

func (l *allAIAOCSPAbsent) Execute(c *x509.Certificate) *lint.LintResult {
	methods, err := accessDescriptions(extension(c, oidExtAuthorityInfo).Value)
	if err != nil {
		return failf(lint.Warn, "%v", err)
	}
	for _, m := range methods {
		if m.Equal(oidAccessOCSP) {
			if len(c.OCSPServer) > 0 {
				return failf(lint.Warn, "authorityInfoAccess holds id-ad-ocsp (%s)", c.OCSPServer[0])
			}
			return failf(lint.Warn, "authorityInfoAccess holds id-ad-ocsp")
		}
	}
	return pass()
}

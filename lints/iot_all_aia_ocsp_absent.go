package lints

import (
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name:        "w_iot_all_aia_ocsp_absent",
		Description: "The authorityInfoAccess extension should not hold an id-ad-ocsp access description.",
		Citation:    "draft-ietf-uta-tls13-iot-profile-23 §17.1.7",
		Source:      IoTTLS13,
	}, role.AllSet, func() lint.CertificateLintInterface { return &allAIAOCSPAbsent{} })
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

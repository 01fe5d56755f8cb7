package lints

import (
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name: "n_iot_all_aia_caissuers_ok",
		Description: "An authorityInfoAccess extension that holds only id-ad-caIssuers access descriptions is allowed; " +
			"the notice records that the certificate has one, so that devices that cannot fetch issuers are not relied on to use it. Subordinate CAs are judged by the §17.3.7 lints (w_iot_sub_aia_absent, e_iot_sub_aia_noncritical, w_iot_sub_aia_caissuers_and_ocsp), which restate this for them (ambiguity A3).",
		Citation: "draft-ietf-uta-tls13-iot-profile-23 §17.1.7",
		Source:   IoTTLS13,
	}, role.RootSet|role.LinkSet|role.EndEntitySet, func() lint.CertificateLintInterface { return &allAIACAIssuers{} })
}

type allAIACAIssuers struct{}

// CheckApplies holds when the certificate has an authorityInfoAccess that
// decodes and holds nothing but id-ad-caIssuers.
func (l *allAIACAIssuers) CheckApplies(c *x509.Certificate) bool {
	e := extension(c, oidExtAuthorityInfo)
	if e == nil {
		return false
	}
	methods, err := accessDescriptions(e.Value)
	if err != nil {
		return false
	}
	for _, m := range methods {
		if !m.Equal(oidAccessCAIssuers) {
			return false
		}
	}
	return true
}

func (l *allAIACAIssuers) Execute(c *x509.Certificate) *lint.LintResult {
	if len(c.IssuingCertificateURL) > 0 {
		return failf(lint.Notice, "authorityInfoAccess holds only id-ad-caIssuers (%s), which the profile allows", c.IssuingCertificateURL[0])
	}
	return failf(lint.Notice, "authorityInfoAccess holds only id-ad-caIssuers, which the profile allows")
}

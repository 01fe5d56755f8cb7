package lints

import (
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name:        "e_iot_all_crldp_noncritical",
		Description: "A cRLDistributionPoints extension, where present, must not be marked critical. Subordinate CAs are judged by the §17.3.6 lints (w_iot_sub_crldp_absent, e_iot_sub_crldp_noncritical), which restate this for them.",
		Citation:    "draft-ietf-uta-tls13-iot-profile-23 §17.1.7",
		Source:      IoTTLS13,
	}, role.RootSet|role.LinkSet|role.EndEntitySet, func() lint.CertificateLintInterface { return &allCRLDPNonCritical{} })
}

type allCRLDPNonCritical struct{}

func (l *allCRLDPNonCritical) CheckApplies(c *x509.Certificate) bool {
	return hasExtension(c, oidExtCRLDistribution)
}

func (l *allCRLDPNonCritical) Execute(c *x509.Certificate) *lint.LintResult {
	if extension(c, oidExtCRLDistribution).Critical {
		return failf(lint.Error, "cRLDistributionPoints is marked critical")
	}
	return pass()
}

package lints

import (
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name:        "w_iot_all_crldp_absent",
		Description: "Certificates of an IoT device PKI should not carry a cRLDistributionPoints extension. Subordinate CAs are judged by the §17.3.6 lints (w_iot_sub_crldp_absent, e_iot_sub_crldp_noncritical), which restate this for them.",
		Citation:    "draft-ietf-uta-tls13-iot-profile-23 §17.1.7",
		Source:      IoTTLS13,
	}, role.RootSet|role.LinkSet|role.EndEntitySet, func() lint.CertificateLintInterface { return &allCRLDPAbsent{} })
}

type allCRLDPAbsent struct{}

func (l *allCRLDPAbsent) CheckApplies(c *x509.Certificate) bool { return true }

func (l *allCRLDPAbsent) Execute(c *x509.Certificate) *lint.LintResult {
	if hasExtension(c, oidExtCRLDistribution) {
		if len(c.CRLDistributionPoints) > 0 {
			return failf(lint.Warn, "cRLDistributionPoints is present (%s)", c.CRLDistributionPoints[0])
		}
		return failf(lint.Warn, "cRLDistributionPoints is present")
	}
	return pass()
}

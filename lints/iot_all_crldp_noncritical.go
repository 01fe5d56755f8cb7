package lints

import (
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name:        "e_iot_all_crldp_noncritical",
		Description: "A cRLDistributionPoints extension, where present, must not be marked critical.",
		Citation:    "draft-ietf-uta-tls13-iot-profile-23 §17.1.7",
		Source:      IoTTLS13,
	}, role.AllSet, func() lint.CertificateLintInterface { return &allCRLDPNonCritical{} })
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

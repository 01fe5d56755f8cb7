package lints

import (
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name:        "e_iot_sub_crldp_noncritical",
		Description: "A cRLDistributionPoints extension in a subordinate CA certificate must not be marked critical. It must also point to the relevant CRL, which cannot be judged on one certificate and is not checked.",
		Citation:    "draft-ietf-uta-tls13-iot-profile-23 §17.3.6",
		Source:      IoTTLS13,
	}, role.SubordinateSet, funcLint(caHas(oidExtCRLDistribution), func(c *x509.Certificate) *lint.LintResult {
		return caExtNotCritical(c, oidExtCRLDistribution, "cRLDistributionPoints")
	}))
}

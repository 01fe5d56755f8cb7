package lints

import (
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name:        "w_iot_sub_crldp_absent",
		Description: "Subordinate CA certificates should not carry a cRLDistributionPoints extension.",
		Citation:    "draft-ietf-uta-tls13-iot-profile-23 §17.3.6",
		Source:      IoTTLS13,
	}, role.SubordinateSet, funcLint(nil, func(c *x509.Certificate) *lint.LintResult {
		return caExtAbsent(c, oidExtCRLDistribution, "cRLDistributionPoints", lint.Warn)
	}))
}

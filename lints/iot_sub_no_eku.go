package lints

import (
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name:        "w_iot_sub_no_eku",
		Description: "Subordinate CA certificates should not carry an extendedKeyUsage extension. Ambiguity A2: §17.3.4 says should not, while §17.2.5 says EKU must not be set in CA certificates; the subordinate CA keeps the SHOULD NOT.",
		Citation:    "draft-ietf-uta-tls13-iot-profile-23 §17.3.4",
		Source:      IoTTLS13,
	}, role.SubordinateSet, funcLint(nil, func(c *x509.Certificate) *lint.LintResult {
		return caExtAbsent(c, oidExtExtendedKeyUsage, "extendedKeyUsage", lint.Warn)
	}))
}

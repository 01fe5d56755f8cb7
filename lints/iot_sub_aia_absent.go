package lints

import (
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name:        "w_iot_sub_aia_absent",
		Description: "Subordinate CA certificates should not carry an authorityInfoAccess extension.",
		Citation:    "draft-ietf-uta-tls13-iot-profile-23 §17.3.7",
		Source:      IoTTLS13,
	}, role.SubordinateSet, funcLint(nil, func(c *x509.Certificate) *lint.LintResult {
		return caExtAbsent(c, oidExtAuthorityInfo, "authorityInfoAccess", lint.Warn)
	}))
}

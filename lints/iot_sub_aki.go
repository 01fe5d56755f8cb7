package lints

import (
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name:        "e_iot_sub_aki",
		Description: "Subordinate CA certificates must carry an authorityKeyIdentifier extension, not marked critical.",
		Citation:    "draft-ietf-uta-tls13-iot-profile-23 §17.3.2",
		Source:      IoTTLS13,
	}, role.SubordinateSet, funcLint(nil, func(c *x509.Certificate) *lint.LintResult {
		return caExtPresentNonCritical(c, oidExtAuthorityKeyID, "authorityKeyIdentifier", lint.Error)
	}))
}

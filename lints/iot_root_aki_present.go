package lints

import (
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name:        "w_iot_root_aki_present",
		Description: "Root CA certificates should carry an authorityKeyIdentifier extension.",
		Citation:    "draft-ietf-uta-tls13-iot-profile-23 §17.2.2",
		Source:      IoTTLS13,
	}, role.RootSet|role.LinkSet, funcLint(nil, func(c *x509.Certificate) *lint.LintResult {
		if !hasExtension(c, oidExtAuthorityKeyID) {
			return failf(lint.Warn, "authorityKeyIdentifier is absent")
		}
		return pass()
	}))
}

package lints

import (
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	registerCALint(lint.LintMetadata{
		Name:        "w_iot_root_ku_present",
		Description: "Root CA certificates should carry a keyUsage extension.",
		Citation:    "draft-ietf-uta-tls13-iot-profile-23 §17.2.4",
		Source:      IoTTLS13,
	}, role.RootSet|role.LinkSet, nil, func(c *x509.Certificate) *lint.LintResult {
		if !hasExtension(c, oidExtKeyUsage) {
			return failf(lint.Warn, "keyUsage is absent")
		}
		return pass()
	})
}

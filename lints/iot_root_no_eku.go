package lints

import (
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name:        "e_iot_root_no_eku",
		Description: "Root CA certificates must not carry an extendedKeyUsage extension. Ambiguity A2: §17.2.5 forbids EKU in CA certificates, §17.3.4 only discourages it in subordinate CAs; the root keeps the MUST NOT.",
		Citation:    "draft-ietf-uta-tls13-iot-profile-23 §17.2.5",
		Source:      IoTTLS13,
	}, role.RootSet|role.LinkSet, funcLint(nil, func(c *x509.Certificate) *lint.LintResult {
		return caExtAbsent(c, oidExtExtendedKeyUsage, "extendedKeyUsage", lint.Error)
	}))
}

package lints

import (
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name:        "w_iot_root_san_noncritical",
		Description: "A subjectAltName extension in a root CA certificate should not be marked critical.",
		Citation:    "draft-ietf-uta-tls13-iot-profile-23 §17.2.1",
		Source:      IoTTLS13,
	}, role.RootSet|role.LinkSet, funcLint(caHas(oidExtSubjectAltName), func(c *x509.Certificate) *lint.LintResult {
		if extension(c, oidExtSubjectAltName).Critical {
			return failf(lint.Warn, "subjectAltName is marked critical")
		}
		return pass()
	}))
}

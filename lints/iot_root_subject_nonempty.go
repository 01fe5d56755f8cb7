package lints

import (
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name:        "e_iot_root_subject_nonempty",
		Description: "Root CA certificates must have a non-empty subject distinguished name.",
		Citation:    "draft-ietf-uta-tls13-iot-profile-23 §17.2.1",
		Source:      IoTTLS13,
	}, role.RootSet|role.LinkSet, funcLint(nil, func(c *x509.Certificate) *lint.LintResult {
		if len(c.Subject.Names) == 0 {
			return failf(lint.Error, "subject is empty")
		}
		return pass()
	}))
}

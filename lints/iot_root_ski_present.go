package lints

import (
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name:        "e_iot_root_ski_present",
		Description: "Root CA certificates must carry a subjectKeyIdentifier extension, not marked critical.",
		Citation:    "draft-ietf-uta-tls13-iot-profile-23 §17.2.3",
		Source:      IoTTLS13,
	}, role.RootSet|role.LinkSet, funcLint(nil, func(c *x509.Certificate) *lint.LintResult {
		return caExtPresentNonCritical(c, oidExtSubjectKeyID, "subjectKeyIdentifier", lint.Error)
	}))
}

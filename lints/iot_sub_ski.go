package lints

import (
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name:        "e_iot_sub_ski",
		Description: "Subordinate CA certificates must carry a subjectKeyIdentifier extension, not marked critical (w_iot_sub_ski_matches_key checks that it identifies the key).",
		Citation:    "draft-ietf-uta-tls13-iot-profile-23 §17.3.3",
		Source:      IoTTLS13,
	}, role.SubordinateSet, funcLint(nil, func(c *x509.Certificate) *lint.LintResult {
		return caExtPresentNonCritical(c, oidExtSubjectKeyID, "subjectKeyIdentifier", lint.Error)
	}))
}

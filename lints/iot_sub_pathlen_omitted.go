package lints

import (
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name:        "w_iot_sub_pathlen_omitted",
		Description: "The basicConstraints of a subordinate CA certificate should not carry a pathLenConstraint.",
		Citation:    "draft-ietf-uta-tls13-iot-profile-23 §17.3.5",
		Source:      IoTTLS13,
	}, role.SubordinateSet, funcLint(caHas(oidExtBasicConstraints), func(c *x509.Certificate) *lint.LintResult {
		return caNoPathLen(c, lint.Warn)
	}))
}

package lints

import (
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name:        "e_iot_root_no_pathlen",
		Description: "The basicConstraints of a root CA certificate must not carry a pathLenConstraint.",
		Citation:    "draft-ietf-uta-tls13-iot-profile-23 §17.2.6",
		Source:      IoTTLS13,
	}, role.RootSet|role.LinkSet, funcLint(caHas(oidExtBasicConstraints), func(c *x509.Certificate) *lint.LintResult {
		return caNoPathLen(c, lint.Error)
	}))
}

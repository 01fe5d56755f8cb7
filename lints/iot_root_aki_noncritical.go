package lints

import (
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name:        "e_iot_root_aki_noncritical",
		Description: "An authorityKeyIdentifier extension in a root CA certificate must not be marked critical.",
		Citation:    "draft-ietf-uta-tls13-iot-profile-23 §17.2.2",
		Source:      IoTTLS13,
	}, role.RootSet|role.LinkSet, funcLint(caHas(oidExtAuthorityKeyID), func(c *x509.Certificate) *lint.LintResult {
		return caExtNotCritical(c, oidExtAuthorityKeyID, "authorityKeyIdentifier")
	}))
}

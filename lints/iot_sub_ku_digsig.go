package lints

import (
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name:        "w_iot_sub_ku_digsig",
		Description: "The keyUsage of a subordinate CA certificate should assert digitalSignature.",
		Citation:    "draft-ietf-uta-tls13-iot-profile-23 §17.3.4",
		Source:      IoTTLS13,
	}, role.SubordinateSet, funcLint(caHas(oidExtKeyUsage), func(c *x509.Certificate) *lint.LintResult {
		return caKeyUsageAsserts(c, kuDigitalSignature, "digitalSignature", lint.Warn, "")
	}))
}

package lints

import (
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name:        "n_iot_sub_ku_crlsign",
		Description: "A subordinate CA that issues CRLs must assert cRLSign in keyUsage; whether it issues CRLs cannot be seen in the certificate, so this notice fires only when keyUsage is present without cRLSign.",
		Citation:    "draft-ietf-uta-tls13-iot-profile-23 §17.3.4",
		Source:      IoTTLS13,
	}, role.SubordinateSet, funcLint(caHas(oidExtKeyUsage), func(c *x509.Certificate) *lint.LintResult {
		return caKeyUsageAsserts(c, kuCRLSign, "cRLSign", lint.Notice, ": the CA cannot sign CRLs (required if it issues CRLs)")
	}))
}

package lints

import (
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name:        "e_iot_sub_aia_noncritical",
		Description: "An authorityInfoAccess extension in a subordinate CA certificate must not be marked critical (w_iot_sub_aia_caissuers_and_ocsp checks its contents).",
		Citation:    "draft-ietf-uta-tls13-iot-profile-23 §17.3.7",
		Source:      IoTTLS13,
	}, role.SubordinateSet, funcLint(caHas(oidExtAuthorityInfo), func(c *x509.Certificate) *lint.LintResult {
		return caExtNotCritical(c, oidExtAuthorityInfo, "authorityInfoAccess")
	}))
}

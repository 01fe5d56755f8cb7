package lints

import (
	"strings"

	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name:        "w_iot_sub_aia_caissuers_and_ocsp",
		Description: "An authorityInfoAccess extension in a subordinate CA certificate must carry both a caIssuers and an OCSP location. Ambiguity A3: §17.1.7 allows an AIA with caIssuers only, so this stricter reading of §17.3.7 is a warning.",
		Citation:    "draft-ietf-uta-tls13-iot-profile-23 §17.3.7",
		Source:      IoTTLS13,
	}, role.SubordinateSet, funcLint(caHas(oidExtAuthorityInfo), func(c *x509.Certificate) *lint.LintResult {
		methods, err := accessDescriptions(extension(c, oidExtAuthorityInfo).Value)
		if err != nil {
			return failf(lint.Warn, "%v", err)
		}
		var caIssuers, ocsp bool
		for _, m := range methods {
			caIssuers = caIssuers || m.Equal(oidAccessCAIssuers)
			ocsp = ocsp || m.Equal(oidAccessOCSP)
		}
		var missing []string
		if !caIssuers {
			missing = append(missing, "caIssuers")
		}
		if !ocsp {
			missing = append(missing, "OCSP")
		}
		if len(missing) > 0 {
			return failf(lint.Warn, "authorityInfoAccess has no %s location", strings.Join(missing, " and no "))
		}
		return pass()
	}))
}

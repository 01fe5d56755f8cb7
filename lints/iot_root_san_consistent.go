package lints

import (
	"strings"

	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name:        "n_iot_root_san_consistent",
		Description: "A subjectAltName in a root CA certificate should be consistent with the subject; this notice names every SAN entry that does not appear in the subject (a directoryName other than the subject, or a name that is no subject attribute value), for a human to judge.",
		Citation:    "draft-ietf-uta-tls13-iot-profile-23 §17.2.1",
		Source:      IoTTLS13,
	}, role.RootSet|role.LinkSet, funcLint(caHas(oidExtSubjectAltName), func(c *x509.Certificate) *lint.LintResult {
		odd, err := caSANInconsistent(c)
		if err != nil {
			return failf(lint.Notice, "%v", err)
		}
		if len(odd) > 0 {
			return failf(lint.Notice, "subjectAltName holds names that do not appear in the subject: %s", strings.Join(odd, ", "))
		}
		return pass()
	}))
}

package lints

import (
	"bytes"

	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name:        "e_iot_ee_no_wildcard",
		Description: "Domain names (dNSName subjectAltNames) in an end-entity certificate must not contain the wildcard character '*'.",
		Citation:    "draft-ietf-uta-tls13-iot-profile-23 §17.4.1",
		Source:      IoTTLS13,
	}, role.EndEntitySet, func() lint.CertificateLintInterface { return &eeNoWildcard{} })
}

type eeNoWildcard struct{}

func (l *eeNoWildcard) CheckApplies(c *x509.Certificate) bool {
	return hasExtension(c, oidExtSubjectAltName)
}

func (l *eeNoWildcard) Execute(c *x509.Certificate) *lint.LintResult {
	names, err := subjectAltNames(c)
	if err != nil {
		return failf(lint.Error, "cannot decode subjectAltName: %v", err)
	}
	for _, n := range names {
		if n.Tag == tagDNSName && bytes.Contains(n.Bytes, []byte("*")) {
			return failf(lint.Error, "dNSName %q contains a wildcard '*'", n.Bytes)
		}
	}
	return pass()
}

package lints

import (
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name:        "e_r7925_table1_version",
		Description: "Every certificate of the profile must be an X.509 version 3 certificate.",
		Citation:    "RFC 7925 §4.4.4 (Table 1)",
		Source:      RFC7925,
	}, role.AllSet, func() lint.CertificateLintInterface { return &r7925Table1Version{} })
}

type r7925Table1Version struct{}

func (l *r7925Table1Version) CheckApplies(c *x509.Certificate) bool { return true }

func (l *r7925Table1Version) Execute(c *x509.Certificate) *lint.LintResult {
	d, err := r7925Decode(c)
	if err != nil {
		return failf(lint.Error, "%v", err)
	}
	if d.Version != 2 {
		return failf(lint.Error, "version is v%d (encoded %d), not v3", d.Version+1, d.Version)
	}
	return pass()
}

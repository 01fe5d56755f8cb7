package lints

import (
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name:        "e_brski_masa_url",
		Description: "If an IDevID carries the MASA URI extension (id-pe-masa-url, 1.3.6.1.5.5.7.1.32), it must be non-critical and its value a non-empty IA5String.",
		Citation:    "RFC 8995 §2.3.2",
		Source:      RFC8995,
	}, role.IDevIDSet, func() lint.CertificateLintInterface { return &brskiMASAURL{} })
}

type brskiMASAURL struct{}

func (l *brskiMASAURL) CheckApplies(c *x509.Certificate) bool {
	return hasExtension(c, oidExtMASAURL)
}

func (l *brskiMASAURL) Execute(c *x509.Certificate) *lint.LintResult {
	e := extension(c, oidExtMASAURL)
	if e == nil {
		return &lint.LintResult{Status: lint.NA}
	}
	if e.Critical {
		return failf(lint.Error, "MASA URI extension is marked critical")
	}
	uri, err := devidMASAURL(e.Value)
	if err != nil {
		return failf(lint.Error, "%v", err)
	}
	if uri == "" {
		return failf(lint.Error, "MASA URI is empty")
	}
	return pass()
}

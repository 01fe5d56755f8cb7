package lints

import (
	"strings"

	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name:        "w_brski_masa_url_authority",
		Description: "The MASA URI extension of an IDevID should hold only the URI authority (no \"/\"), with https:// and /.well-known/brski implied; a complete URI is meant for diagnostic or experimental use.",
		Citation:    "RFC 8995 §2.3.2",
		Source:      RFC8995,
	}, role.IDevIDSet, func() lint.CertificateLintInterface { return &brskiMASAURLAuthority{} })
}

type brskiMASAURLAuthority struct{}

// CheckApplies: the extension is present and decodes (e_brski_masa_url
// reports one that does not).
func (l *brskiMASAURLAuthority) CheckApplies(c *x509.Certificate) bool {
	e := extension(c, oidExtMASAURL)
	if e == nil {
		return false
	}
	_, err := devidMASAURL(e.Value)
	return err == nil
}

func (l *brskiMASAURLAuthority) Execute(c *x509.Certificate) *lint.LintResult {
	e := extension(c, oidExtMASAURL)
	if e == nil {
		return &lint.LintResult{Status: lint.NA}
	}
	uri, err := devidMASAURL(e.Value)
	if err != nil {
		return failf(lint.Warn, "%v", err)
	}
	if strings.Contains(uri, "/") {
		return failf(lint.Warn, "MASA URI %q is a full URI, not only an authority", uri)
	}
	return pass()
}

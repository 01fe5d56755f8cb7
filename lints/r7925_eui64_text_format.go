package lints

import (
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name: "e_r7925_eui64_text_format",
		Description: "An EUI-64 identifying a client end entity (in the leftmost subject CN, or a dNSName, rfc822Name or URI of subjectAltName) " +
			"must be written HH-HH-HH-HH-HH-HH-HH-HH with upper-case hex digits 0-9, A-F.",
		Citation: "RFC 7925 §4.4.2",
		Source:   RFC7925,
	}, role.EndEntitySet, func() lint.CertificateLintInterface { return &r7925EUI64TextFormat{} })
}

type r7925EUI64TextFormat struct{}

func (l *r7925EUI64TextFormat) CheckApplies(c *x509.Certificate) bool {
	server, _, err := r7925Server(c)
	if err != nil {
		return true
	}
	found, err := r7925EUI64Candidates(c)
	return !server && (len(found) > 0 || err != nil)
}

func (l *r7925EUI64TextFormat) Execute(c *x509.Certificate) *lint.LintResult {
	found, err := r7925EUI64Candidates(c)
	if err != nil {
		return failf(lint.Error, "%v", err)
	}
	for _, f := range found {
		if p := r7925EUI64FormatProblem(f.Value); p != "" {
			return failf(lint.Error, "%s EUI-64 %q %s; the form is HH-HH-HH-HH-HH-HH-HH-HH with upper-case hex", f.Where, f.Value, p)
		}
	}
	return pass()
}

package lints

import (
	"strings"

	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name: "e_r7925_san_single_name",
		Description: "The subjectAltName of a server end entity (see e_r7925_server_dns_in_san) must hold a single name. " +
			"Unlike the draft's restatement (ambiguity A1), RFC 7925 puts this among the server identity rules, so it is applied to server certificates only, literally.",
		Citation: "RFC 7925 §4.4.1",
		Source:   RFC7925,
	}, role.EndEntitySet, func() lint.CertificateLintInterface { return &r7925SANSingleName{} })
}

type r7925SANSingleName struct{}

func (l *r7925SANSingleName) CheckApplies(c *x509.Certificate) bool {
	server, _, err := r7925Server(c)
	return server || err != nil
}

func (l *r7925SANSingleName) Execute(c *x509.Certificate) *lint.LintResult {
	names, err := subjectAltNames(c)
	if err != nil {
		return failf(lint.Error, "%v", err)
	}
	if len(names) <= 1 {
		return pass()
	}
	kinds := make([]string, len(names))
	for i, n := range names {
		kinds[i] = generalNameType(n.Tag)
	}
	return failf(lint.Error, "subjectAltName holds %d names (%s)", len(names), strings.Join(kinds, ", "))
}

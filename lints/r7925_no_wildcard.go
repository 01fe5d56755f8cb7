package lints

import (
	"strings"

	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name: "e_r7925_no_wildcard",
		Description: "The domain names of a server end entity (a dNSName in subjectAltName, or a subject CN that reads as a domain name) " +
			"must not contain the wildcard character \"*\". Server end entities are those of e_r7925_server_dns_in_san.",
		Citation: "RFC 7925 §4.4.1",
		Source:   RFC7925,
	}, role.EndEntitySet, func() lint.CertificateLintInterface { return &r7925NoWildcard{} })
}

type r7925NoWildcard struct{}

func (l *r7925NoWildcard) CheckApplies(c *x509.Certificate) bool {
	server, _, err := r7925Server(c)
	return server || err != nil
}

func (l *r7925NoWildcard) Execute(c *x509.Certificate) *lint.LintResult {
	names, err := subjectAltNames(c)
	if err != nil {
		return failf(lint.Error, "%v", err)
	}
	for _, n := range names {
		if n.Tag == tagDNSName && strings.Contains(string(n.Bytes), "*") {
			return failf(lint.Error, "subjectAltName dNSName %q is a wildcard name", n.Bytes)
		}
	}
	if cn, ok := r7925LeftmostCN(c); ok && looksLikeDomainName(cn) && strings.Contains(cn, "*") {
		return failf(lint.Error, "subject CN %q is a wildcard name", cn)
	}
	return pass()
}

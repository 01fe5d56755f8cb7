package lints

import (
	"fmt"
	"slices"
	"strings"

	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name: "e_r7925_server_dns_in_san",
		Description: "A server end entity (one whose extendedKeyUsage holds id-kp-serverAuth, whose subjectAltName holds a dNSName other than an EUI-64, " +
			"or whose leftmost subject CN reads as a domain name) must carry its domain name as a dNSName in subjectAltName, not in the subject CN.",
		Citation: "RFC 7925 §4.4.1",
		Source:   RFC7925,
	}, role.EndEntitySet, func() lint.CertificateLintInterface { return &r7925ServerDNSInSAN{} })
}

type r7925ServerDNSInSAN struct{}

func (l *r7925ServerDNSInSAN) CheckApplies(c *x509.Certificate) bool {
	server, _, err := r7925Server(c)
	return server || err != nil
}

func (l *r7925ServerDNSInSAN) Execute(c *x509.Certificate) *lint.LintResult {
	names, err := subjectAltNames(c)
	if err != nil {
		return failf(lint.Error, "%v", err)
	}
	var problems []string
	if cn, ok := r7925LeftmostCN(c); ok && looksLikeDomainName(cn) {
		problems = append(problems, fmt.Sprintf("the domain name %q is in the subject CN", cn))
	}
	if !slices.ContainsFunc(names, func(n generalName) bool { return n.Tag == tagDNSName }) {
		if names == nil {
			problems = append(problems, "there is no subjectAltName, so no dNSName")
		} else {
			problems = append(problems, "subjectAltName holds no dNSName")
		}
	}
	if len(problems) > 0 {
		return failf(lint.Error, "%s", strings.Join(problems, "; "))
	}
	return pass()
}

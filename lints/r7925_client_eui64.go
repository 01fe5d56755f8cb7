package lints

import (
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name: "e_r7925_client_eui64",
		Description: "A client end entity (one that is not a server in the sense of e_r7925_server_dns_in_san) must identify the device " +
			"by an EUI-64 in subjectAltName (a dNSName, rfc822Name or URI) or in the leftmost subject CN.",
		Citation: "RFC 7925 §4.4.2",
		Source:   RFC7925,
	}, role.EndEntitySet, func() lint.CertificateLintInterface { return &r7925ClientEUI64{} })
}

type r7925ClientEUI64 struct{}

func (l *r7925ClientEUI64) CheckApplies(c *x509.Certificate) bool {
	server, _, err := r7925Server(c)
	return !server || err != nil
}

func (l *r7925ClientEUI64) Execute(c *x509.Certificate) *lint.LintResult {
	found, err := r7925EUI64Candidates(c)
	if err != nil {
		return failf(lint.Error, "%v", err)
	}
	if len(found) > 0 {
		return pass()
	}
	if cn, ok := r7925LeftmostCN(c); ok {
		return failf(lint.Error, "neither subjectAltName nor the leftmost subject CN %q holds an EUI-64", cn)
	}
	return failf(lint.Error, "neither subjectAltName nor a subject CN holds an EUI-64")
}

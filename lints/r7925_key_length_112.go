package lints

import (
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name: "e_r7925_key_length_112",
		Description: "The subject public key must give at least 112-bit security, RFC 7925's minimum (RSA below 2048 bits or a curve below 224 bits fails). " +
			"Keys whose strength cannot be told are not judged here.",
		Citation: "RFC 7925 §20",
		Source:   RFC7925,
	}, role.AllSet, func() lint.CertificateLintInterface { return &r7925KeyLength112{} })
}

type r7925KeyLength112 struct{}

func (l *r7925KeyLength112) CheckApplies(c *x509.Certificate) bool {
	k, err := subjectPublicKey(c)
	if err != nil {
		return true
	}
	_, known := r7925SecurityBits(k)
	return known
}

func (l *r7925KeyLength112) Execute(c *x509.Certificate) *lint.LintResult {
	k, err := subjectPublicKey(c)
	if err != nil {
		return failf(lint.Error, "%v", err)
	}
	if bits, _ := r7925SecurityBits(k); bits < 112 {
		return failf(lint.Error, "%s, below RFC 7925's minimum of 112 bits", r7925SecurityDescription(k, bits))
	}
	return pass()
}

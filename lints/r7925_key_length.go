package lints

import (
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name: "n_r7925_key_length",
		Description: "RFC 7925's minimum of 112-bit security is superseded by the 128-bit minimum of the TLS/DTLS 1.3 IoT profile: " +
			"a key of at least 112-bit but less than 128-bit security (such as RSA-2048 or P-224) is noted.",
		Citation: "RFC 7925 §20",
		Source:   RFC7925,
	}, role.AllSet, func() lint.CertificateLintInterface { return &r7925KeyLength{} })
}

type r7925KeyLength struct{}

func (l *r7925KeyLength) CheckApplies(c *x509.Certificate) bool {
	k, err := subjectPublicKey(c)
	if err != nil {
		return false // e_r7925_table1_spki reports it
	}
	bits, known := r7925SecurityBits(k)
	return known && bits >= 112
}

func (l *r7925KeyLength) Execute(c *x509.Certificate) *lint.LintResult {
	k, err := subjectPublicKey(c)
	if err != nil {
		return failf(lint.Notice, "%v", err)
	}
	if bits, _ := r7925SecurityBits(k); bits < 128 {
		return failf(lint.Notice, "%s: enough for RFC 7925, below the 128 bits of draft-ietf-uta-tls13-iot-profile", r7925SecurityDescription(k, bits))
	}
	return pass()
}

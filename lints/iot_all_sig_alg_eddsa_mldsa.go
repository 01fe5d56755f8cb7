package lints

import (
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name: "w_iot_all_sig_alg_eddsa_mldsa",
		Description: "Ambiguity A8: the profile asks for ecdsa-with-SHA256 or a stronger RFC 5758 ECDSA variant and does not say whether Ed25519, Ed448 (RFC 8410) or ML-DSA count; " +
			"under the stricter reading a certificate signed with one of them does not conform, so it is flagged.",
		Citation: "draft-ietf-uta-tls13-iot-profile-23 §17.1.3",
		Source:   IoTTLS13,
	}, role.AllSet, func() lint.CertificateLintInterface { return &allSigAlgEdDSA{} })
}

type allSigAlgEdDSA struct{}

func (l *allSigAlgEdDSA) CheckApplies(c *x509.Certificate) bool { return true }

func (l *allSigAlgEdDSA) Execute(c *x509.Certificate) *lint.LintResult {
	if oid := c.SignatureAlgorithmOID; isA8SigAlgorithm(oid) {
		return failf(lint.Warn, "signature algorithm %s is not one of the ECDSA algorithms the profile names", sigAlgorithmName(oid))
	}
	return pass()
}

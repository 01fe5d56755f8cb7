package lints

import (
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name: "e_iot_all_sig_alg_ecdsa",
		Description: "The signature algorithm must be ecdsa-with-SHA256 or a stronger ECDSA variant of RFC 5758 (ecdsa-with-SHA384, ecdsa-with-SHA512); " +
			"RSA, RSA-PSS, DSA and ECDSA with SHA-1 or SHA-224 fail. Ambiguity A8: Ed25519, Ed448 and ML-DSA pass here and are flagged by w_iot_all_sig_alg_eddsa_mldsa.",
		Citation: "draft-ietf-uta-tls13-iot-profile-23 §17.1.3",
		Source:   IoTTLS13,
	}, role.AllSet, func() lint.CertificateLintInterface { return &allSigAlgECDSA{} })
}

type allSigAlgECDSA struct{}

func (l *allSigAlgECDSA) CheckApplies(c *x509.Certificate) bool { return true }

func (l *allSigAlgECDSA) Execute(c *x509.Certificate) *lint.LintResult {
	oid := c.SignatureAlgorithmOID
	if isECDSASHA2(oid) || isA8SigAlgorithm(oid) {
		return pass()
	}
	return failf(lint.Error, "signature algorithm %s is not ecdsa-with-SHA256, ecdsa-with-SHA384 or ecdsa-with-SHA512", sigAlgorithmName(oid))
}

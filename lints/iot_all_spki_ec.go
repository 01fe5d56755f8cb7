package lints

import (
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name: "e_iot_all_spki_ec",
		Description: "The subject public key must be an elliptic-curve key: algorithm id-ecPublicKey with a namedCurve parameter (RFC 5480); RSA, DSA and other keys fail. " +
			"Ambiguity A8: Ed25519, Ed448 and ML-DSA keys pass here and are flagged by w_iot_all_spki_eddsa_mldsa.",
		Citation: "draft-ietf-uta-tls13-iot-profile-23 §17.1.6",
		Source:   IoTTLS13,
	}, role.AllSet, func() lint.CertificateLintInterface { return &allSPKIEC{} })
}

type allSPKIEC struct{}

func (l *allSPKIEC) CheckApplies(c *x509.Certificate) bool { return true }

func (l *allSPKIEC) Execute(c *x509.Certificate) *lint.LintResult {
	k, err := subjectPublicKey(c)
	switch {
	case err != nil:
		return failf(lint.Error, "%v", err)
	case isA8Key(k):
		return pass()
	case !k.Algorithm.Equal(oidKeyEC):
		return failf(lint.Error, "public key is %s, not id-ecPublicKey", keyAlgorithmName(k))
	case k.Curve == nil:
		return failf(lint.Error, "public key is id-ecPublicKey without a namedCurve parameter")
	}
	return pass()
}

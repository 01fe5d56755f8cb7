package lints

import (
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name: "w_iot_all_spki_eddsa_mldsa",
		Description: "Ambiguity A8: the profile's subject public key is id-ecPublicKey with a named curve and it does not say whether Ed25519, Ed448 (RFC 8410) or ML-DSA keys are allowed; " +
			"under the stricter reading such a key does not conform, so it is flagged.",
		Citation: "draft-ietf-uta-tls13-iot-profile-23 §17.1.6",
		Source:   IoTTLS13,
	}, role.AllSet, func() lint.CertificateLintInterface { return &allSPKIEdDSA{} })
}

type allSPKIEdDSA struct{}

func (l *allSPKIEdDSA) CheckApplies(c *x509.Certificate) bool { return true }

func (l *allSPKIEdDSA) Execute(c *x509.Certificate) *lint.LintResult {
	k, err := subjectPublicKey(c)
	if err != nil {
		return failf(lint.Warn, "%v", err)
	}
	if isA8Key(k) {
		return failf(lint.Warn, "public key is %s, not an id-ecPublicKey key", a8KeyName(k))
	}
	return pass()
}

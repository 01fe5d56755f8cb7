package lints

import (
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name: "w_iot_all_key_strength_128",
		Description: "The subject public key should give at least 128 bits of security (P-256 or better, RSA-3072 or better), " +
			"up from the 112 bits of RFC 7925; keys of unknown strength are not judged.",
		Citation: "draft-ietf-uta-tls13-iot-profile-23 §15",
		Source:   IoTTLS13,
	}, role.AllSet, func() lint.CertificateLintInterface { return &allKeyStrength{} })
}

type allKeyStrength struct{}

// CheckApplies holds for keys whose strength is known, and for keys that
// do not decode (Execute reports those).
func (l *allKeyStrength) CheckApplies(c *x509.Certificate) bool {
	k, err := subjectPublicKey(c)
	return err != nil || securityBits(k) > 0
}

func (l *allKeyStrength) Execute(c *x509.Certificate) *lint.LintResult {
	k, err := subjectPublicKey(c)
	if err != nil {
		return failf(lint.Warn, "%v", err)
	}
	if bits := securityBits(k); bits < 128 {
		return failf(lint.Warn, "public key %s gives %d bits of security, less than 128", keyAlgorithmName(k), bits)
	}
	return pass()
}

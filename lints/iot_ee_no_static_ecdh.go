package lints

import (
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name: "e_iot_ee_no_static_ecdh",
		Description: "End-entity certificates must not certify a static Diffie-Hellman or ECDH key: a subject key of algorithm id-ecDH or id-ecMQV, " +
			"or a keyUsage asserting keyAgreement without digitalSignature, fails.",
		Citation: "draft-ietf-uta-tls13-iot-profile-23 §17.1.6",
		Source:   IoTTLS13,
	}, role.EndEntitySet, func() lint.CertificateLintInterface { return &eeNoStaticECDH{} })
}

type eeNoStaticECDH struct{}

func (l *eeNoStaticECDH) CheckApplies(c *x509.Certificate) bool { return true }

func (l *eeNoStaticECDH) Execute(c *x509.Certificate) *lint.LintResult {
	k, err := subjectPublicKey(c)
	switch {
	case err != nil:
		return failf(lint.Error, "%v", err)
	case k.Algorithm.Equal(oidKeyECDH), k.Algorithm.Equal(oidKeyECMQV):
		return failf(lint.Error, "public key algorithm is %s, a key-agreement-only (static ECDH) key", keyAlgorithmName(k))
	}
	if hasExtension(c, oidExtKeyUsage) && c.KeyUsage&x509.KeyUsageKeyAgreement != 0 && c.KeyUsage&x509.KeyUsageDigitalSignature == 0 {
		return failf(lint.Error, "keyUsage asserts keyAgreement without digitalSignature: a static (EC)DH key")
	}
	// Also a static DH key (dhpublicnumber, RFC 3279 §2.3.3).
	if k.Algorithm.Equal(oidKeyDH) {
		return failf(lint.Error, "public key algorithm is dhpublicnumber, a static Diffie-Hellman key")
	}
	return pass()
}

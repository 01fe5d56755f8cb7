package lints

import (
	"github.com/zmap/zcrypto/encoding/asn1"
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name: "e_iot_ee_ku_digsig",
		Description: "The keyUsage of an end-entity certificate for a signature key must assert digitalSignature. " +
			"Every key whose algorithm can sign is taken for a signature key (TLS 1.3 authenticates with signatures); id-ecDH, id-ecMQV, X25519 and X448 keys are not.",
		Citation: "draft-ietf-uta-tls13-iot-profile-23 §17.4.4",
		Source:   IoTTLS13,
	}, role.EndEntitySet, func() lint.CertificateLintInterface { return &eeKUDigSig{} })
}

type eeKUDigSig struct{}

func (l *eeKUDigSig) CheckApplies(c *x509.Certificate) bool {
	if !hasExtension(c, oidExtKeyUsage) {
		return false
	}
	k, err := subjectPublicKey(c)
	if err != nil {
		return true // Execute reports the undecodable key
	}
	for _, agreementOnly := range []asn1.ObjectIdentifier{oidKeyECDH, oidKeyECMQV, oidKeyX25519, oidKeyX448} {
		if k.Algorithm.Equal(agreementOnly) {
			return false
		}
	}
	return true
}

func (l *eeKUDigSig) Execute(c *x509.Certificate) *lint.LintResult {
	k, err := subjectPublicKey(c)
	if err != nil {
		return failf(lint.Error, "cannot decode the key: %v", err)
	}
	if c.KeyUsage&x509.KeyUsageDigitalSignature == 0 {
		return failf(lint.Error, "keyUsage of the %s signature key does not assert digitalSignature", keyAlgorithmName(k))
	}
	return pass()
}

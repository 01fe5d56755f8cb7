package lints

import (
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name: "e_iot_ee_ku_eku_consistent",
		Description: "An end entity with both keyUsage and extendedKeyUsage must have at least one purpose consistent with both: " +
			"some key purpose of the extendedKeyUsage must share a keyUsage bit with the bits RFC 5280 lists as consistent with it " +
			"(serverAuth: digitalSignature, keyEncipherment, keyAgreement; clientAuth: digitalSignature, keyAgreement; codeSigning: digitalSignature; " +
			"emailProtection: digitalSignature, nonRepudiation, keyEncipherment, keyAgreement; timeStamping and OCSPSigning: digitalSignature, nonRepudiation). " +
			"Further bits do not make a certificate inconsistent, and a key purpose RFC 5280 does not list (or anyExtendedKeyUsage) may be consistent with any bit.",
		Citation: "RFC 5280 §4.2.1.12; RFC 5480 §3",
		Source:   IoTTLS13,
	}, role.EndEntitySet, func() lint.CertificateLintInterface { return &eeKUEKUConsistent{} })
}

// eeKUEKUConsistent replaces zlint's e_key_usage_and_extended_key_usage_inconsistent
// in the IoT profiles.
//
// RFC 5280 §4.2.1.12: "If a certificate contains both a key usage extension
// and an extended key usage extension, then both extensions MUST be
// processed independently and the certificate MUST only be used for a
// purpose consistent with both extensions. If there is no purpose
// consistent with both extensions, then the certificate MUST NOT be used
// for any purpose." Only the last case is an error in the certificate;
// zlint's lint instead requires the keyUsage to be exactly one of the
// combinations it lists for the key purposes, and so rejects, for example,
// digitalSignature + nonRepudiation (+ keyAgreement) with clientAuth, where
// digitalSignature is consistent with clientAuth. RFC 5480 §3 allows
// digitalSignature, nonRepudiation and keyAgreement together on an
// id-ecPublicKey key.
type eeKUEKUConsistent struct{}

// kuConsistentWith are the keyUsage bits RFC 5280 §4.2.1.12 lists as
// possibly consistent with each key purpose it defines.
var kuConsistentWith = map[string]x509.KeyUsage{
	"1.3.6.1.5.5.7.3.1": x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment | x509.KeyUsageKeyAgreement,                                  // serverAuth
	"1.3.6.1.5.5.7.3.2": x509.KeyUsageDigitalSignature | x509.KeyUsageKeyAgreement,                                                                 // clientAuth
	"1.3.6.1.5.5.7.3.3": x509.KeyUsageDigitalSignature,                                                                                             // codeSigning
	"1.3.6.1.5.5.7.3.4": x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment | x509.KeyUsageKeyEncipherment | x509.KeyUsageKeyAgreement, // emailProtection
	"1.3.6.1.5.5.7.3.8": x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment,                                                            // timeStamping
	"1.3.6.1.5.5.7.3.9": x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment,                                                            // OCSPSigning
}

func (l *eeKUEKUConsistent) CheckApplies(c *x509.Certificate) bool {
	return hasExtension(c, oidExtKeyUsage) && hasExtension(c, oidExtExtendedKeyUsage)
}

func (l *eeKUEKUConsistent) Execute(c *x509.Certificate) *lint.LintResult {
	purposes, _, err := extKeyUsages(c)
	if err != nil {
		return failf(lint.Error, "extendedKeyUsage does not decode: %v", err)
	}
	for _, p := range purposes {
		bits, listed := kuConsistentWith[p.String()]
		if !listed || c.KeyUsage&bits != 0 {
			return pass() // a purpose consistent with both extensions
		}
	}
	return failf(lint.Error, "no purpose is consistent with both keyUsage (%s) and extendedKeyUsage (%s)", keyUsageBits(c.KeyUsage), ekuNames(purposes))
}

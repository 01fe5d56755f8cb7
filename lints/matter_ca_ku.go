package lints

import (
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name:        "e_matter_ca_ku",
		Description: "The keyUsage of a Matter PAA or PAI must assert keyCertSign and cRLSign; digitalSignature is the only other bit allowed.",
		Citation:    "CSA Matter Core Specification §6.2.2; connectedhomeip src/crypto/CHIPCryptoPALOpenSSL.cpp VerifyAttestationCertificateFormat",
		Source:      Matter,
	}, role.RootSet|role.SubordinateSet, funcLint(caHas(oidExtKeyUsage), matterCAKU))
}

func matterCAKU(c *x509.Certificate) *lint.LintResult {
	const need = x509.KeyUsageCertSign | x509.KeyUsageCRLSign
	if c.KeyUsage&need != need || c.KeyUsage&^(need|x509.KeyUsageDigitalSignature) != 0 {
		return failf(lint.Error, "keyUsage asserts %s; a PAA or PAI must assert keyCertSign and cRLSign, and may add only digitalSignature", keyUsageBits(c.KeyUsage))
	}
	return pass()
}

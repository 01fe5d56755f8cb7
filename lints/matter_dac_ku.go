package lints

import (
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name:        "e_matter_dac_ku",
		Description: "A Matter DAC's keyUsage must assert digitalSignature and no other bit.",
		Citation:    "CSA Matter Core Specification §6.2.2; connectedhomeip src/crypto/CHIPCryptoPALOpenSSL.cpp VerifyAttestationCertificateFormat",
		Source:      Matter,
	}, role.EndEntitySet, funcLint(caHas(oidExtKeyUsage), matterDACKU))
}

func matterDACKU(c *x509.Certificate) *lint.LintResult {
	if c.KeyUsage != x509.KeyUsageDigitalSignature {
		return failf(lint.Error, "keyUsage asserts %s; a DAC must assert digitalSignature only", keyUsageBits(c.KeyUsage))
	}
	return pass()
}

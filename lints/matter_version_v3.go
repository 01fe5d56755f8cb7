package lints

import (
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name:        "e_matter_version_v3",
		Description: "Matter attestation certificates (PAA, PAI, DAC) must be X.509 version 3 certificates.",
		Citation:    "CSA Matter Core Specification §6.2.2; connectedhomeip src/crypto/CHIPCryptoPALOpenSSL.cpp VerifyAttestationCertificateFormat",
		Source:      Matter,
	}, role.RootSet|role.SubordinateSet|role.EndEntitySet, funcLint(nil, matterVersionV3))
}

func matterVersionV3(c *x509.Certificate) *lint.LintResult {
	if c.Version != 3 {
		return failf(lint.Error, "certificate is version %d, not 3", c.Version)
	}
	return pass()
}

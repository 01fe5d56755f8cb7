package lints

import (
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name:        "e_matter_akid",
		Description: "A Matter PAI or DAC must carry one non-critical authorityKeyIdentifier whose keyIdentifier is 20 octets; in a PAA it is optional, but checked the same way when present.",
		Citation:    "CSA Matter Core Specification §6.2.2; connectedhomeip src/crypto/CHIPCryptoPALOpenSSL.cpp VerifyAttestationCertificateFormat",
		Source:      Matter,
	}, role.RootSet|role.SubordinateSet|role.EndEntitySet, funcLint(matterAKIDApplies, matterAKID))
}

func matterAKIDApplies(c *x509.Certificate) bool {
	return role.Of(c) != role.Root || hasExtension(c, oidExtAuthorityKeyID)
}

func matterAKID(c *x509.Certificate) *lint.LintResult {
	return matterKeyID(c, oidExtAuthorityKeyID, "authorityKeyIdentifier")
}

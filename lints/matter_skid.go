package lints

import (
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name:        "e_matter_skid",
		Description: "Matter attestation certificates (the DAC included) must carry one non-critical subjectKeyIdentifier of 20 octets.",
		Citation:    "CSA Matter Core Specification §6.2.2; connectedhomeip src/crypto/CHIPCryptoPALOpenSSL.cpp VerifyAttestationCertificateFormat",
		Source:      Matter,
	}, role.RootSet|role.SubordinateSet|role.EndEntitySet, funcLint(nil, matterSKID))
}

func matterSKID(c *x509.Certificate) *lint.LintResult {
	return matterKeyID(c, oidExtSubjectKeyID, "subjectKeyIdentifier")
}

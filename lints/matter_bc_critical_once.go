package lints

import (
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name:        "e_matter_bc_critical_once",
		Description: "Matter attestation certificates must carry exactly one basicConstraints extension, marked critical.",
		Citation:    "CSA Matter Core Specification §6.2.2; connectedhomeip src/crypto/CHIPCryptoPALOpenSSL.cpp VerifyAttestationCertificateFormat",
		Source:      Matter,
	}, role.RootSet|role.SubordinateSet|role.EndEntitySet, funcLint(nil, matterBCCriticalOnce))
}

func matterBCCriticalOnce(c *x509.Certificate) *lint.LintResult {
	return matterOnceCritical(c, oidExtBasicConstraints, "basicConstraints")
}

package lints

import (
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name:        "e_matter_paa_bc",
		Description: "A Matter PAA's basicConstraints must say cA=TRUE, with pathLenConstraint absent or 1.",
		Citation:    "CSA Matter Core Specification §6.2.2; connectedhomeip src/crypto/CHIPCryptoPALOpenSSL.cpp VerifyAttestationCertificateFormat (\"Matter 1.1 spec 6.2.2.5\")",
		Source:      Matter,
	}, role.RootSet, funcLint(caHas(oidExtBasicConstraints), matterPAABC))
}

func matterPAABC(c *x509.Certificate) *lint.LintResult {
	ca, pathLen, err := basicConstraints(extension(c, oidExtBasicConstraints))
	switch {
	case err != nil:
		return failf(lint.Error, "%v", err)
	case !ca:
		return failf(lint.Error, "basicConstraints has cA=FALSE")
	case pathLen >= 0 && pathLen != 1:
		return failf(lint.Error, "basicConstraints has pathLenConstraint %d; a PAA must have none or 1", pathLen)
	}
	return pass()
}

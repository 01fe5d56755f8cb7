package lints

import (
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name:        "e_matter_pai_bc",
		Description: "A Matter PAI's basicConstraints must say cA=TRUE with pathLenConstraint present and 0.",
		Citation:    "CSA Matter Core Specification §6.2.2; connectedhomeip src/crypto/CHIPCryptoPALOpenSSL.cpp VerifyAttestationCertificateFormat",
		Source:      Matter,
	}, role.SubordinateSet, funcLint(caHas(oidExtBasicConstraints), matterPAIBC))
}

func matterPAIBC(c *x509.Certificate) *lint.LintResult {
	ca, pathLen, err := basicConstraints(extension(c, oidExtBasicConstraints))
	switch {
	case err != nil:
		return failf(lint.Error, "%v", err)
	case !ca:
		return failf(lint.Error, "basicConstraints has cA=FALSE")
	case pathLen < 0:
		return failf(lint.Error, "basicConstraints has no pathLenConstraint; a PAI must have 0")
	case pathLen != 0:
		return failf(lint.Error, "basicConstraints has pathLenConstraint %d; a PAI must have 0", pathLen)
	}
	return pass()
}

package lints

import (
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name:        "e_matter_dac_bc",
		Description: "A Matter DAC's basicConstraints must say cA=FALSE and carry no pathLenConstraint.",
		Citation:    "CSA Matter Core Specification §6.2.2; connectedhomeip src/crypto/CHIPCryptoPALOpenSSL.cpp VerifyAttestationCertificateFormat",
		Source:      Matter,
	}, role.EndEntitySet, funcLint(caHas(oidExtBasicConstraints), matterDACBC))
}

func matterDACBC(c *x509.Certificate) *lint.LintResult {
	ca, pathLen, err := basicConstraints(extension(c, oidExtBasicConstraints))
	switch {
	case err != nil:
		return failf(lint.Error, "%v", err)
	case ca:
		return failf(lint.Error, "basicConstraints has cA=TRUE")
	case pathLen >= 0:
		return failf(lint.Error, "basicConstraints has pathLenConstraint %d", pathLen)
	}
	return pass()
}

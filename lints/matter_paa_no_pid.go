package lints

import (
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/matter"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name:        "e_matter_paa_no_pid",
		Description: "A Matter PAA's subject must not carry a product ID; its vendor ID is optional.",
		Citation:    "CSA Matter Core Specification §6.2.2.3; connectedhomeip src/credentials/attestation_verifier/DefaultDeviceAttestationVerifier.cpp VerifyAttestationInformation (kPaaFormatInvalid)",
		Source:      Matter,
	}, role.RootSet, funcLint(nil, matterPAANoPID))
}

func matterPAANoPID(c *x509.Certificate) *lint.LintResult {
	if ids := matter.DNIDs(c.Subject.Names); ids.HasPID {
		return failf(lint.Error, "the subject carries product ID %q", ids.PID)
	}
	return pass()
}

package lints

import (
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/matter"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name:        "e_matter_pai_vid",
		Description: "A Matter PAI's subject must carry a vendor ID; its product ID is optional.",
		Citation:    "CSA Matter Core Specification §6.2.2.3; connectedhomeip src/credentials/attestation_verifier/DefaultDeviceAttestationVerifier.cpp VerifyAttestationInformation (kPaiVendorIdMismatch)",
		Source:      Matter,
	}, role.SubordinateSet, funcLint(nil, matterPAIVID))
}

func matterPAIVID(c *x509.Certificate) *lint.LintResult {
	if !matter.DNIDs(c.Subject.Names).HasVID {
		return failf(lint.Error, "the subject carries no vendor ID")
	}
	return pass()
}

package lints

import (
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/matter"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name:        "e_matter_dac_vid_pid",
		Description: "A Matter DAC's subject must carry both a vendor ID and a product ID (as Matter attributes, or else in the legacy commonName encoding).",
		Citation:    "CSA Matter Core Specification §6.2.2.3; connectedhomeip src/credentials/attestation_verifier/DefaultDeviceAttestationVerifier.cpp VerifyAttestationInformation (kDacVendorIdMismatch, kDacProductIdMismatch)",
		Source:      Matter,
	}, role.EndEntitySet, funcLint(nil, matterDACVIDPID))
}

func matterDACVIDPID(c *x509.Certificate) *lint.LintResult {
	ids := matter.DNIDs(c.Subject.Names)
	switch {
	case !ids.HasVID && !ids.HasPID:
		return failf(lint.Error, "the subject carries neither a vendor ID nor a product ID")
	case !ids.HasVID:
		return failf(lint.Error, "the subject carries no vendor ID")
	case !ids.HasPID:
		return failf(lint.Error, "the subject carries no product ID")
	}
	return pass()
}

package lints

import (
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/matter"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name:        "e_matter_subject_issuer_vid",
		Description: "The vendor ID and product ID in the subject of a Matter PAI or DAC must equal those its issuer DN carries (the PAI's VID equals the PAA's when the PAA has one; the DAC's VID equals the PAI's, and its PID the PAI's when the PAI has one).",
		Citation:    "CSA Matter Core Specification §6.2.3.1; connectedhomeip src/credentials/attestation_verifier/DefaultDeviceAttestationVerifier.cpp VerifyAttestationInformation (kDacVendorIdMismatch, kDacProductIdMismatch, kPaiVendorIdMismatch)",
		Source:      Matter,
	}, role.SubordinateSet|role.EndEntitySet, funcLint(nil, matterSubjectIssuerVID))
}

func matterSubjectIssuerVID(c *x509.Certificate) *lint.LintResult {
	subj, iss := matter.DNIDs(c.Subject.Names), matter.DNIDs(c.Issuer.Names)
	if iss.HasVID && !subj.HasVID {
		return failf(lint.Error, "the subject has no vendor ID; the issuer's is %q", iss.VID)
	}
	if iss.HasPID && !subj.HasPID {
		return failf(lint.Error, "the subject has no product ID; the issuer's is %q", iss.PID)
	}
	if iss.HasVID && subj.VID != iss.VID {
		return failf(lint.Error, "the subject's vendor ID %q differs from the issuer's %q", subj.VID, iss.VID)
	}
	if iss.HasPID && subj.PID != iss.PID {
		return failf(lint.Error, "the subject's product ID %q differs from the issuer's %q", subj.PID, iss.PID)
	}
	return pass()
}

package lints

import (
	"time"

	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	registerCALint(lint.LintMetadata{
		Name:        "n_matter_dac_current",
		Description: "The DAC is not valid at the time of the check (its notBefore is in the future or its notAfter has passed): a commissioner's attestation verifier rejects it (kDacExpired) when it knows the current time. notAfter 99991231235959Z never expires.",
		Citation:    "CSA Matter Core Specification §6.2.3.1; connectedhomeip src/credentials/attestation_verifier/DefaultDeviceAttestationVerifier.cpp (kDacExpired)",
		Source:      Matter,
	}, role.EndEntitySet, matterDACNotCurrent, matterDACCurrent)
}

// matterNow is the time the DAC's validity is compared with.
var matterNow = time.Now

func matterDACNotCurrent(c *x509.Certificate) bool {
	now := matterNow()
	return now.Before(c.NotBefore) || now.After(c.NotAfter)
}

func matterDACCurrent(c *x509.Certificate) *lint.LintResult {
	now := matterNow().UTC().Format(time.RFC3339)
	if matterNow().Before(c.NotBefore) {
		return failf(lint.Notice, "the DAC is not valid yet at %s (notBefore %s)", now, c.NotBefore.UTC().Format(time.RFC3339))
	}
	return failf(lint.Notice, "the DAC has expired at %s (notAfter %s)", now, c.NotAfter.UTC().Format(time.RFC3339))
}

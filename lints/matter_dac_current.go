package lints

import (
	"time"

	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name:        "n_matter_dac_current",
		Description: "The DAC is not valid at the time of the check (now, or --at: its notBefore is later or its notAfter has passed): a commissioner's attestation verifier rejects it (kDacExpired) when it knows the current time. notAfter 99991231235959Z never expires.",
		Citation:    "CSA Matter Core Specification §6.2.3.1; connectedhomeip src/credentials/attestation_verifier/DefaultDeviceAttestationVerifier.cpp (kDacExpired)",
		Source:      Matter,
	}, role.EndEntitySet, func() lint.CertificateLintInterface { return &matterDACCurrent{} })
}

type matterDACCurrent struct{ clock }

func (l *matterDACCurrent) CheckApplies(c *x509.Certificate) bool {
	now := l.now()
	return now.Before(c.NotBefore) || now.After(c.NotAfter)
}

func (l *matterDACCurrent) Execute(c *x509.Certificate) *lint.LintResult {
	now := l.now()
	if now.Before(c.NotBefore) {
		return failf(lint.Notice, "the DAC is not valid yet at %s (notBefore %s)", now.UTC().Format(time.RFC3339), c.NotBefore.UTC().Format(time.RFC3339))
	}
	return failf(lint.Notice, "the DAC has expired at %s (notAfter %s)", now.UTC().Format(time.RFC3339), c.NotAfter.UTC().Format(time.RFC3339))
}

package lints

import (
	"time"

	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name: "n_devid_notbefore_issuance",
		Description: "The notBefore of a TCG IDevID is the time it was issued. The issuance time is not on the certificate, " +
			"so the lint can only report a notBefore that lies in the future (of the time of the check: now, or --at), which cannot be an issuance time.",
		Citation: "TCG TPM 2.0 Keys for Device Identity and Attestation v1.00, DevID certificate fields (validity notBefore)",
		Source:   TCGDevID,
	}, role.IDevIDSet, func() lint.CertificateLintInterface { return &devidNotBeforeIssuance{} })
}

type devidNotBeforeIssuance struct{ clock }

func (l *devidNotBeforeIssuance) CheckApplies(c *x509.Certificate) bool { return true }

func (l *devidNotBeforeIssuance) Execute(c *x509.Certificate) *lint.LintResult {
	if c.NotBefore.After(l.now()) {
		return failf(lint.Notice, "notBefore %s is in the future, so it is not the time the IDevID was issued", c.NotBefore.UTC().Format(time.RFC3339))
	}
	return pass()
}

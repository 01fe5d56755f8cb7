package lints

import (
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name:        "e_devid_cert_policy",
		Description: "An IDevID under the TCG device identity profile must carry a certificatePolicies extension.",
		Citation:    "TCG TPM 2.0 Keys for Device Identity and Attestation v1.00, DevID certificate fields (certificatePolicies)",
		Source:      TCGDevID,
	}, role.IDevIDSet, func() lint.CertificateLintInterface { return &devidCertPolicy{} })
}

type devidCertPolicy struct{}

func (l *devidCertPolicy) CheckApplies(c *x509.Certificate) bool { return true }

func (l *devidCertPolicy) Execute(c *x509.Certificate) *lint.LintResult {
	if !hasExtension(c, oidExtCertPolicies) {
		return failf(lint.Error, "certificatePolicies is absent")
	}
	return pass()
}

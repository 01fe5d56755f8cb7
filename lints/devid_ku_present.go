package lints

import (
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name: "w_devid_ku_present",
		Description: "An IEEE 802.1AR device identity should carry a keyUsage extension. " +
			"Ambiguity A5: RFC 8995 recommends no key usage restrictions in IDevIDs (w_brski_no_ku_restriction), the TLS 1.3 IoT profile requires a critical keyUsage with digitalSignature.",
		Citation: "IEEE 802.1AR-2018 §8.10.3 (via RFC 8995 §2.3)",
		Source:   IEEE8021AR,
	}, role.IDevIDSet|role.LDevIDSet, func() lint.CertificateLintInterface { return &devidKUPresent{} })
}

type devidKUPresent struct{}

func (l *devidKUPresent) CheckApplies(c *x509.Certificate) bool { return true }

func (l *devidKUPresent) Execute(c *x509.Certificate) *lint.LintResult {
	if !hasExtension(c, oidExtKeyUsage) {
		return failf(lint.Warn, "keyUsage is absent")
	}
	return pass()
}

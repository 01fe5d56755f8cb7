package lints

import (
	"strings"

	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name: "w_devid_tcg_eku",
		Description: "The extendedKeyUsage of a TPM-resident IDevID should hold a TCG key purpose: tcg-cap-verifiedTPMResidency, tcg-cap-verifiedTPMFixed or tcg-cap-verifiedTPMRestricted (2.23.133.11.1.1-3). " +
			"Ambiguity A6: IEEE 802.1AR, RFC 8995 and the TLS 1.3 IoT profile say an IDevID should carry no extendedKeyUsage.",
		Citation: "TCG TPM 2.0 Keys for Device Identity and Attestation v1.00, IDevID certificate fields (extendedKeyUsage)",
		Source:   TCGDevID,
	}, role.IDevIDSet, func() lint.CertificateLintInterface { return &devidTCGEKU{} })
}

type devidTCGEKU struct{}

func (l *devidTCGEKU) CheckApplies(c *x509.Certificate) bool { return true }

func (l *devidTCGEKU) Execute(c *x509.Certificate) *lint.LintResult {
	if !hasExtension(c, oidExtExtendedKeyUsage) {
		return failf(lint.Warn, "extendedKeyUsage is absent")
	}
	purposes, _, err := extKeyUsages(c)
	if err != nil {
		return failf(lint.Warn, "%v", err)
	}
	var found []string
	for _, p := range purposes {
		for _, k := range devidTCGKeyPurposes {
			if p.Equal(k.oid) {
				return pass()
			}
		}
		found = append(found, p.String())
	}
	if len(found) == 0 {
		return failf(lint.Warn, "extendedKeyUsage holds no key purpose")
	}
	return failf(lint.Warn, "extendedKeyUsage holds %s and no TCG key purpose (2.23.133.11.1.1, .2 or .3)", strings.Join(found, ", "))
}

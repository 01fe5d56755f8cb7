package lints

import (
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name: "w_iot_idevid_no_eku",
		Description: "IDevID certificates should not carry an extendedKeyUsage extension, as it reduces the utility of the IDevID. " +
			"Ambiguity A6: the TCG device identity profile instead wants a tcg-kp key purpose; this lint follows the IoT profile and IEEE 802.1AR.",
		Citation: "draft-ietf-uta-tls13-iot-profile-23 §17.4.4 (IEEE 802.1AR)",
		Source:   IoTTLS13,
	}, role.IDevIDSet, func() lint.CertificateLintInterface { return &idevidNoEKU{} })
}

type idevidNoEKU struct{}

func (l *idevidNoEKU) CheckApplies(c *x509.Certificate) bool { return true }

func (l *idevidNoEKU) Execute(c *x509.Certificate) *lint.LintResult {
	oids, present, err := extKeyUsages(c)
	switch {
	case err != nil:
		return failf(lint.Warn, "extendedKeyUsage is present and does not decode: %v", err)
	case present:
		return failf(lint.Warn, "extendedKeyUsage is present (%s)", ekuNames(oids))
	}
	return pass()
}

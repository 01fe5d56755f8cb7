package lints

import (
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name: "w_devid_san_present",
		Description: "An IDevID should carry a subjectAltName extension, typically with a HardwareModuleName naming the hardware module (such as a TPM) that holds its key. " +
			"Under the IoT profile's 802.1AR variants (idevid-8021ar, brski-idevid) it is a notice: draft-ietf-uta-tls13-iot-profile-23 §17.4.1 makes the subjectAltName optional and does not follow this recommendation.",
		Citation: "IEEE 802.1AR-2018 §8.10.4",
		Source:   IEEE8021AR,
	}, role.IDevIDSet, func() lint.CertificateLintInterface { return &devidSANPresent{} })
}

type devidSANPresent struct{}

func (l *devidSANPresent) CheckApplies(c *x509.Certificate) bool { return true }

func (l *devidSANPresent) Execute(c *x509.Certificate) *lint.LintResult {
	if !hasExtension(c, oidExtSubjectAltName) {
		return failf(lint.Warn, "subjectAltName is absent")
	}
	return pass()
}

package lints

import (
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name:        "w_iot_all_serial_entropy_64bit",
		Description: "The serial number should contain at least 64 bits of output from a CSPRNG; a serial number shorter than 8 octets (not counting a leading sign octet) cannot, so it is flagged.",
		Citation:    "draft-ietf-uta-tls13-iot-profile-23 §17.1.2",
		Source:      IoTTLS13,
	}, role.AllSet, func() lint.CertificateLintInterface { return &allSerialEntropy{} })
}

type allSerialEntropy struct{}

func (l *allSerialEntropy) CheckApplies(c *x509.Certificate) bool { return true }

func (l *allSerialEntropy) Execute(c *x509.Certificate) *lint.LintResult {
	if c.SerialNumber == nil {
		return failf(lint.Warn, "serial number is missing")
	}
	// big.Int.Bytes is the magnitude without a sign octet.
	if n := len(c.SerialNumber.Bytes()); n < 8 {
		return failf(lint.Warn, "serial number %s is %d octets long, too short to hold 64 random bits", c.SerialNumber.Text(16), n)
	}
	return pass()
}

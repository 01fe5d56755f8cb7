package lints

import (
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name: "w_iot_all_serial_entropy_64bit",
		Description: "The serial number should contain at least 64 bits of output from a CSPRNG. A serial number below 2^48 " +
			"(fewer than 7 octets after the DER sign octet) is flagged: a value of 64 or more random bits is that small only once in 65,536 certificates, " +
			"whereas a 7-octet serial is what a correct 64-bit generator gives once in 256 (a leading zero octet) and is not flagged.",
		Citation: "draft-ietf-uta-tls13-iot-profile-23 §17.1.2",
		Source:   IoTTLS13,
	}, role.AllSet, func() lint.CertificateLintInterface { return &allSerialEntropy{} })
}

// minSerialBits is the bit length below which a serial number is taken
// not to hold 64 random bits.
//
// One serial number cannot prove how it was made; the lint is a test with
// a false-alarm rate. If the serial holds n >= 64 uniformly random bits (the
// draft allows a counter or other data beside them, which only makes it
// longer), its magnitude is below 2^k with probability at most 2^(k-64).
// Flagging every serial of fewer than 8 octets (k = 56) would warn on one
// certificate in 256 of a correct generator: those whose first random
// octet is zero, which DER drops. k = 48 warns on one in 65,536 of them,
// and still flags every serial of a generator of 48 bits or fewer (a
// counter, a timestamp, 32 random bits). A generator of 49 to 63 bits
// cannot be told from a correct one by a single certificate.
const minSerialBits = 49

type allSerialEntropy struct{}

func (l *allSerialEntropy) CheckApplies(c *x509.Certificate) bool { return true }

func (l *allSerialEntropy) Execute(c *x509.Certificate) *lint.LintResult {
	if c.SerialNumber == nil {
		return failf(lint.Warn, "serial number is missing")
	}
	// big.Int.Bytes is the magnitude without a sign octet.
	if c.SerialNumber.BitLen() < minSerialBits {
		return failf(lint.Warn, "serial number %s is %d octets long (%d bits), too short to hold 64 random bits", c.SerialNumber.Text(16), len(c.SerialNumber.Bytes()), c.SerialNumber.BitLen())
	}
	return pass()
}

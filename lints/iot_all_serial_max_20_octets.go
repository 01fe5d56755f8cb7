package lints

import (
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name:        "e_iot_all_serial_max_20_octets",
		Description: "The serial number must not be longer than 20 octets; this restates RFC 5280 §4.1.2.2 and runs zlint's e_serial_number_longer_than_20_octets.",
		Citation:    "draft-ietf-uta-tls13-iot-profile-23 §17.1.2",
		Source:      IoTTLS13,
	}, role.AllSet, zlintDelegate(lint.Error, serialAtMost20Octets, "e_serial_number_longer_than_20_octets"))
}

// serialAtMost20Octets is the fast path of e_iot_all_serial_max_20_octets:
// a non-negative serial number of at most 159 bits is at most 20 octets
// in DER (a 160-bit one needs a leading zero octet), which zlint's lint
// passes.
func serialAtMost20Octets(c *x509.Certificate) bool {
	return c.SerialNumber != nil && c.SerialNumber.Sign() >= 0 && c.SerialNumber.BitLen() <= 159
}

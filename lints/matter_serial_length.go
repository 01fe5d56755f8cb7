package lints

import (
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name:        "e_matter_serial_length",
		Description: "The serial number of a Matter attestation certificate must be at most 20 octets, the SDK's kMaxCertificateSerialNumberLength: ExtractSerialNumberFromX509Cert fails on a longer one, and with it the DAC revocation check. (VerifyAttestationCertificateFormat itself only requires a serial number; RFC 5280 §4.1.2.2 sets the same 20-octet limit.)",
		Citation:    "connectedhomeip src/crypto/CHIPCryptoPAL.h kMaxCertificateSerialNumberLength, ExtractSerialNumberFromX509Cert; RFC 5280 §4.1.2.2",
		Source:      Matter,
	}, role.RootSet|role.SubordinateSet|role.EndEntitySet, funcLint(nil, matterSerialLength))
}

func matterSerialLength(c *x509.Certificate) *lint.LintResult {
	if c.SerialNumber == nil {
		return failf(lint.Error, "serial number is absent")
	}
	b := c.SerialNumber.Bytes() // magnitude; DER adds a 0x00 when the top bit is set
	n := len(b)
	if n == 0 || b[0]&0x80 != 0 {
		n++
	}
	if n > 20 {
		return failf(lint.Error, "serial number is %d octets long; the Matter SDK accepts at most 20", n)
	}
	return pass()
}

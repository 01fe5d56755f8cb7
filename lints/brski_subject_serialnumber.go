package lints

import (
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name: "e_brski_subject_serialnumber",
		Description: "The subject of a BRSKI pledge's IDevID must include a serialNumber (2.5.4.5) attribute with the device's unique serial number. " +
			"Ambiguity A18: RFC 8995 makes it a MUST where IEEE 802.1AR only encourages it (w_devid_subject_serialnumber).",
		Citation: "RFC 8995 §5, §2.3.1",
		Source:   RFC8995,
	}, role.IDevIDSet, func() lint.CertificateLintInterface { return &brskiSubjectSerialNumber{} })
}

type brskiSubjectSerialNumber struct{}

func (l *brskiSubjectSerialNumber) CheckApplies(c *x509.Certificate) bool { return true }

func (l *brskiSubjectSerialNumber) Execute(c *x509.Certificate) *lint.LintResult {
	return devidCheckSerialNumber(c, lint.Error)
}

package lints

import (
	"strings"

	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name: "w_devid_subject_serialnumber",
		Description: "The subject of an IDevID should include a serialNumber (2.5.4.5) attribute holding the device's serial number. " +
			"Ambiguity A18: IEEE 802.1AR only encourages it; RFC 8995 makes it a MUST for BRSKI pledges (e_brski_subject_serialnumber).",
		Citation: "IEEE 802.1AR-2018 §8.6 (via RFC 8995 §2.3.1)",
		Source:   IEEE8021AR,
	}, role.IDevIDSet, func() lint.CertificateLintInterface { return &devidSubjectSerialNumber{} })
}

type devidSubjectSerialNumber struct{}

func (l *devidSubjectSerialNumber) CheckApplies(c *x509.Certificate) bool { return true }

func (l *devidSubjectSerialNumber) Execute(c *x509.Certificate) *lint.LintResult {
	return devidCheckSerialNumber(c, lint.Warn)
}

// devidCheckSerialNumber fails with status unless the subject of c has a
// non-empty serialNumber attribute.
func devidCheckSerialNumber(c *x509.Certificate, status lint.LintStatus) *lint.LintResult {
	values := subjectStrings(c, oidAttrSerialNumber)
	if len(values) == 0 {
		return failf(status, "subject has no serialNumber (2.5.4.5) attribute")
	}
	for _, v := range values {
		if strings.TrimSpace(v) == "" {
			return failf(status, "subject serialNumber attribute is empty")
		}
	}
	return pass()
}

package lints

import (
	"github.com/zmap/zcrypto/encoding/asn1"
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name:        "e_iot_ee_serial_attr_printable",
		Description: "A device serial number in the subject of an end-entity certificate must be an X520SerialNumber attribute (2.5.4.5), which is a PrintableString.",
		Citation:    "draft-ietf-uta-tls13-iot-profile-23 §17.4.1 (RFC 5280 Appendix A.1)",
		Source:      IoTTLS13,
	}, role.EndEntitySet, func() lint.CertificateLintInterface { return &eeSerialAttrPrintable{} })
}

type eeSerialAttrPrintable struct{}

func (l *eeSerialAttrPrintable) CheckApplies(c *x509.Certificate) bool {
	return subjectHas(c, oidAttrSerialNumber)
}

func (l *eeSerialAttrPrintable) Execute(c *x509.Certificate) *lint.LintResult {
	attrs, err := subjectAttributes(c)
	if err != nil {
		return failf(lint.Error, "cannot decode the subject: %v", err)
	}
	for _, a := range attrs {
		if !a.Type.Equal(oidAttrSerialNumber) {
			continue
		}
		if a.Value.Class != asn1.ClassUniversal || a.Value.Tag != asn1.TagPrintableString {
			return failf(lint.Error, "subject serialNumber %q is encoded as %s, not PrintableString", a.Value.Bytes, asn1TagName(a.Value.Class, a.Value.Tag))
		}
	}
	return pass()
}

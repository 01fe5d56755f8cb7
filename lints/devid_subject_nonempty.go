package lints

import (
	"github.com/zmap/zcrypto/encoding/asn1"
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name:        "e_devid_subject_nonempty",
		Description: "The subject of an IEEE 802.1AR device identity (IDevID or LDevID) must not be an empty distinguished name.",
		Citation:    "IEEE 802.1AR-2018 §8.6 (via draft-ietf-uta-tls13-iot-profile-23 §17.4.1)",
		Source:      IEEE8021AR,
	}, role.IDevIDSet|role.LDevIDSet, func() lint.CertificateLintInterface { return &devidSubjectNonempty{} })
}

type devidSubjectNonempty struct{}

func (l *devidSubjectNonempty) CheckApplies(c *x509.Certificate) bool { return true }

func (l *devidSubjectNonempty) Execute(c *x509.Certificate) *lint.LintResult {
	_, content, ok := firstElement(c.RawSubject)
	if !ok {
		var subject asn1.RawValue
		if _, err := asn1.Unmarshal(c.RawSubject, &subject); err != nil {
			return failf(lint.Error, "subject does not decode: %v", err)
		}
		content = subject.Bytes
	}
	if len(content) == 0 {
		return failf(lint.Error, "subject is an empty sequence")
	}
	return pass()
}

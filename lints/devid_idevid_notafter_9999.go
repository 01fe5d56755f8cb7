package lints

import (
	"strconv"

	"github.com/zmap/zcrypto/encoding/asn1"
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/idevid"
	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name:        "w_devid_idevid_notafter_9999",
		Description: "An IDevID, which lives as long as the device, should have the notAfter GeneralizedTime 99991231235959Z (no well-defined expiration date).",
		Citation:    "IEEE 802.1AR-2018 (as quoted in RFC 8995 §2.6.2); RFC 5280 §4.1.2.5",
		Source:      IEEE8021AR,
	}, role.IDevIDSet, func() lint.CertificateLintInterface { return &devidIDevIDNotAfter9999{} })
}

type devidIDevIDNotAfter9999 struct{}

func (l *devidIDevIDNotAfter9999) CheckApplies(c *x509.Certificate) bool { return true }

func (l *devidIDevIDNotAfter9999) Execute(c *x509.Certificate) *lint.LintResult {
	_, notAfter, err := validityTimes(c)
	if err != nil {
		return failf(lint.Warn, "%v", err)
	}
	if notAfter.Class != asn1.ClassUniversal || notAfter.Tag != asn1.TagGeneralizedTime || string(notAfter.Bytes) != idevid.NoExpiryEncoding {
		return failf(lint.Warn, "notAfter is %s, not GeneralizedTime %q", timeTypeName(notAfter)+" "+strconv.Quote(string(notAfter.Bytes)), idevid.NoExpiryEncoding)
	}
	return pass()
}

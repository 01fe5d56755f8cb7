package lints

import (
	"strings"

	"github.com/zmap/zcrypto/encoding/asn1"
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/idevid"
	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name: "e_iot_all_noexpiry_encoding",
		Description: "A certificate with no well-defined expiration date must have the notAfter GeneralizedTime 99991231235959Z exactly. " +
			"A notAfter that looks like a botched attempt at it (year 9999 in any other form, 2049-12-31T23:59:59Z, the largest UTCTime) is an error.",
		Citation: "draft-ietf-uta-tls13-iot-profile-23 §17.1.5 (RFC 5280 §4.1.2.5)",
		Source:   IoTTLS13,
	}, role.AllSet, func() lint.CertificateLintInterface { return &allNoExpiryEncoding{} })
}

type allNoExpiryEncoding struct{}

func (l *allNoExpiryEncoding) CheckApplies(c *x509.Certificate) bool { return true }

func (l *allNoExpiryEncoding) Execute(c *x509.Certificate) *lint.LintResult {
	_, notAfter, err := validityTimes(c)
	if err != nil {
		return failf(lint.Error, "%v", err)
	}
	s := string(notAfter.Bytes)
	switch notAfter.Tag {
	case asn1.TagGeneralizedTime:
		switch {
		case s == idevid.NoExpiryEncoding:
			return pass()
		case strings.HasPrefix(s, "9999"):
			return failf(lint.Error, "notAfter is GeneralizedTime %q in the year 9999 but not exactly %s, the no-expiry value", s, idevid.NoExpiryEncoding)
		case strings.HasPrefix(s, "20491231235959"):
			return failf(lint.Error, "notAfter is GeneralizedTime %q (2049-12-31T23:59:59Z), which looks like an attempt at no expiry; use GeneralizedTime %s", s, idevid.NoExpiryEncoding)
		}
	case asn1.TagUTCTime:
		if strings.HasPrefix(s, "491231235959") {
			return failf(lint.Error, "notAfter is UTCTime %q (2049-12-31T23:59:59Z, the largest UTCTime), which looks like an attempt at no expiry; use GeneralizedTime %s", s, idevid.NoExpiryEncoding)
		}
	default:
		return failf(lint.Error, "notAfter is %s, neither UTCTime nor GeneralizedTime", timeTypeName(notAfter))
	}
	return pass()
}

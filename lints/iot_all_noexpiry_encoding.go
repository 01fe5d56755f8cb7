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
		Name: "w_iot_all_noexpiry_encoding",
		Description: "A certificate with no well-defined expiration date should have the notAfter GeneralizedTime 99991231235959Z exactly: " +
			"a GeneralizedTime notAfter in the year 9999 in any other form (99991231000000Z, 99991231235958Z) is flagged. " +
			"Finite dates are not: UTCTime 491231235959Z is the legal 2049-12-31T23:59:59Z, which RFC 5280 requires as UTCTime, " +
			"and a GeneralizedTime before 2050 is zlint's e_wrong_time_format_pre2050.",
		Citation: "RFC 5280 §4.1.2.5 (SHOULD); draft-ietf-uta-tls13-iot-profile-23 §17.1.5",
		Source:   IoTTLS13,
	}, role.AllSet, func() lint.CertificateLintInterface { return &allNoExpiryEncoding{} })
}

// allNoExpiryEncoding warns on a near miss of the no-expiry notAfter.
//
// RFC 5280 §4.1.2.5: "To indicate that a certificate has no well-defined
// expiration date, the notAfter SHOULD be assigned the GeneralizedTime
// value of 99991231235959Z." It is a SHOULD, and the IoT profile
// (draft-ietf-uta-tls13-iot-profile-23 §17.1.5) only says that this value
// "is used", so another year-9999 value is a warning, not an error.
type allNoExpiryEncoding struct{}

func (l *allNoExpiryEncoding) CheckApplies(c *x509.Certificate) bool { return true }

func (l *allNoExpiryEncoding) Execute(c *x509.Certificate) *lint.LintResult {
	_, notAfter, err := validityTimes(c)
	if err != nil {
		return failf(lint.Warn, "%v", err)
	}
	s := string(notAfter.Bytes)
	if notAfter.Tag == asn1.TagGeneralizedTime && s != idevid.NoExpiryEncoding && strings.HasPrefix(s, "9999") {
		return failf(lint.Warn, "notAfter is GeneralizedTime %q in the year 9999 but not exactly %s, the value RFC 5280 assigns to no well-defined expiration date", s, idevid.NoExpiryEncoding)
	}
	return pass()
}

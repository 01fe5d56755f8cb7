package lints

import (
	"time"

	"github.com/zmap/zcrypto/encoding/asn1"
	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

func init() {
	register(lint.LintMetadata{
		Name:        "e_iot_all_time_zulu_seconds",
		Description: "The validity times must be expressed in Greenwich Mean Time (Zulu) and include seconds, as RFC 5280 §4.1.2.5.1 and §4.1.2.5.2 require; this runs zlint's UTCTime and GeneralizedTime Zulu and seconds lints.",
		Citation:    "draft-ietf-uta-tls13-iot-profile-23 §17.1.5",
		Source:      IoTTLS13,
	}, role.AllSet, zlintDelegate(lint.Error, zuluWithSeconds,
		"e_utc_time_not_in_zulu",
		"e_utc_time_does_not_include_seconds",
		"e_generalized_time_not_in_zulu",
		"e_generalized_time_does_not_include_seconds",
	))
}

// zuluWithSeconds is the fast path of e_iot_all_time_zulu_seconds: both
// validity times are DER, UTCTime YYMMDDHHMMSSZ or GeneralizedTime
// YYYYMMDDHHMMSS[.f...]Z, with notBefore and notAfter in UTC as decoded. On
// such times zlint's lints find what they look for: a UTCTime of 13
// octets in UTC, a GeneralizedTime of at least 15 octets ending in Z.
func zuluWithSeconds(c *x509.Certificate) bool {
	notBefore, notAfter, ok := fastValidityTimes(c.RawTBSCertificate)
	return ok && zuluTimeWithSeconds(notBefore, c.NotBefore) && zuluTimeWithSeconds(notAfter, c.NotAfter)
}

// zuluTimeWithSeconds reports whether the encoded time v, decoded as t,
// is as zuluWithSeconds requires.
func zuluTimeWithSeconds(v asn1.RawValue, t time.Time) bool {
	b := v.Bytes
	switch v.Tag {
	case asn1.TagUTCTime:
		return len(b) == 13 && b[12] == 'Z' && t.Location() == time.UTC
	case asn1.TagGeneralizedTime:
		return len(b) >= 15 && b[len(b)-1] == 'Z'
	}
	return false
}

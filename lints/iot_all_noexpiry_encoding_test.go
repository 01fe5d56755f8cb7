package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestIoTAllNoExpiryEncoding(t *testing.T) {
	testLint(t, "w_iot_all_noexpiry_encoding", []wantStatus{
		{"tls13-iot/ee.pem", lint.Pass},
		{"idevid-8021ar/ee.pem", lint.Pass}, // exactly 99991231235959Z
		{"cases/w_iot_all_noexpiry_encoding.pem", lint.Warn},
		// UTCTime 491231235959Z is a finite date, legal and required as
		// UTCTime by RFC 5280 §4.1.2.5.1.
		{"cases/w_iot_all_noexpiry_encoding_utc2049.pem", lint.Pass},
	})
}

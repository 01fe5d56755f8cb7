package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestIoTAllNoExpiryEncoding(t *testing.T) {
	testLint(t, "e_iot_all_noexpiry_encoding", []wantStatus{
		{"tls13-iot/ee.pem", lint.Pass},
		{"idevid-8021ar/ee.pem", lint.Pass}, // exactly 99991231235959Z
		{"cases/e_iot_all_noexpiry_encoding.pem", lint.Error},
		{"cases/e_iot_all_noexpiry_encoding_utc2049.pem", lint.Error},
	})
}

package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestIoTAllTimeZuluSeconds(t *testing.T) {
	testLint(t, "e_iot_all_time_zulu_seconds", []wantStatus{
		{"tls13-iot/ee.pem", lint.Pass},
		{"idevid-8021ar/ee.pem", lint.Pass}, // GeneralizedTime notAfter
		{"cases/e_iot_all_time_zulu_seconds.pem", lint.Error},
	})
}

package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestIoTEEAKI(t *testing.T) {
	testLint(t, "e_iot_ee_aki", []wantStatus{
		{"tls13-iot/ee.pem", lint.Pass},
		{"cases/e_iot_ee_aki.pem", lint.Error},
		{"cases/e_iot_ee_aki-critical.pem", lint.Error},
		{"tls13-iot/sub.pem", lint.NA},
	})
}

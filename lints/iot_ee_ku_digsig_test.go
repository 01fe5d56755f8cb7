package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestIoTEEKUDigSig(t *testing.T) {
	testLint(t, "e_iot_ee_ku_digsig", []wantStatus{
		{"tls13-iot/ee.pem", lint.Pass},
		{"cases/e_iot_ee_ku_digsig.pem", lint.Error},
		{"cases/e_iot_ee_ku_critical.pem", lint.NA}, // no keyUsage
		{"tls13-iot/sub.pem", lint.NA},
	})
}

package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestIoTEEKUCritical(t *testing.T) {
	testLint(t, "e_iot_ee_ku_critical", []wantStatus{
		{"tls13-iot/ee.pem", lint.Pass},
		{"cases/e_iot_ee_ku_critical.pem", lint.Error},
		{"cases/e_iot_ee_ku_critical-noncritical.pem", lint.Error},
		{"tls13-iot/sub.pem", lint.NA},
	})
}

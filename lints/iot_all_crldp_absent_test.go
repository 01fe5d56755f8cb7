package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestIoTAllCRLDPAbsent(t *testing.T) {
	testLint(t, "w_iot_all_crldp_absent", []wantStatus{
		{"tls13-iot/ee.pem", lint.Pass},
		{"tls13-iot/root.pem", lint.Pass},
		{"cases/w_iot_all_crldp_absent.pem", lint.Warn},
	})
}

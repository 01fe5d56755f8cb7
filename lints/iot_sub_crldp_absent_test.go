package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestIoTSubCRLDPAbsent(t *testing.T) {
	testLint(t, "w_iot_sub_crldp_absent", []wantStatus{
		{"tls13-iot/sub.pem", lint.Pass},
		{"cases/w_iot_sub_crldp_absent.pem", lint.Warn},
		{"cases/e_iot_sub_crldp_noncritical.pem", lint.Warn},
		{"tls13-iot/root.pem", lint.NA},
	})
}

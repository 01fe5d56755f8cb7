package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestIoTSubCRLDPNoncritical(t *testing.T) {
	testLint(t, "e_iot_sub_crldp_noncritical", []wantStatus{
		{"cases/w_iot_sub_crldp_absent.pem", lint.Pass},
		{"cases/e_iot_sub_crldp_noncritical.pem", lint.Error},
		{"tls13-iot/sub.pem", lint.NA},
		{"tls13-iot/root.pem", lint.NA},
	})
}

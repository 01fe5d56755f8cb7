package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestIoTAllCRLDPNonCritical(t *testing.T) {
	testLint(t, "e_iot_all_crldp_noncritical", []wantStatus{
		{"cases/w_iot_all_crldp_absent.pem", lint.Pass},
		{"cases/e_iot_all_crldp_noncritical.pem", lint.Error},
		{"tls13-iot/ee.pem", lint.NA}, // no cRLDistributionPoints
	})
}

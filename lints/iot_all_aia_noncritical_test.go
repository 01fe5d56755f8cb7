package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestIoTAllAIANonCritical(t *testing.T) {
	testLint(t, "e_iot_all_aia_noncritical", []wantStatus{
		{"cases/n_iot_all_aia_caissuers_ok.pem", lint.Pass},
		{"cases/w_iot_all_aia_ocsp_absent.pem", lint.Pass},
		{"cases/e_iot_all_aia_noncritical.pem", lint.Error},
		{"tls13-iot/ee.pem", lint.NA}, // no authorityInfoAccess
	})
}

package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestIoTAllAIACAIssuers(t *testing.T) {
	testLint(t, "n_iot_all_aia_caissuers_ok", []wantStatus{
		{"cases/n_iot_all_aia_caissuers_ok.pem", lint.Notice},
		{"cases/w_iot_all_aia_ocsp_absent.pem", lint.NA}, // AIA with OCSP
		{"tls13-iot/ee.pem", lint.NA},                    // no authorityInfoAccess
	})
}

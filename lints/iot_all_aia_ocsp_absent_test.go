package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestIoTAllAIAOCSPAbsent(t *testing.T) {
	testLint(t, "w_iot_all_aia_ocsp_absent", []wantStatus{
		{"cases/n_iot_all_aia_caissuers_ok.pem", lint.Pass},
		{"cases/w_iot_all_aia_ocsp_absent.pem", lint.Warn},
		{"tls13-iot/ee.pem", lint.NA}, // no authorityInfoAccess
	})
}

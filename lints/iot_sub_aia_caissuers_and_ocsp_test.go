package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestIoTSubAIACAIssuersAndOCSP(t *testing.T) {
	testLint(t, "w_iot_sub_aia_caissuers_and_ocsp", []wantStatus{
		{"cases/w_iot_sub_aia_absent.pem", lint.Pass},
		{"cases/w_iot_sub_aia_caissuers_and_ocsp.pem", lint.Warn},
		{"tls13-iot/sub.pem", lint.NA},
		{"tls13-iot/root.pem", lint.NA},
	})
}

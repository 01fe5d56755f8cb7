package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestIoTSubAIAAbsent(t *testing.T) {
	testLint(t, "w_iot_sub_aia_absent", []wantStatus{
		{"tls13-iot/sub.pem", lint.Pass},
		{"cases/w_iot_sub_aia_absent.pem", lint.Warn},
		{"cases/w_iot_sub_aia_caissuers_and_ocsp.pem", lint.Warn},
		{"tls13-iot/root.pem", lint.NA},
	})
}

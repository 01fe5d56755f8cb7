package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestIoTSubAIANoncritical(t *testing.T) {
	testLint(t, "e_iot_sub_aia_noncritical", []wantStatus{
		{"cases/w_iot_sub_aia_absent.pem", lint.Pass},
		{"cases/w_iot_sub_aia_caissuers_and_ocsp.pem", lint.Pass},
		{"cases/e_iot_sub_aia_noncritical.pem", lint.Error},
		{"tls13-iot/sub.pem", lint.NA},
		{"tls13-iot/root.pem", lint.NA},
	})
}

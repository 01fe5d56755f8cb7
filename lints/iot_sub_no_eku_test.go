package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestIoTSubNoEKU(t *testing.T) {
	testLint(t, "w_iot_sub_no_eku", []wantStatus{
		{"tls13-iot/sub.pem", lint.Pass},
		{"cases/w_iot_sub_no_eku.pem", lint.Warn},
		{"cases/e_iot_root_no_eku.pem", lint.NA},
	})
}

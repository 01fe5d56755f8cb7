package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestIoTRootNoEKU(t *testing.T) {
	testLint(t, "e_iot_root_no_eku", []wantStatus{
		{"tls13-iot/root.pem", lint.Pass},
		{"cases/e_iot_root_no_eku.pem", lint.Error},
		{"cases/w_iot_sub_no_eku.pem", lint.NA},
		{"tls13-iot/sub.pem", lint.NA},
	})
}

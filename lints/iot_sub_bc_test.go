package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestIoTSubBC(t *testing.T) {
	testLint(t, "e_iot_sub_bc", []wantStatus{
		{"tls13-iot/sub.pem", lint.Pass},
		{"cases/e_iot_sub_bc.pem", lint.Error},
		{"cases/e_iot_sub_bc_absent.pem", lint.Error},
		{"tls13-iot/root.pem", lint.NA},
	})
}

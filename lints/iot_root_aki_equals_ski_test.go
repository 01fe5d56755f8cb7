package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestIoTRootAKIEqualsSKI(t *testing.T) {
	testLint(t, "e_iot_root_aki_equals_ski", []wantStatus{
		{"tls13-iot/root.pem", lint.Pass},
		{"cases/e_iot_root_aki_equals_ski.pem", lint.Error},
		{"cases/w_iot_root_aki_present.pem", lint.NA},
		{"cases/e_iot_root_ski_present.pem", lint.NA},
		{"tls13-iot/sub.pem", lint.NA},
	})
}

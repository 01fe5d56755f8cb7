package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestIoTSubAKI(t *testing.T) {
	testLint(t, "e_iot_sub_aki", []wantStatus{
		{"tls13-iot/sub.pem", lint.Pass},
		{"cases/e_iot_sub_aki.pem", lint.Error},
		{"cases/e_iot_sub_aki_critical.pem", lint.Error},
		{"tls13-iot/root.pem", lint.NA},
	})
}

package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestIoTSubSKI(t *testing.T) {
	testLint(t, "e_iot_sub_ski", []wantStatus{
		{"tls13-iot/sub.pem", lint.Pass},
		{"cases/e_iot_sub_ski.pem", lint.Error},
		{"cases/e_iot_sub_ski_critical.pem", lint.Error},
		{"tls13-iot/root.pem", lint.NA},
	})
}

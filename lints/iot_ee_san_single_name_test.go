package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestIoTEESANSingleName(t *testing.T) {
	testLint(t, "w_iot_ee_san_single_name", []wantStatus{
		{"tls13-iot/ee.pem", lint.Pass},
		{"cases/w_iot_ee_san_single_name.pem", lint.Warn},
		{"cases/e_iot_ee_san_one_name_per_type.pem", lint.Warn},
		{"rfc7925/ee.pem", lint.NA},
		{"tls13-iot/sub.pem", lint.NA},
	})
}

package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestIoTEESANOneNamePerType(t *testing.T) {
	testLint(t, "e_iot_ee_san_one_name_per_type", []wantStatus{
		{"tls13-iot/ee.pem", lint.Pass},
		{"idevid-8021ar/ee.pem", lint.Pass},
		{"cases/w_iot_ee_san_single_name.pem", lint.Pass}, // two names of two types
		{"cases/e_iot_ee_san_one_name_per_type.pem", lint.Error},
		{"rfc7925/ee.pem", lint.NA},
		{"tls13-iot/sub.pem", lint.NA},
	})
}

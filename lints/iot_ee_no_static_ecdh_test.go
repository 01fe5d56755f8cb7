package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestIoTEENoStaticECDH(t *testing.T) {
	testLint(t, "e_iot_ee_no_static_ecdh", []wantStatus{
		{"tls13-iot/ee.pem", lint.Pass},
		{"cases/e_iot_ee_no_static_ecdh.pem", lint.Error},
		{"cases/e_iot_ee_no_static_ecdh_spki.pem", lint.Error},
		{"tls13-iot/sub.pem", lint.NA},
	})
}

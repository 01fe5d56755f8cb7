package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestIoTAllKeyStrength(t *testing.T) {
	testLint(t, "w_iot_all_key_strength_128", []wantStatus{
		{"tls13-iot/ee.pem", lint.Pass},
		{"cases/e_iot_all_spki_ec.pem", lint.Pass},    // RSA-3072
		{"cases/e_iot_all_spki_curve.pem", lint.Pass}, // secp256k1, 128 bits
		{"cases/w_iot_all_key_strength_128.pem", lint.Warn},
	})
}

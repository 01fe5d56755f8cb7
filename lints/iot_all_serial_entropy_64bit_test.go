package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestIoTAllSerialEntropy(t *testing.T) {
	testLint(t, "w_iot_all_serial_entropy_64bit", []wantStatus{
		{"tls13-iot/sub.pem", lint.Pass},
		{"tls13-iot/ee.pem", lint.Pass},
		{"cases/w_iot_all_serial_entropy_64bit.pem", lint.Warn},
		{"cases/w_iot_all_serial_entropy_64bit_48bits.pem", lint.Warn},
		{"cases/w_iot_all_serial_entropy_64bit_leading_zero.pem", lint.Pass},
	})
}

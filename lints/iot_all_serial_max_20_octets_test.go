package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestIoTAllSerialMax20(t *testing.T) {
	testLint(t, "e_iot_all_serial_max_20_octets", []wantStatus{
		{"tls13-iot/ee.pem", lint.Pass},
		{"cases/w_iot_all_serial_entropy_64bit.pem", lint.Pass},
		{"cases/e_iot_all_serial_max_20_octets.pem", lint.Error},
	})
}

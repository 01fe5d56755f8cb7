package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestIoTEEEUI64InSerialNumber(t *testing.T) {
	testLint(t, "n_iot_ee_eui64_in_serialnumber", []wantStatus{
		{"tls13-iot/ee.pem", lint.Pass},
		{"cases/n_iot_ee_eui64_in_serialnumber.pem", lint.Notice},
		{"rfc7925/ee.pem", lint.NA}, // EUI-64 in the CN, no serialNumber
		{"tls13-iot/sub.pem", lint.NA},
	})
}

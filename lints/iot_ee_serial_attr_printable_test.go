package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestIoTEESerialAttrPrintable(t *testing.T) {
	testLint(t, "e_iot_ee_serial_attr_printable", []wantStatus{
		{"tls13-iot/ee.pem", lint.Pass},
		{"cases/e_iot_ee_serial_attr_printable.pem", lint.Error},
		{"cases/n_iot_ee_serial_in_cn.pem", lint.NA}, // no serialNumber attribute
		{"tls13-iot/sub.pem", lint.NA},
	})
}

package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestIoTEESerialInCN(t *testing.T) {
	testLint(t, "n_iot_ee_serial_in_cn", []wantStatus{
		{"tls13-iot/ee.pem", lint.NA},   // has a serialNumber attribute
		{"rfc7925/ee.pem", lint.Notice}, // CN is an EUI-64, no serialNumber
		{"cases/n_iot_ee_serial_in_cn.pem", lint.Notice},
		{"cases/e_iot_ee_no_fqdn_in_cn.pem", lint.NA}, // serialNumber present
		{"tls13-iot/sub.pem", lint.NA},
	})
}

func TestLooksLikeSerial(t *testing.T) {
	for s, want := range map[string]bool{
		"SN0001":                  true,
		"A1234567":                true,
		"0123456789ABCDEF":        true,
		"01-23-45-67-89-AB-CD-EF": true,
		"Example sensor":          false,
		"sensor-0001":             false,
		"deadbeef":                false, // hex, but no digit
		"1234":                    true,
		"12":                      false,
		"":                        false,
	} {
		if got := looksLikeSerial(s); got != want {
			t.Errorf("looksLikeSerial(%q) = %v, want %v", s, got, want)
		}
	}
}

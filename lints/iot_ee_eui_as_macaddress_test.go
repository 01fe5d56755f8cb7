package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestIoTEEEUIAsMACAddress(t *testing.T) {
	testLint(t, "w_iot_ee_eui_as_macaddress", []wantStatus{
		{"tls13-iot/ee.pem", lint.Pass},
		{"cases/w_iot_ee_eui_as_macaddress.pem", lint.Warn},
		{"cases/w_iot_ee_eui_as_macaddress-dnsname.pem", lint.Warn},
		{"cases/w_iot_ee_eui_as_macaddress-urn.pem", lint.Warn},
		{"rfc7925/ee.pem", lint.Warn}, // EUI-64 CN, as RFC 7925 asked; not run by the rfc7925 profile
		{"cases/n_iot_ee_eui64_in_serialnumber.pem", lint.Pass},
		{"tls13-iot/sub.pem", lint.NA},
	})
}

func TestEUIBits(t *testing.T) {
	for s, want := range map[string]int{
		"00:1A:2B:3C:4D:5E":       48,
		"00-1a-2b-3c-4d-5e":       48,
		"01-23-45-67-89-AB-CD-EF": 64,
		"01:23:45:67:89:ab:cd:ef": 64,
		"01-23:45-67-89-AB":       0, // mixed separators
		"01-23-45-67-89":          0,
		"01-23-45-67-89-AB-CD":    0,
		"0G-23-45-67-89-AB":       0,
		"001A2B3C4D5E":            0,
		"":                        0,
	} {
		if got := euiBits(s); got != want {
			t.Errorf("euiBits(%q) = %d, want %d", s, got, want)
		}
	}
}

func TestURNDevMACBits(t *testing.T) {
	for s, want := range map[string]int{
		"urn:dev:mac:0024befffe804ff1":       64,
		"urn:dev:mac:0024befffe804ff1_port1": 64,
		"URN:DEV:MAC:00AABBCCDDEE":           48,
		"urn:dev:mac:0024beff":               0, // neither 12 nor 16 digits
		"urn:dev:mac:0024befffe804fg1":       0,
		"urn:dev:ow:10e2073a01080063":        0, // a 1-Wire id, not a MAC
		"urn:dev:mac:":                       0,
		"bacnet://1234":                      0,
	} {
		if got := urnDevMACBits(s); got != want {
			t.Errorf("urnDevMACBits(%q) = %d, want %d", s, got, want)
		}
	}
}

package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestIoTEENoFQDNInCN(t *testing.T) {
	testLint(t, "e_iot_ee_no_fqdn_in_cn", []wantStatus{
		{"tls13-iot/ee.pem", lint.Pass},
		{"rfc7925/ee.pem", lint.Pass},
		{"cases/e_iot_ee_no_fqdn_in_cn.pem", lint.Error},
		{"tls13-iot/sub.pem", lint.NA},
	})
}

func TestLooksLikeDomainName(t *testing.T) {
	for s, want := range map[string]bool{
		"sensor-0001.devices.example.com":  true,
		"example.com.":                     true,
		"*.example.com":                    true,
		"xn--bcher-kva.xn--p1ai":           true,
		"192.0.2.1":                        false,
		"Example sensor":                   false,
		"firmware v1.2":                    false,
		"v1.2":                             false,
		"localhost":                        false,
		"01-23-45-67-89-AB-CD-EF":          false,
		"a..example.com":                   false,
		"-bad.example.com":                 false,
		"sensor.devices.example.c0m":       false,
		"Example Devices Ltd. Sensor v1.0": false,
		"coap.example.com":                 true,
		"device1.example.com":              true,
		"DEVICE1.EXAMPLE.COM":              true,
		"printer.local":                    true,
		"Light.Kitchen":                    true, // .kitchen is a gTLD
		"Kitchen.Light":                    false,
		"ACME.Gateway":                     false,
		"S7-1500.PLC":                      false,
		"sensor.firmware":                  false,
	} {
		if got := looksLikeDomainName(s); got != want {
			t.Errorf("looksLikeDomainName(%q) = %v, want %v", s, got, want)
		}
	}
}

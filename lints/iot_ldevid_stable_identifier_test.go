package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestIoTLDevIDStableIdentifier(t *testing.T) {
	testLint(t, "w_iot_ldevid_stable_identifier", []wantStatus{
		{"ldevid-8021ar/ee.pem", lint.Pass}, // dNSName and serialNumber SN0001: not reported by default
		{"cases/w_iot_ldevid_stable_identifier.pem", lint.Warn},
		{"cases/w_iot_ldevid_stable_identifier_urn_mac.pem", lint.Warn},
		{"rfc7925/ee.pem", lint.Warn}, // commonName 01-23-45-67-89-AB-CD-EF
		{"ldevid-8021ar/sub.pem", lint.NA},
		{"ldevid-8021ar/root.pem", lint.NA},
	})
	for _, tc := range []struct {
		file      string
		configure func(*ldevidStableIdentifier)
		want      lint.LintStatus
		details   string
	}{
		{"cases/w_iot_ldevid_stable_identifier.pem", nil, lint.Warn,
			"stable device identifiers in an operational certificate: a HardwareModuleName otherName (the hardware module's serial number)"},
		{"cases/w_iot_ldevid_stable_identifier_urn_mac.pem", nil, lint.Warn,
			`stable device identifiers in an operational certificate: uniformResourceIdentifier "urn:dev:mac:0024befffe804ff1" names an EUI-64 MAC address`},
		{"rfc7925/ee.pem", nil, lint.Warn,
			`stable device identifiers in an operational certificate: subject commonName "01-23-45-67-89-AB-CD-EF" is an EUI-64`},
		{"ldevid-8021ar/ee.pem", func(l *ldevidStableIdentifier) { l.SubjectSerialNumber = true }, lint.Warn,
			`stable device identifiers in an operational certificate: subject serialNumber "SN0001"`},
		// A MACAddress otherName is seen only when macaddress_oid names its type-id.
		{"cases/e_iot_ee_macaddress_length.pem", func(l *ldevidStableIdentifier) { l.MACAddressOID = testMACAddressOID }, lint.Warn,
			"stable device identifiers in an operational certificate: a MACAddress otherName"},
		{"cases/e_iot_ee_macaddress_length.pem", nil, lint.Pass, ""},
	} {
		got := runLint(t, "w_iot_ldevid_stable_identifier", loadCert(t, tc.file), func(p any) {
			if tc.configure != nil {
				tc.configure(p.(*ldevidStableIdentifier))
			}
		})
		if got.Status != tc.want || got.Details != tc.details {
			t.Errorf("%s: got %s %q, want %s %q", tc.file, got.Status, got.Details, tc.want, tc.details)
		}
	}
	if err := (&ldevidStableIdentifier{MACAddressOID: "1.x"}).Validate(); err == nil {
		t.Error("Validate accepts macaddress_oid 1.x")
	}
	if err := (&ldevidStableIdentifier{MACAddressOID: "1.3.6.1.4.1.32473.9.1"}).Validate(); err != nil {
		t.Errorf("Validate rejects a dotted OID: %v", err)
	}
}

func TestURNDevStableIdentifier(t *testing.T) {
	for uri, want := range map[string]string{
		"urn:dev:mac:0024befffe804ff1":                  "an EUI-64 MAC address",
		"URN:DEV:MAC:0024be804ff1":                      "an EUI-48 MAC address",
		"urn:dev:ow:10e2073a01080063":                   "a 1-Wire device serial number",
		"urn:dev:os:32473-123456":                       "an organization's device serial number",
		"urn:dev:ops:32473-Refrigerator-5002":           "an organization's product and device serial number",
		"urn:dev:org:32473-foo":                         "",
		"urn:dev:ow:":                                   "",
		"bacnet://1234":                                 "",
		"urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6": "",
	} {
		if got := urnDevStableIdentifier(uri); got != want {
			t.Errorf("urnDevStableIdentifier(%q) = %q, want %q", uri, got, want)
		}
	}
}

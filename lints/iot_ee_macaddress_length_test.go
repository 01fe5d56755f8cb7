package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

// testMACAddressOID is the stand-in MACAddress type-id of internal/gencerts.
const testMACAddressOID = "1.3.6.1.4.1.32473.1.2"

func TestIoTEEMACAddressLength(t *testing.T) {
	// Unset (the default): the lint does not run.
	testLint(t, "e_iot_ee_macaddress_length", []wantStatus{
		{"tls13-iot/ee.pem", lint.NA},
		{"cases/e_iot_ee_macaddress_length.pem", lint.NA},
	})
	configure := func(p any) { p.(*eeMACAddressLength).OID = testMACAddressOID }
	for _, tc := range []wantStatus{
		{"tls13-iot/ee.pem", lint.Pass}, // no MACAddress otherName
		{"cases/e_iot_ee_macaddress_length.pem", lint.Error},
		{"tls13-iot/sub.pem", lint.NA},
		{"rfc7925/ee.pem", lint.NA}, // no subjectAltName
	} {
		got := runLint(t, "e_iot_ee_macaddress_length", loadCert(t, tc.File), configure)
		if got.Status != tc.Want {
			t.Errorf("%s: got %s (%q), want %s", tc.File, got.Status, got.Details, tc.Want)
		}
	}
	// Another OID: the 7-octet otherName is not a MACAddress.
	got := runLint(t, "e_iot_ee_macaddress_length", loadCert(t, "cases/e_iot_ee_macaddress_length.pem"), func(p any) {
		p.(*eeMACAddressLength).OID = "1.3.6.1.4.1.32473.1.3"
	})
	if got.Status != lint.Pass {
		t.Errorf("other OID: got %s (%q), want pass", got.Status, got.Details)
	}
}

func TestIoTEEMACAddressLengthValidate(t *testing.T) {
	for oid, ok := range map[string]bool{"": true, testMACAddressOID: true, "1.3.6.1.5.5.7.8.TBD1": false, "1": false, "3.1": false, "1.2.03": false} {
		if err := (&eeMACAddressLength{OID: oid}).Validate(); (err == nil) != ok {
			t.Errorf("Validate(%q) = %v", oid, err)
		}
	}
}

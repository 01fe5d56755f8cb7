package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestIoTEESANRequiredTypes(t *testing.T) {
	// Unset (the default): the lint does not run.
	testLint(t, "e_iot_ee_san_required_types", []wantStatus{
		{"tls13-iot/ee.pem", lint.NA},
		{"cases/e_iot_ee_san_required_types.pem", lint.NA},
	})
	for _, tc := range []struct {
		file  string
		types []string
		want  lint.LintStatus
	}{
		{"tls13-iot/ee.pem", []string{"dNSName"}, lint.Pass},
		{"tls13-iot/ee.pem", []string{"dNSName", "uniformResourceIdentifier"}, lint.Error},
		{"idevid-8021ar/ee.pem", []string{"hardwareModuleName"}, lint.Pass},
		{"idevid-8021ar/ee.pem", []string{"otherName"}, lint.Pass},
		{"cases/e_iot_ee_san_required_types.pem", []string{"dNSName"}, lint.Error}, // no subjectAltName
		{"tls13-iot/sub.pem", []string{"dNSName"}, lint.NA},
	} {
		got := runLint(t, "e_iot_ee_san_required_types", loadCert(t, tc.file), func(p any) { p.(*eeSANRequiredTypes).Types = tc.types })
		if got.Status != tc.want {
			t.Errorf("%s with %v: got %s (%q), want %s", tc.file, tc.types, got.Status, got.Details, tc.want)
		}
	}
}

func TestIoTEESANRequiredTypesValidate(t *testing.T) {
	for _, tc := range []struct {
		types []string
		ok    bool
	}{
		{nil, true},
		{[]string{"dNSName", "hardwareModuleName"}, true},
		{[]string{"dnsName"}, false},
		{[]string{"URI"}, false},
	} {
		if err := (&eeSANRequiredTypes{Types: tc.types}).Validate(); (err == nil) != tc.ok {
			t.Errorf("Validate(%v) = %v", tc.types, err)
		}
	}
}

package lints

import (
	"strings"
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestIoTAllSPKICurve(t *testing.T) {
	testLint(t, "e_iot_all_spki_curve", []wantStatus{
		{"tls13-iot/ee.pem", lint.Pass},
		{"tls13-iot/root.pem", lint.Pass},
		{"cases/e_iot_all_spki_curve.pem", lint.Error},       // secp256k1
		{"cases/w_iot_all_key_strength_128.pem", lint.Error}, // P-224
		{"cases/e_iot_all_spki_ec.pem", lint.NA},             // RSA: no curve
	})
	got := runLint(t, "e_iot_all_spki_curve", loadCert(t, "cases/e_iot_all_spki_curve.pem"), nil)
	if want := "curve secp256k1 is not allowed"; !strings.Contains(got.Details, want) {
		t.Errorf("details %q do not contain %q", got.Details, want)
	}
}

func TestIoTAllSPKICurveParams(t *testing.T) {
	only := func(curves ...string) func(p any) {
		return func(p any) { p.(*allSPKICurve).Curves = curves }
	}
	ee := loadCert(t, "tls13-iot/ee.pem") // P-256
	if got := runLint(t, "e_iot_all_spki_curve", ee, only("P-384")); got.Status != lint.Error || !strings.Contains(got.Details, "curve P-256 is not allowed: not one of P-384") {
		t.Errorf("curves [P-384] on a P-256 key: got %s (%q), want error", got.Status, got.Details)
	}
	if got := runLint(t, "e_iot_all_spki_curve", ee, only("P-256")); got.Status != lint.Pass {
		t.Errorf("curves [P-256] on a P-256 key: got %s (%q), want pass", got.Status, got.Details)
	}
	for _, tc := range []struct {
		curves []string
		ok     bool
	}{
		{[]string{"P-256"}, true},
		{[]string{"P-256", "P-384", "P-521"}, true},
		{[]string{"secp256k1"}, false},
		{[]string{"P-256", "P-224"}, false},
		{nil, false},
	} {
		err := (&allSPKICurve{Curves: tc.curves}).Validate()
		if (err == nil) != tc.ok {
			t.Errorf("Validate(%v) = %v, want ok=%v", tc.curves, err, tc.ok)
		}
	}
}

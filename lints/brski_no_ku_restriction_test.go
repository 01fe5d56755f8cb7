package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestBRSKINoKURestriction(t *testing.T) {
	// Default parameters: RFC 8995 as written, any keyUsage is reported.
	testLint(t, "w_brski_no_ku_restriction", []wantStatus{
		{"cases/w_devid_ku_present.pem", lint.Pass},
		{"brski-idevid/ee.pem", lint.Warn},
		{"cases/w_brski_no_ku_restriction.pem", lint.Warn},
		{"brski-idevid/sub.pem", lint.NA},
	})

	// As brski-idevid configures it: the draft's mandatory digitalSignature
	// keyUsage is not a restriction; one without it is.
	profileKU := func(p any) { p.(*brskiNoKURestriction).ProfileKeyUsage = []string{"digitalSignature"} }
	for _, tc := range []wantStatus{
		{"brski-idevid/ee.pem", lint.Pass},
		{"cases/w_devid_ku_present.pem", lint.Pass},
		{"cases/w_brski_no_ku_restriction.pem", lint.Warn},
	} {
		if got := runLint(t, "w_brski_no_ku_restriction", loadCert(t, tc.File), profileKU); got.Status != tc.Want {
			t.Errorf("profile_key_usage [digitalSignature] on %s: got %s (%q), want %s", tc.File, got.Status, got.Details, tc.Want)
		}
	}

	l := &brskiNoKURestriction{ProfileKeyUsage: []string{"digitalSignature", "nonRepudiation"}}
	if err := l.Validate(); err != nil {
		t.Errorf("Validate: %v", err)
	}
	l.ProfileKeyUsage = []string{"signing"}
	if err := l.Validate(); err == nil {
		t.Error("Validate accepts an unknown keyUsage bit")
	}
}

package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestBRSKIMASAURLAuthority(t *testing.T) {
	testLint(t, "w_brski_masa_url_authority", []wantStatus{
		{"cases/e_brski_masa_url.pem", lint.Pass}, // "masa.example.com"
		{"cases/w_brski_masa_url_authority.pem", lint.Warn},
		{"cases/e_brski_masa_url_not_ia5.pem", lint.NA}, // e_brski_masa_url reports it
		{"brski-idevid/ee.pem", lint.NA},
		{"brski-idevid/sub.pem", lint.NA},
	})
}

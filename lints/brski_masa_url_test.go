package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestBRSKIMASAURL(t *testing.T) {
	testLint(t, "e_brski_masa_url", []wantStatus{
		{"cases/w_brski_masa_url_authority.pem", lint.Pass}, // non-critical IA5String
		{"cases/e_brski_masa_url.pem", lint.Error},
		{"cases/e_brski_masa_url_not_ia5.pem", lint.Error},
		{"brski-idevid/ee.pem", lint.NA}, // no MASA URI extension
		{"brski-idevid/sub.pem", lint.NA},
	})
}

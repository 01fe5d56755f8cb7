package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestEMatterAkid(t *testing.T) {
	testLint(t, "e_matter_akid", []wantStatus{
		{"matter/ee.pem", lint.Pass},
		{"matter/sub.pem", lint.Pass},
		{"matter/root.pem", lint.Pass},
		{"cases/e_matter_akid.pem", lint.Error},
		{"tls13-iot/ee.pem", lint.Pass},
	})
}

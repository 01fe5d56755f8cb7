package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestEMatterPaiBc(t *testing.T) {
	testLint(t, "e_matter_pai_bc", []wantStatus{
		{"matter/sub.pem", lint.Pass},
		{"cases/e_matter_pai_bc.pem", lint.Error},
		{"tls13-iot/sub.pem", lint.Error},
		{"matter/ee.pem", lint.NA},
	})
}

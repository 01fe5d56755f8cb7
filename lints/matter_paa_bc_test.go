package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestEMatterPaaBc(t *testing.T) {
	testLint(t, "e_matter_paa_bc", []wantStatus{
		{"matter/root.pem", lint.Pass},
		{"cases/e_matter_paa_bc.pem", lint.Error},
		{"matter/sub.pem", lint.NA},
	})
}

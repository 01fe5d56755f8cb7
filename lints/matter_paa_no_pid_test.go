package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestEMatterPaaNoPid(t *testing.T) {
	testLint(t, "e_matter_paa_no_pid", []wantStatus{
		{"matter/root.pem", lint.Pass},
		{"cases/e_matter_paa_no_pid.pem", lint.Error},
		{"matter/ee.pem", lint.NA},
	})
}

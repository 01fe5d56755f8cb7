package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestEMatterDacBc(t *testing.T) {
	testLint(t, "e_matter_dac_bc", []wantStatus{
		{"matter/ee.pem", lint.Pass},
		{"cases/e_matter_dac_bc.pem", lint.Error},
		{"matter/sub.pem", lint.NA},
	})
}

package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestEMatterDacKu(t *testing.T) {
	testLint(t, "e_matter_dac_ku", []wantStatus{
		{"matter/ee.pem", lint.Pass},
		{"cases/e_matter_dac_ku.pem", lint.Error},
		{"matter/root.pem", lint.NA},
	})
}

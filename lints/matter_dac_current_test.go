package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestNMatterDacCurrent(t *testing.T) {
	testLintAt(t, "n_matter_dac_current", checkTime, []wantStatus{
		{"cases/n_matter_dac_current.pem", lint.Notice},
		{"matter/ee.pem", lint.NA},
		{"matter/sub.pem", lint.NA},
	})
}

package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestNMatterOptionalExts(t *testing.T) {
	testLint(t, "n_matter_optional_exts", []wantStatus{
		{"cases/n_matter_optional_exts.pem", lint.Notice},
		{"matter/ee.pem", lint.NA},
		{"matter/root.pem", lint.NA},
	})
}

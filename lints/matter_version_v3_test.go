package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestEMatterVersionV3(t *testing.T) {
	testLint(t, "e_matter_version_v3", []wantStatus{
		{"matter/ee.pem", lint.Pass},
		{"matter/root.pem", lint.Pass},
		{"cases/e_matter_version_v3.pem", lint.Error},
	})
}

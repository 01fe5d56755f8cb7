package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestEMatterPaiVid(t *testing.T) {
	testLint(t, "e_matter_pai_vid", []wantStatus{
		{"matter/sub.pem", lint.Pass},
		{"cases/e_matter_pai_vid.pem", lint.Error},
		{"matter/ee.pem", lint.NA},
	})
}

package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestEMatterSkid(t *testing.T) {
	testLint(t, "e_matter_skid", []wantStatus{
		{"matter/ee.pem", lint.Pass},
		{"matter/root.pem", lint.Pass},
		{"cases/e_matter_skid.pem", lint.Error},
	})
}

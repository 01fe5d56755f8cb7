package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestEMatterCaKu(t *testing.T) {
	testLint(t, "e_matter_ca_ku", []wantStatus{
		{"matter/sub.pem", lint.Pass},
		{"matter/root.pem", lint.Pass},
		{"cases/e_matter_ca_ku.pem", lint.Error},
		{"matter/ee.pem", lint.NA},
	})
}

package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestEMatterKuCriticalOnce(t *testing.T) {
	testLint(t, "e_matter_ku_critical_once", []wantStatus{
		{"matter/ee.pem", lint.Pass},
		{"matter/root.pem", lint.Pass},
		{"cases/e_matter_ku_critical_once.pem", lint.Error},
	})
}

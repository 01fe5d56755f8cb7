package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestEMatterBcCriticalOnce(t *testing.T) {
	testLint(t, "e_matter_bc_critical_once", []wantStatus{
		{"matter/ee.pem", lint.Pass},
		{"matter/sub.pem", lint.Pass},
		{"cases/e_matter_bc_critical_once.pem", lint.Error},
	})
}

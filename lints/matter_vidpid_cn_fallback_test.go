package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestEMatterVidpidCnFallback(t *testing.T) {
	testLint(t, "e_matter_vidpid_cn_fallback", []wantStatus{
		{"cases/e_matter_vidpid_cn_fallback.pem", lint.Error},
		{"matter/ee.pem", lint.NA},
	})
}

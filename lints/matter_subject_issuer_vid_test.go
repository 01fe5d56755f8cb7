package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestEMatterSubjectIssuerVid(t *testing.T) {
	testLint(t, "e_matter_subject_issuer_vid", []wantStatus{
		{"matter/ee.pem", lint.Pass},
		{"matter/sub.pem", lint.Pass},
		{"cases/e_matter_subject_issuer_vid.pem", lint.Error},
		{"cases/e_matter_pai_vid.pem", lint.Error},
		{"matter/root.pem", lint.NA},
	})
}

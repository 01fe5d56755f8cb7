package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestEMatterCertSize(t *testing.T) {
	testLint(t, "e_matter_cert_size", []wantStatus{
		{"matter/ee.pem", lint.Pass},
		{"matter/root.pem", lint.Pass},
		{"matter/sub.pem", lint.Pass},
		{"cases/e_matter_cert_size.pem", lint.Error},
	})
}

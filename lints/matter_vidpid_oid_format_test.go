package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestEMatterVidpidOidFormat(t *testing.T) {
	testLint(t, "e_matter_vidpid_oid_format", []wantStatus{
		{"matter/ee.pem", lint.Pass},
		{"matter/root.pem", lint.Pass},
		{"cases/e_matter_vidpid_oid_format.pem", lint.Error},
		{"tls13-iot/ee.pem", lint.NA},
	})
}

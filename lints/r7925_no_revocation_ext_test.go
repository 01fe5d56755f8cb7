package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestR7925NoRevocationExt(t *testing.T) {
	testLint(t, "n_r7925_no_revocation_ext", []wantStatus{
		{"cases/n_r7925_no_revocation_ext.pem", lint.Notice},
		{"cases/n_r7925_no_revocation_ext_ocsp.pem", lint.Notice},
		{"rfc7925/sub.pem", lint.NA}, // neither extension
		{"rfc7925/ee.pem", lint.NA},
	})
}

package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

// The lint applies to every certificate: there is no NA case.
func TestR7925Table1Sig(t *testing.T) {
	testLint(t, "e_r7925_table1_sig", []wantStatus{
		{"rfc7925/root.pem", lint.Pass},
		{"rfc7925/ee.pem", lint.Pass},
		{"cases/e_r7925_table1_sig.pem", lint.Error},
		{"cases/e_r7925_table1_sig_outer.pem", lint.Error},
	})
}

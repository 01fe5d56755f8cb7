package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

// The lint applies to every certificate: there is no NA case.
func TestR7925Table1Version(t *testing.T) {
	testLint(t, "e_r7925_table1_version", []wantStatus{
		{"rfc7925/root.pem", lint.Pass},
		{"rfc7925/ee.pem", lint.Pass},
		{"cases/e_r7925_table1_version.pem", lint.Error},
	})
}

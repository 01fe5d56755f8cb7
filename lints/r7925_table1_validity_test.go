package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestR7925Table1Validity(t *testing.T) {
	testLint(t, "n_r7925_table1_validity", []wantStatus{
		{"cases/n_r7925_table1_validity.pem", lint.Notice},
		{"cases/n_r7925_table1_validity_pre2050.pem", lint.Notice},
		{"idevid-8021ar/ee.pem", lint.Notice}, // 99991231235959Z
		{"rfc7925/ee.pem", lint.NA},           // UTCTime YYMMDDHHMMSSZ only
		{"rfc7925/root.pem", lint.NA},
	})
}

package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestR7925KeyLength(t *testing.T) {
	testLint(t, "n_r7925_key_length", []wantStatus{
		{"rfc7925/ee.pem", lint.Pass},
		{"cases/e_r7925_table1_spki.pem", lint.Pass}, // P-384
		{"cases/n_r7925_key_length.pem", lint.Notice},
		{"cases/e_r7925_key_length_112.pem", lint.NA}, // below 112: the error lint's
	})
}

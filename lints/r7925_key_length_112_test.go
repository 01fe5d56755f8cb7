package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

// NA is for keys of unknown strength, of which the generated certificates
// have none; TestR7925SecurityBits covers it.
func TestR7925KeyLength112(t *testing.T) {
	testLint(t, "e_r7925_key_length_112", []wantStatus{
		{"rfc7925/ee.pem", lint.Pass},
		{"cases/n_r7925_key_length.pem", lint.Pass}, // P-224: exactly 112
		{"cases/e_r7925_key_length_112.pem", lint.Error},
	})
}

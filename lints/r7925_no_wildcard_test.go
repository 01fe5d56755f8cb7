package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestR7925NoWildcard(t *testing.T) {
	testLint(t, "e_r7925_no_wildcard", []wantStatus{
		{"tls13-iot/ee.pem", lint.Pass},
		{"cases/e_r7925_san_single_name.pem", lint.Pass},
		{"cases/e_r7925_no_wildcard.pem", lint.Error},
		{"rfc7925/ee.pem", lint.NA},
		{"rfc7925/sub.pem", lint.NA},
	})
}

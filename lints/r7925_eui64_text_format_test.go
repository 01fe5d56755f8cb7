package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestR7925EUI64TextFormat(t *testing.T) {
	testLint(t, "e_r7925_eui64_text_format", []wantStatus{
		{"rfc7925/ee.pem", lint.Pass},
		{"cases/e_r7925_eui64_text_format.pem", lint.Error},
		{"cases/e_r7925_eui64_text_format_no_dashes.pem", lint.Error},
		{"cases/e_r7925_eui64_text_format_san.pem", lint.Error},
		{"cases/e_r7925_client_eui64.pem", lint.NA}, // nothing that looks like an EUI-64
		{"tls13-iot/ee.pem", lint.NA},
		{"rfc7925/root.pem", lint.NA},
	})
}

package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestR7925ClientEUI64(t *testing.T) {
	testLint(t, "e_r7925_client_eui64", []wantStatus{
		{"rfc7925/ee.pem", lint.Pass},
		{"cases/e_r7925_eui64_text_format.pem", lint.Pass}, // an EUI-64, badly written
		{"cases/e_r7925_client_eui64.pem", lint.Error},
		{"tls13-iot/ee.pem", lint.NA}, // a server: dNSName in SAN
		{"cases/e_r7925_server_dns_in_san.pem", lint.NA},
		{"rfc7925/sub.pem", lint.NA},
		{"cases/e_r7925_eui64_text_format_san.pem", lint.Pass},
	})
}

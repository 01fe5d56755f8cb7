package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestR7925ServerDNSInSAN(t *testing.T) {
	testLint(t, "e_r7925_server_dns_in_san", []wantStatus{
		{"tls13-iot/ee.pem", lint.Pass},
		{"cases/e_r7925_no_wildcard.pem", lint.Pass},
		{"cases/e_r7925_server_dns_in_san.pem", lint.Error},
		{"rfc7925/ee.pem", lint.NA},                          // a client
		{"rfc7925/root.pem", lint.NA},                        // not an end entity
		{"cases/e_r7925_eui64_text_format_san.pem", lint.NA}, // dNSName is an EUI-64: a client
	})
}

package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestR7925SANSingleName(t *testing.T) {
	testLint(t, "e_r7925_san_single_name", []wantStatus{
		{"tls13-iot/ee.pem", lint.Pass},
		{"cases/e_r7925_server_dns_in_san.pem", lint.Pass}, // no SAN at all
		{"cases/e_r7925_san_single_name.pem", lint.Error},
		{"rfc7925/ee.pem", lint.NA},
		{"rfc7925/root.pem", lint.NA},
	})
}

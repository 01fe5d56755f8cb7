package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestIoTAllIssuerNonEmpty(t *testing.T) {
	testLint(t, "e_iot_all_issuer_nonempty", []wantStatus{
		{"tls13-iot/root.pem", lint.Pass},
		{"tls13-iot/ee.pem", lint.Pass},
		{"cases/e_iot_all_issuer_nonempty.pem", lint.Error},
	})
}

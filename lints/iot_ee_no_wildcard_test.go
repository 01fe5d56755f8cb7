package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestIoTEENoWildcard(t *testing.T) {
	testLint(t, "e_iot_ee_no_wildcard", []wantStatus{
		{"tls13-iot/ee.pem", lint.Pass},
		{"cases/e_iot_ee_no_wildcard.pem", lint.Error},
		{"rfc7925/ee.pem", lint.NA}, // no subjectAltName
		{"tls13-iot/sub.pem", lint.NA},
	})
}

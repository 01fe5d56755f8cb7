package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestIoTEENoSKI(t *testing.T) {
	testLint(t, "e_iot_ee_no_ski", []wantStatus{
		{"tls13-iot/ee.pem", lint.Pass},
		{"cases/e_iot_ee_no_ski.pem", lint.Error},
		{"rfc7925/ee.pem", lint.Error}, // RFC 7925 chain has an SKI; not run there
		{"tls13-iot/sub.pem", lint.NA},
	})
}

package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestIoTEESANCriticality(t *testing.T) {
	testLint(t, "e_iot_ee_san_criticality", []wantStatus{
		{"tls13-iot/ee.pem", lint.Pass},
		{"cases/e_iot_ee_san_criticality.pem", lint.Error},
		{"cases/e_iot_ee_san_criticality-empty-subject.pem", lint.Pass},
		{"rfc7925/ee.pem", lint.NA}, // no subjectAltName
		{"tls13-iot/sub.pem", lint.NA},
	})
}

package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestIoTAllVersionV3(t *testing.T) {
	testLint(t, "e_iot_all_version_v3", []wantStatus{
		{"tls13-iot/root.pem", lint.Pass},
		{"tls13-iot/ee.pem", lint.Pass},
		{"cases/e_iot_all_version_v3.pem", lint.Error},
	})
}

package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestIoTEEHWModuleNameInfo(t *testing.T) {
	testLint(t, "n_iot_ee_hwmodulename_info", []wantStatus{
		{"tls13-iot/ee.pem", lint.Pass},
		{"cases/n_iot_ee_hwmodulename_info.pem", lint.Notice},
		// Disabled in the idevid-8021ar profile, but the lint itself sees it.
		{"idevid-8021ar/ee.pem", lint.Notice},
		{"rfc7925/ee.pem", lint.NA},
		{"tls13-iot/sub.pem", lint.NA},
	})
}

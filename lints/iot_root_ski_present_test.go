package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestIoTRootSKIPresent(t *testing.T) {
	testLint(t, "e_iot_root_ski_present", []wantStatus{
		{"tls13-iot/root.pem", lint.Pass},
		{"cases/e_iot_root_ski_present.pem", lint.Error},
		{"cases/e_iot_root_ski_present_critical.pem", lint.Error},
		{"tls13-iot/sub.pem", lint.NA},
	})
}

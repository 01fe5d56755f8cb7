package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestIoTRootAKIPresent(t *testing.T) {
	testLint(t, "w_iot_root_aki_present", []wantStatus{
		{"tls13-iot/root.pem", lint.Pass},
		{"cases/w_iot_root_aki_present.pem", lint.Warn},
		{"tls13-iot/sub.pem", lint.NA},
	})
}

package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestIoTRootAKINoncritical(t *testing.T) {
	testLint(t, "e_iot_root_aki_noncritical", []wantStatus{
		{"tls13-iot/root.pem", lint.Pass},
		{"cases/e_iot_root_aki_noncritical.pem", lint.Error},
		{"cases/w_iot_root_aki_present.pem", lint.NA},
		{"tls13-iot/sub.pem", lint.NA},
	})
}

package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestIoTRootSANNoncritical(t *testing.T) {
	testLint(t, "w_iot_root_san_noncritical", []wantStatus{
		{"cases/n_iot_root_san_consistent.pem", lint.Pass},
		{"cases/w_iot_root_san_noncritical.pem", lint.Warn},
		{"tls13-iot/root.pem", lint.NA},
		{"tls13-iot/ee.pem", lint.NA},
	})
}

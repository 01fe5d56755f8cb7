package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestIoTRootSANConsistent(t *testing.T) {
	testLint(t, "n_iot_root_san_consistent", []wantStatus{
		{"cases/w_iot_root_san_noncritical.pem", lint.Pass},
		{"cases/n_iot_root_san_consistent.pem", lint.Notice},
		{"tls13-iot/root.pem", lint.NA},
		{"tls13-iot/ee.pem", lint.NA},
	})
}

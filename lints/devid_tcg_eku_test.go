package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestDevIDTCGEKU(t *testing.T) {
	testLint(t, "w_devid_tcg_eku", []wantStatus{
		{"tcg-devid/ee.pem", lint.Pass},
		{"cases/w_devid_tcg_eku.pem", lint.Warn},
		{"ldevid-8021ar/ee.pem", lint.Warn}, // clientAuth only
		{"tcg-devid/sub.pem", lint.NA},
	})
}

package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestIoTIDevIDNoEKU(t *testing.T) {
	testLint(t, "w_iot_idevid_no_eku", []wantStatus{
		{"idevid-8021ar/ee.pem", lint.Pass},
		{"cases/w_iot_idevid_no_eku.pem", lint.Warn},
		{"idevid-8021ar/sub.pem", lint.NA},
	})
}

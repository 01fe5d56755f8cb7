package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestIoTLDevIDEKUTLS(t *testing.T) {
	testLint(t, "e_iot_ldevid_eku_tls", []wantStatus{
		{"ldevid-8021ar/ee.pem", lint.Pass},
		{"cases/e_iot_ldevid_eku_tls.pem", lint.Error},
		{"idevid-8021ar/ee.pem", lint.Error}, // no EKU at all (the profile would not run it on an IDevID)
		{"ldevid-8021ar/sub.pem", lint.NA},
	})
}

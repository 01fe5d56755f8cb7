package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestDevIDIDevIDNotAfter9999(t *testing.T) {
	testLint(t, "w_devid_idevid_notafter_9999", []wantStatus{
		{"idevid-8021ar/ee.pem", lint.Pass},
		{"cases/w_devid_idevid_notafter_9999.pem", lint.Warn},
		{"ldevid-8021ar/ee.pem", lint.Warn},
		{"idevid-8021ar/sub.pem", lint.NA},
	})
}

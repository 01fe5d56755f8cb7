package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestDevIDKUPresent(t *testing.T) {
	testLint(t, "w_devid_ku_present", []wantStatus{
		{"idevid-8021ar/ee.pem", lint.Pass},
		{"ldevid-8021ar/ee.pem", lint.Pass},
		{"cases/w_devid_ku_present.pem", lint.Warn},
		{"idevid-8021ar/sub.pem", lint.NA},
	})
}

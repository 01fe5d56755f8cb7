package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestDevIDHWModuleNameSyntax(t *testing.T) {
	testLint(t, "e_devid_hwmodulename_syntax", []wantStatus{
		{"idevid-8021ar/ee.pem", lint.Pass},
		{"tcg-devid/ee.pem", lint.Pass},
		{"cases/e_devid_hwmodulename_syntax.pem", lint.Error},
		{"ldevid-8021ar/ee.pem", lint.NA}, // no HardwareModuleName
		{"idevid-8021ar/sub.pem", lint.NA},
	})
}

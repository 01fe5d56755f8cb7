package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestDevIDHWModuleNameTPM(t *testing.T) {
	testLint(t, "e_devid_hwmodulename_tpm", []wantStatus{
		{"tcg-devid/ee.pem", lint.Pass},
		{"cases/e_devid_hwmodulename_tpm.pem", lint.Error},
		{"cases/e_devid_hwmodulename_tpm_absent.pem", lint.Error},
		{"cases/w_devid_san_present.pem", lint.Error},
		{"cases/e_devid_hwmodulename_syntax.pem", lint.Error},
		{"tcg-devid/sub.pem", lint.NA},
	})
}

package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestDevIDNotBeforeIssuance(t *testing.T) {
	testLint(t, "n_devid_notbefore_issuance", []wantStatus{
		{"tcg-devid/ee.pem", lint.Pass},
		{"cases/n_devid_notbefore_issuance.pem", lint.Notice}, // notBefore 2099-01-01
		{"tcg-devid/sub.pem", lint.NA},
	})
}

package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestDevIDCertPolicy(t *testing.T) {
	testLint(t, "e_devid_cert_policy", []wantStatus{
		{"tcg-devid/ee.pem", lint.Pass},
		{"cases/e_devid_cert_policy.pem", lint.Error},
		{"tcg-devid/sub.pem", lint.NA},
	})
}

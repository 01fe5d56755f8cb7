package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestNBscDualRoleEku(t *testing.T) {
	testLint(t, "n_bsc_dual_role_eku", []wantStatus{
		{"bacnet-sc/ee.pem", lint.Pass},
		{"cases/n_bsc_dual_role_eku.pem", lint.Notice},
		{"tls13-iot/ee.pem", lint.NA},
		{"bacnet-sc/root.pem", lint.NA},
	})
}

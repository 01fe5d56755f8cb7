package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestIoTRootNoPathLen(t *testing.T) {
	testLint(t, "e_iot_root_no_pathlen", []wantStatus{
		{"tls13-iot/root.pem", lint.Pass},
		{"cases/e_iot_root_no_pathlen.pem", lint.Error},
		{"cases/e_iot_root_bc_absent.pem", lint.NA},
		{"cases/w_iot_sub_pathlen_omitted.pem", lint.NA},
	})
}

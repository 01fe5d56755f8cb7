package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestIoTSubPathLenOmitted(t *testing.T) {
	testLint(t, "w_iot_sub_pathlen_omitted", []wantStatus{
		{"tls13-iot/sub.pem", lint.Pass},
		{"cases/w_iot_sub_pathlen_omitted.pem", lint.Warn},
		{"cases/e_iot_sub_bc_absent.pem", lint.NA},
		{"cases/e_iot_root_no_pathlen.pem", lint.NA},
	})
}

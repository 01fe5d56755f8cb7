package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestIoTRootSubjectNonempty(t *testing.T) {
	testLint(t, "e_iot_root_subject_nonempty", []wantStatus{
		{"tls13-iot/root.pem", lint.Pass},
		{"cases/e_iot_root_subject_nonempty.pem", lint.Error},
		{"cases/e_iot_root_subject_cn_o_c.pem", lint.Pass},
		{"tls13-iot/sub.pem", lint.NA},
	})
}

package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestIoTSubSubjectCNOC(t *testing.T) {
	testLint(t, "e_iot_sub_subject_cn_o_c", []wantStatus{
		{"tls13-iot/sub.pem", lint.Pass},
		{"cases/e_iot_sub_subject_cn_o_c.pem", lint.Error},
		{"tls13-iot/root.pem", lint.NA},
	})
}

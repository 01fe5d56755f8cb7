package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestBRSKISubjectSerialNumber(t *testing.T) {
	testLint(t, "e_brski_subject_serialnumber", []wantStatus{
		{"brski-idevid/ee.pem", lint.Pass},
		{"cases/e_brski_subject_serialnumber.pem", lint.Error},
		{"cases/w_devid_subject_serialnumber.pem", lint.Error},
		{"brski-idevid/sub.pem", lint.NA},
	})
}

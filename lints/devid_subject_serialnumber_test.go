package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestDevIDSubjectSerialNumber(t *testing.T) {
	testLint(t, "w_devid_subject_serialnumber", []wantStatus{
		{"idevid-8021ar/ee.pem", lint.Pass},
		{"cases/w_devid_subject_serialnumber.pem", lint.Warn},
		{"idevid-8021ar/root.pem", lint.NA},
	})
}

package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestDevIDSubjectNonempty(t *testing.T) {
	testLint(t, "e_devid_subject_nonempty", []wantStatus{
		{"ldevid-8021ar/ee.pem", lint.Pass},
		{"idevid-8021ar/ee.pem", lint.Pass},
		{"cases/e_devid_subject_nonempty.pem", lint.Error},
		{"ldevid-8021ar/sub.pem", lint.NA},
	})
}

package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestEMatterSerialLength(t *testing.T) {
	testLint(t, "e_matter_serial_length", []wantStatus{
		{"matter/ee.pem", lint.Pass},
		{"cases/e_matter_serial_length.pem", lint.Error},
	})
}

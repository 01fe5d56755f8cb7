package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestEMatterDacVidPid(t *testing.T) {
	testLint(t, "e_matter_dac_vid_pid", []wantStatus{
		{"matter/ee.pem", lint.Pass},
		{"cases/e_matter_dac_vid_pid.pem", lint.Error},
		{"matter/sub.pem", lint.NA},
	})
}

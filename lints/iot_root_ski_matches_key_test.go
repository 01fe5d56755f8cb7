package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestIoTRootSKIMatchesKey(t *testing.T) {
	testLint(t, "w_iot_root_ski_matches_key", []wantStatus{
		{"tls13-iot/root.pem", lint.Pass},
		{"cases/w_iot_root_ski_matches_key.pem", lint.Warn},
		{"cases/e_iot_root_ski_present.pem", lint.NA},
		{"tls13-iot/sub.pem", lint.NA},
	})
}

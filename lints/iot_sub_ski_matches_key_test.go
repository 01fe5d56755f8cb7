package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestIoTSubSKIMatchesKey(t *testing.T) {
	testLint(t, "w_iot_sub_ski_matches_key", []wantStatus{
		{"tls13-iot/sub.pem", lint.Pass},
		{"cases/w_iot_sub_ski_matches_key.pem", lint.Warn},
		{"cases/e_iot_sub_ski.pem", lint.NA},
		{"tls13-iot/root.pem", lint.NA},
	})
}

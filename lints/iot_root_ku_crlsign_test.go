package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestIoTRootKUCRLSign(t *testing.T) {
	testLint(t, "n_iot_root_ku_crlsign", []wantStatus{
		{"tls13-iot/root.pem", lint.Pass},
		{"cases/n_iot_root_ku_crlsign.pem", lint.Notice},
		{"cases/w_iot_root_ku_present.pem", lint.NA},
		{"tls13-iot/sub.pem", lint.NA},
	})
}

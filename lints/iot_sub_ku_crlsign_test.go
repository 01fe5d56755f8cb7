package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestIoTSubKUCRLSign(t *testing.T) {
	testLint(t, "n_iot_sub_ku_crlsign", []wantStatus{
		{"tls13-iot/sub.pem", lint.Pass},
		{"cases/n_iot_sub_ku_crlsign.pem", lint.Notice},
		{"cases/e_iot_sub_ku_critical_certsign.pem", lint.NA},
		{"tls13-iot/root.pem", lint.NA},
	})
}

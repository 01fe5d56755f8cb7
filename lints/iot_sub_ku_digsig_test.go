package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestIoTSubKUDigSig(t *testing.T) {
	testLint(t, "w_iot_sub_ku_digsig", []wantStatus{
		{"tls13-iot/sub.pem", lint.Pass},
		{"cases/w_iot_sub_ku_digsig.pem", lint.Warn},
		{"cases/e_iot_sub_ku_critical_certsign.pem", lint.NA},
		{"tls13-iot/root.pem", lint.NA},
	})
}

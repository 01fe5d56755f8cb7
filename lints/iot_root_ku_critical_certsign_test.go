package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestIoTRootKUCriticalCertSign(t *testing.T) {
	testLint(t, "e_iot_root_ku_critical_certsign", []wantStatus{
		{"tls13-iot/root.pem", lint.Pass},
		{"cases/e_iot_root_ku_critical_certsign.pem", lint.Error},
		{"cases/e_iot_root_ku_critical_certsign_no_certsign.pem", lint.Error},
		{"cases/w_iot_root_ku_present.pem", lint.NA},
		{"tls13-iot/sub.pem", lint.NA},
	})
}

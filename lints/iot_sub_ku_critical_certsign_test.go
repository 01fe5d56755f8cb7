package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestIoTSubKUCriticalCertSign(t *testing.T) {
	testLint(t, "e_iot_sub_ku_critical_certsign", []wantStatus{
		{"tls13-iot/sub.pem", lint.Pass},
		{"cases/e_iot_sub_ku_critical_certsign.pem", lint.Error},
		{"cases/e_iot_sub_ku_critical_certsign_noncritical.pem", lint.Error},
		{"cases/e_iot_sub_ku_critical_certsign_no_certsign.pem", lint.Error},
		{"tls13-iot/root.pem", lint.NA},
	})
}

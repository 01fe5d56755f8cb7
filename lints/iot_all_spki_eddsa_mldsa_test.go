package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestIoTAllSPKIEdDSA(t *testing.T) {
	testLint(t, "w_iot_all_spki_eddsa_mldsa", []wantStatus{
		{"tls13-iot/ee.pem", lint.Pass},
		{"cases/e_iot_all_spki_ec.pem", lint.Pass}, // RSA: the e_ lint
		{"cases/w_iot_all_spki_eddsa_mldsa.pem", lint.Warn},
	})
}

package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestIoTAllSigAlgEdDSA(t *testing.T) {
	testLint(t, "w_iot_all_sig_alg_eddsa_mldsa", []wantStatus{
		{"tls13-iot/ee.pem", lint.Pass},
		{"cases/e_iot_all_sig_alg_ecdsa.pem", lint.Pass}, // RSA: the e_ lint
		{"cases/w_iot_all_sig_alg_eddsa_mldsa.pem", lint.Warn},
	})
}

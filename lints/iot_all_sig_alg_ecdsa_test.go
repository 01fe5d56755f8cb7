package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestIoTAllSigAlgECDSA(t *testing.T) {
	testLint(t, "e_iot_all_sig_alg_ecdsa", []wantStatus{
		{"tls13-iot/ee.pem", lint.Pass},
		{"cases/n_iot_all_sig_alg_device_supported.pem", lint.Pass}, // ecdsa-with-SHA384
		{"cases/w_iot_all_sig_alg_eddsa_mldsa.pem", lint.Pass},      // Ed25519: ambiguity A8, the w_ lint
		{"cases/e_iot_all_sig_alg_ecdsa.pem", lint.Error},
	})
}

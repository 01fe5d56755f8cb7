package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestIoTAllSPKIEC(t *testing.T) {
	testLint(t, "e_iot_all_spki_ec", []wantStatus{
		{"tls13-iot/ee.pem", lint.Pass},
		{"cases/e_iot_all_spki_curve.pem", lint.Pass},       // id-ecPublicKey, named curve secp256k1
		{"cases/w_iot_all_spki_eddsa_mldsa.pem", lint.Pass}, // Ed25519: ambiguity A8, the w_ lint
		{"cases/e_iot_all_spki_ec.pem", lint.Error},
		{"cases/e_iot_ee_no_static_ecdh_spki.pem", lint.Error}, // id-ecDH
	})
}

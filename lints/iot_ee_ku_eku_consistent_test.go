package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestIoTEEKUEKUConsistent(t *testing.T) {
	testLint(t, "e_iot_ee_ku_eku_consistent", []wantStatus{
		{"ldevid-8021ar/ee.pem", lint.Pass}, // digitalSignature, clientAuth
		{"tls13-iot/ee.pem", lint.NA},       // no extendedKeyUsage
		{"ldevid-8021ar/sub.pem", lint.NA},
		// digitalSignature + nonRepudiation + keyAgreement with clientAuth:
		// zlint's e_key_usage_and_extended_key_usage_inconsistent errors.
		{"cases/e_iot_ee_ku_eku_consistent_nonrepudiation.pem", lint.Pass},
		{"cases/e_iot_ee_ku_eku_consistent.pem", lint.Error}, // keyEncipherment only with clientAuth
	})
}

// TestZlintKUEKUInconsistentDiffers shows the false positive the lint
// replaces: zlint's lint errors where RFC 5280 finds a consistent purpose.
func TestZlintKUEKUInconsistentDiffers(t *testing.T) {
	c := loadCert(t, "cases/e_iot_ee_ku_eku_consistent_nonrepudiation.pem")
	if got := runLint(t, "e_key_usage_and_extended_key_usage_inconsistent", c, nil); got.Status != lint.Error {
		t.Errorf("zlint's lint gives %s on digitalSignature+nonRepudiation+keyAgreement with clientAuth, want error (has zlint changed?)", got.Status)
	}
}

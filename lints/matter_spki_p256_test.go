package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestEMatterSpkiP256(t *testing.T) {
	testLint(t, "e_matter_spki_p256", []wantStatus{
		{"matter/ee.pem", lint.Pass},
		{"matter/root.pem", lint.Pass},
		{"cases/e_matter_spki_p256.pem", lint.Error},
		{"cases/e_iot_all_spki_ec.pem", lint.Error},
	})
}

package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestEMatterSigEcdsaSha256(t *testing.T) {
	testLint(t, "e_matter_sig_ecdsa_sha256", []wantStatus{
		{"matter/ee.pem", lint.Pass},
		{"matter/sub.pem", lint.Pass},
		{"cases/e_matter_sig_ecdsa_sha256.pem", lint.Error},
	})
}

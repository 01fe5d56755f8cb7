package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestIoTRootKUDigSig(t *testing.T) {
	testLint(t, "n_iot_root_ku_digsig", []wantStatus{
		{"tls13-iot/root.pem", lint.Pass},                        // keyCertSign, cRLSign
		{"cases/n_iot_root_ku_digsig.pem", lint.Notice},          // and digitalSignature
		{"cases/w_iot_root_ku_present.pem", lint.NA},             // no keyUsage
		{"tls13-iot/sub.pem", lint.NA},                           // a subordinate CA should assert it (w_iot_sub_ku_digsig)
		{"cases/e_iot_root_ku_critical_certsign.pem", lint.Pass}, // non-critical keyUsage without digitalSignature
	})
	got := runLint(t, "n_iot_root_ku_digsig", loadCert(t, "cases/n_iot_root_ku_digsig.pem"), nil)
	const want = "keyUsage asserts digitalSignature, needed only if the root key also signs objects other than certificates and CRLs (such as OCSP responses)"
	if got.Details != want {
		t.Errorf("details %q, want %q", got.Details, want)
	}
}

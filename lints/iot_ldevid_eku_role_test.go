package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestIoTLDevIDEKURole(t *testing.T) {
	// Unset (the default): the lint does not run.
	testLint(t, "e_iot_ldevid_eku_role", []wantStatus{
		{"ldevid-8021ar/ee.pem", lint.NA},
		{"cases/e_iot_ldevid_eku_role.pem", lint.NA},
	})
	for _, tc := range []struct {
		role, file string
		want       lint.LintStatus
	}{
		{"client", "ldevid-8021ar/ee.pem", lint.Pass}, // clientAuth
		{"server", "ldevid-8021ar/ee.pem", lint.Error},
		{"both", "ldevid-8021ar/ee.pem", lint.Error},
		{"client", "cases/e_iot_ldevid_eku_role.pem", lint.Error}, // clientAuth + serverAuth
		{"server", "cases/e_iot_ldevid_eku_role.pem", lint.Error},
		{"both", "cases/e_iot_ldevid_eku_role.pem", lint.Pass},
		{"client", "idevid-8021ar/ee.pem", lint.NA}, // no EKU: e_iot_ldevid_eku_tls's job
		{"client", "ldevid-8021ar/sub.pem", lint.NA},
	} {
		got := runLint(t, "e_iot_ldevid_eku_role", loadCert(t, tc.file), func(p any) { p.(*ldevidEKURole).TLSRole = tc.role })
		if got.Status != tc.want {
			t.Errorf("tls_role %s on %s: got %s (%q), want %s", tc.role, tc.file, got.Status, got.Details, tc.want)
		}
	}
	if err := (&ldevidEKURole{TLSRole: "peer"}).Validate(); err == nil {
		t.Error("Validate accepted tls_role peer")
	}
}

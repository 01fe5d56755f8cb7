package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestIoTRootKUPresent(t *testing.T) {
	testLint(t, "w_iot_root_ku_present", []wantStatus{
		{"tls13-iot/root.pem", lint.Pass},
		{"cases/w_iot_root_ku_present.pem", lint.Warn},
		{"tls13-iot/sub.pem", lint.NA},
	})
	// The editor's copy §16.2.4: in a closed deployment keyUsage may be
	// left out; the deployment says so with closed_deployment.
	for _, tc := range []struct {
		file   string
		closed bool
		want   lint.LintStatus
	}{
		{"cases/w_iot_root_ku_present.pem", false, lint.Warn},
		{"cases/w_iot_root_ku_present.pem", true, lint.Pass},
		{"tls13-iot/root.pem", true, lint.Pass},
	} {
		got := runLint(t, "w_iot_root_ku_present", loadCert(t, tc.file), func(p any) { p.(*rootKUPresent).ClosedDeployment = tc.closed })
		if got.Status != tc.want {
			t.Errorf("%s with closed_deployment %v: got %s (%q), want %s", tc.file, tc.closed, got.Status, got.Details, tc.want)
		}
	}
}

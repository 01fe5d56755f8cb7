package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestIoTAllPolicyOID(t *testing.T) {
	testLint(t, "n_iot_all_policy_oid", []wantStatus{
		{"cases/n_iot_all_policy_oid.pem", lint.Notice},
		{"tls13-iot/ee.pem", lint.NA}, // no certificatePolicies
		{"tls13-iot/root.pem", lint.NA},
	})
}

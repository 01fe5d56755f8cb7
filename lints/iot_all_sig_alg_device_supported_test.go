package lints

import (
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

func TestIoTAllSigAlgDeviceSupported(t *testing.T) {
	// No default: the lint does nothing until a deployment names its
	// devices' algorithms.
	testLint(t, "n_iot_all_sig_alg_device_supported", []wantStatus{
		{"tls13-iot/ee.pem", lint.NA},
		{"cases/n_iot_all_sig_alg_device_supported.pem", lint.NA},
	})
	devices := func(algs ...string) func(p any) {
		return func(p any) { p.(*allSigAlgDeviceSupported).Algorithms = algs }
	}
	for _, tc := range []struct {
		file string
		algs []string
		want lint.LintStatus
	}{
		{"tls13-iot/ee.pem", []string{"ecdsa-with-SHA256"}, lint.Pass},
		{"cases/n_iot_all_sig_alg_device_supported.pem", []string{"ecdsa-with-SHA256"}, lint.Notice}, // ecdsa-with-SHA384
		{"cases/n_iot_all_sig_alg_device_supported.pem", []string{"ecdsa-with-SHA256", "ecdsa-with-SHA384"}, lint.Pass},
		{"cases/w_iot_all_sig_alg_eddsa_mldsa.pem", []string{"ecdsa-with-SHA256"}, lint.Notice}, // Ed25519
		{"cases/w_iot_all_sig_alg_eddsa_mldsa.pem", []string{"Ed25519"}, lint.Pass},
	} {
		got := runLint(t, "n_iot_all_sig_alg_device_supported", loadCert(t, tc.file), devices(tc.algs...))
		if got.Status != tc.want || (got.Status == lint.Notice && got.Details == "") {
			t.Errorf("%s with algorithms %v: got %s (%q), want %s", tc.file, tc.algs, got.Status, got.Details, tc.want)
		}
	}
	for _, tc := range []struct {
		algs []string
		ok   bool
	}{
		{[]string{"ecdsa-with-SHA256"}, true},
		{[]string{"ecdsa-with-SHA256", "Ed25519", "ML-DSA-44"}, true},
		{[]string{"ecdsa-with-SHA257"}, false},
		{[]string{}, false},
	} {
		err := (&allSigAlgDeviceSupported{Algorithms: tc.algs}).Validate()
		if (err == nil) != tc.ok {
			t.Errorf("Validate(%v) = %v, want ok=%v", tc.algs, err, tc.ok)
		}
	}
}

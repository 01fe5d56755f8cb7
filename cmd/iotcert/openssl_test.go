package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"

	"github.com/iotcert/iotcert/profile"
)

// TestOpenSSLCertificates lints certificates that openssl made
// (testdata/openssl/make.sh), not iotcert's own generator: the conforming
// ones have no error finding, and each broken one is reported with the lint
// for what is wrong with it.
func TestOpenSSLCertificates(t *testing.T) {
	if _, err := exec.LookPath("openssl"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("openssl is not installed; .ci/run installs it")
		}
		t.Skip("openssl is not installed")
	}
	dir := t.TempDir()
	if out, err := exec.Command("bash", "../../testdata/openssl/make.sh", dir).CombinedOutput(); err != nil {
		t.Fatalf("make.sh: %v\n%s", err, out)
	}
	tests := []struct {
		file, profile string
		// want must all be reported; an empty want means "no finding at or
		// above warn".
		want []string
	}{
		{"root.pem", "tls13-iot", nil},
		{"sub.pem", "tls13-iot", nil},
		{"ee.pem", "tls13-iot", nil},
		{"idevid.pem", "idevid-8021ar", nil},
		{"bad-secp256k1.pem", "tls13-iot", []string{"e_iot_all_spki_curve"}},
		{"bad-rsa.pem", "tls13-iot", []string{"e_iot_all_spki_ec"}},
		{"bad-no-keyusage.pem", "tls13-iot", []string{"e_iot_ee_ku_critical"}},
		{"bad-two-dns.pem", "tls13-iot", []string{"e_iot_ee_san_one_name_per_type", "w_iot_ee_san_single_name"}},
		{"bad-ca-digsig-only.pem", "tls13-iot", []string{"e_iot_sub_ku_critical_certsign"}},
		{"bad-idevid-no-serialnumber.pem", "idevid-8021ar", []string{"w_devid_subject_serialnumber"}},
		{"bad-idevid-no-serialnumber.pem", "brski-idevid", []string{"e_brski_subject_serialnumber"}},
		// Issue 12: legal certificates iotcert once flagged, and their
		// counterparts that must still be flagged.
		{"legal-notafter-2049.pem", "tls13-iot", nil},
		{"bad-notafter-9999-midnight.pem", "tls13-iot", []string{"w_iot_all_noexpiry_encoding"}},
		{"legal-ldevid-ku-nonrepudiation.pem", "ldevid-8021ar", nil},
		{"legal-idevid-no-san.pem", "idevid-8021ar", nil},
		{"legal-idevid-no-san.pem", "brski-idevid", nil},
		{"legal-cn-kitchen-light.pem", "tls13-iot", nil},
		{"legal-cn-acme-gateway.pem", "tls13-iot", nil},
		{"legal-cn-s7-plc.pem", "tls13-iot", nil},
		{"bad-cn-fqdn.pem", "tls13-iot", []string{"e_iot_ee_no_fqdn_in_cn"}},
		{"legal-ldevid-10y.pem", "ldevid-8021ar", nil},
		{"legal-serial-leading-zero.pem", "tls13-iot", nil},
		{"bad-urn-mac.pem", "tls13-iot", []string{"w_iot_ee_eui_as_macaddress"}},
		{"bad-backdated-relative-uri.pem", "tls13-iot", []string{"e_ext_san_uri_relative"}},
	}
	for _, tc := range tests {
		t.Run(tc.profile+"/"+tc.file, func(t *testing.T) {
			// --fail-on warn: the conforming certificates have no warning
			// either, and a broken one fails even where its profile says
			// SHOULD.
			code, out, errOut := iotcert(t, "", "lint", "--at", atNow(), "--profile", tc.profile, "--format", "json", "--fail-on", "warn", filepath.Join(dir, tc.file))
			var rep profile.Report
			if err := json.Unmarshal([]byte(out), &rep); err != nil || len(rep.Certificates) != 1 {
				t.Fatalf("exit %d, report does not decode to one certificate (%v)\n%s%s", code, err, out, errOut)
			}
			res := rep.Certificates[0]
			var got []string
			for _, f := range res.Findings {
				got = append(got, f.Lint)
			}
			if len(tc.want) == 0 {
				if code != exitOK || res.Worst() >= profile.Warn {
					t.Errorf("exit %d, findings %+v; want no warning or error", code, res.Findings)
				}
				return
			}
			if code != exitFindings {
				t.Errorf("exit %d, want %d", code, exitFindings)
			}
			for _, w := range tc.want {
				if !slices.Contains(got, w) {
					t.Errorf("%s not reported; findings: %v", w, got)
				}
			}
		})
	}
}

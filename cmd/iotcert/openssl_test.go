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
	if testing.Short() {
		t.Skip("slow (builds a PKI with the openssl CLI); .ci/run runs it without -short")
	}
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
		// notices must all be reported, as notices.
		notices []string
		// absent must not be reported.
		absent []string
	}{
		{"root.pem", "tls13-iot", nil, nil, nil},
		{"sub.pem", "tls13-iot", nil, nil, nil},
		{"ee.pem", "tls13-iot", nil, nil, nil},
		{"idevid.pem", "idevid-8021ar", nil, nil, nil},
		{"bad-secp256k1.pem", "tls13-iot", []string{"e_iot_all_spki_curve"}, nil, nil},
		{"bad-rsa.pem", "tls13-iot", []string{"e_iot_all_spki_ec"}, nil, nil},
		{"bad-no-keyusage.pem", "tls13-iot", []string{"e_iot_ee_ku_critical"}, nil, nil},
		{"bad-two-dns.pem", "tls13-iot", []string{"e_iot_ee_san_one_name_per_type", "w_iot_ee_san_single_name"}, nil, nil},
		{"bad-ca-digsig-only.pem", "tls13-iot", []string{"e_iot_sub_ku_critical_certsign"}, nil, nil},
		{"bad-idevid-no-serialnumber.pem", "idevid-8021ar", []string{"w_devid_subject_serialnumber"}, nil, nil},
		{"bad-idevid-no-serialnumber.pem", "brski-idevid", []string{"e_brski_subject_serialnumber"}, nil, nil},
		// Issue 12: legal certificates iotcert once flagged, and their
		// counterparts that must still be flagged.
		{"legal-notafter-2049.pem", "tls13-iot", nil, nil, nil},
		{"bad-notafter-9999-midnight.pem", "tls13-iot", []string{"w_iot_all_noexpiry_encoding"}, nil, nil},
		{"legal-ldevid-ku-nonrepudiation.pem", "ldevid-8021ar", nil, nil, nil},
		{"legal-idevid-no-san.pem", "idevid-8021ar", nil, nil, nil},
		{"legal-idevid-no-san.pem", "brski-idevid", nil, nil, nil},
		{"legal-cn-kitchen-light.pem", "tls13-iot", nil, nil, nil},
		{"legal-cn-acme-gateway.pem", "tls13-iot", nil, nil, nil},
		{"legal-cn-s7-plc.pem", "tls13-iot", nil, nil, nil},
		{"bad-cn-fqdn.pem", "tls13-iot", []string{"e_iot_ee_no_fqdn_in_cn"}, nil, nil},
		{"legal-ldevid-10y.pem", "ldevid-8021ar", nil, nil, nil},
		{"legal-serial-leading-zero.pem", "tls13-iot", nil, nil, nil},
		{"bad-urn-mac.pem", "tls13-iot", []string{"w_iot_ee_eui_as_macaddress"}, nil, nil},
		{"bad-backdated-relative-uri.pem", "tls13-iot", []string{"e_ext_san_uri_relative"}, nil, nil},
		// The draft's editor's copy 8aad405: a root asserting
		// digitalSignature is a notice (none under -23); a root without
		// keyUsage a warning, except in a closed deployment; an LDevID
		// with a stable device identifier a notice, a warning where the
		// deployment raises it.
		{"legal-root-digsig.pem", "tls13-iot", nil, []string{"n_iot_root_ku_digsig"}, nil},
		{file: "legal-root-digsig.pem", profile: "tls13-iot-23", absent: []string{"n_iot_root_ku_digsig"}},
		{"bad-root-no-keyusage.pem", "tls13-iot", []string{"w_iot_root_ku_present"}, nil, nil},
		{"bad-root-no-keyusage.pem", "tls13-iot-23", []string{"w_iot_root_ku_present"}, nil, nil},
		{"bad-root-no-keyusage.pem", "closed", nil, nil, nil},
		{"bad-ldevid-urn-mac.pem", "ldevid-8021ar", []string{"w_iot_ee_eui_as_macaddress"}, []string{"w_iot_ldevid_stable_identifier"}, nil},
		{"legal-ldevid-hwmodule.pem", "ldevid-8021ar", nil, []string{"w_iot_ldevid_stable_identifier"}, nil},
		{"legal-ldevid-hwmodule.pem", "private-ldevid", []string{"w_iot_ldevid_stable_identifier"}, nil, nil},
	}
	// Deployments' own profiles over the built-in ones.
	rules := writeFile(t, "rules.yaml", []byte(`profiles:
  closed:
    extends: tls13-iot
    rules:
      w_iot_root_ku_present: {params: {closed_deployment: true}}
  private-ldevid:
    extends: ldevid-8021ar
    rules:
      w_iot_ldevid_stable_identifier: {severity: warn}
`))
	for _, tc := range tests {
		t.Run(tc.profile+"/"+tc.file, func(t *testing.T) {
			// --fail-on warn: the conforming certificates have no warning
			// either, and a broken one fails even where its profile says
			// SHOULD.
			code, out, errOut := iotcert(t, "", "lint", "--at", atNow(), "--rules", rules, "--profile", tc.profile, "--format", "json", "--fail-on", "warn", filepath.Join(dir, tc.file))
			var rep profile.Report
			if err := json.Unmarshal([]byte(out), &rep); err != nil || len(rep.Certificates) != 1 {
				t.Fatalf("exit %d, report does not decode to one certificate (%v)\n%s%s", code, err, out, errOut)
			}
			res := rep.Certificates[0]
			var got []string
			for _, f := range res.Findings {
				got = append(got, f.Lint)
				if slices.Contains(tc.notices, f.Lint) && f.Level != profile.Notice {
					t.Errorf("%s reported at %v, want notice", f.Lint, f.Level)
				}
			}
			for _, n := range tc.notices {
				if !slices.Contains(got, n) {
					t.Errorf("%s not reported; findings: %v", n, got)
				}
			}
			for _, n := range tc.absent {
				if slices.Contains(got, n) {
					t.Errorf("%s reported; findings: %v", n, got)
				}
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

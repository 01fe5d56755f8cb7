package profile_test

import (
	"path/filepath"
	"testing"

	"github.com/iotcert/iotcert/certio"
	"github.com/iotcert/iotcert/profile"
)

// lintFile lints the first certificate of a file under testdata/certs
// with the built-in profile called name.
func lintFile(t *testing.T, name, file string) profile.Result {
	t.Helper()
	p, err := profile.Default(name)
	if err != nil {
		t.Fatal(err)
	}
	for it := range certio.Read([]string{filepath.Join(certsDir, file)}, nil) {
		return p.LintItem(it)
	}
	t.Fatalf("%s holds no certificate (run go generate ./...)", file)
	return profile.Result{}
}

// levelOfFinding returns the level of the finding of lint in res, or 0.
func levelOfFinding(res profile.Result, lint string) profile.Level {
	for _, f := range res.Findings {
		if f.Lint == lint {
			return f.Level
		}
	}
	return 0
}

// TestDevIDSANPresentLevel checks the level an IDevID without a
// subjectAltName is reported at: a notice under the IoT profile's 802.1AR
// variants (draft-ietf-uta-tls13-iot-profile-23 §17.4.1 does not follow
// 802.1AR's HardwareModuleName recommendation), a warning under tcg-devid,
// whose keys a TPM holds.
func TestDevIDSANPresentLevel(t *testing.T) {
	for _, tc := range []struct {
		profile string
		want    profile.Level
	}{
		{"idevid-8021ar", profile.Notice},
		{"brski-idevid", profile.Notice},
		{"tcg-devid", profile.Warn},
	} {
		res := lintFile(t, tc.profile, "cases/w_devid_san_present.pem")
		if got := levelOfFinding(res, "w_devid_san_present"); got != tc.want {
			t.Errorf("%s: w_devid_san_present reported at %v, want %v; findings %+v", tc.profile, got, tc.want, res.Findings)
		}
	}
}

// TestBackdatedCertificateJudged checks that zlint's RFC 5280 lints judge a
// certificate backdated before their effective date (notBefore 2000-01-01,
// e_ext_san_uri_relative takes effect in 2008), and that a rule marked
// time_dependent restores the effective date.
func TestBackdatedCertificateJudged(t *testing.T) {
	const file = "cases/e_ext_san_uri_relative_backdated.pem"
	if got := levelOfFinding(lintFile(t, "tls13-iot", file), "e_ext_san_uri_relative"); got != profile.Error {
		t.Errorf("tls13-iot: e_ext_san_uri_relative reported at %v, want error", got)
	}
	rules, err := profile.Load(profile.RulesFile{Name: "test.yaml", Data: []byte(`profiles:
  dated:
    extends: tls13-iot
    rules:
      e_ext_san_uri_relative: {time_dependent: true}
`)})
	if err != nil {
		t.Fatal(err)
	}
	p, err := rules.Profile("dated")
	if err != nil {
		t.Fatal(err)
	}
	for it := range certio.Read([]string{filepath.Join(certsDir, file)}, nil) {
		if got := levelOfFinding(p.LintItem(it), "e_ext_san_uri_relative"); got != 0 {
			t.Errorf("time_dependent: e_ext_san_uri_relative reported at %v on a certificate before its effective date, want no finding", got)
		}
	}
}

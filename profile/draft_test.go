package profile_test

import (
	"path/filepath"
	"testing"

	"github.com/iotcert/iotcert/certio"
	"github.com/iotcert/iotcert/profile"
)

// draftRules are user profiles over the built-in ones, as a deployment
// writes them: a closed deployment, a privacy-sensitive one, and LDevIDs
// under revision -23.
const draftRules = `profiles:
  closed:
    extends: tls13-iot
    rules:
      w_iot_root_ku_present: {params: {closed_deployment: true}}
  private-ldevid:
    extends: ldevid-8021ar
    rules:
      w_iot_ldevid_stable_identifier: {severity: warn}
  ldevid-23:
    extends: tls13-iot-23
    device: ldevid
    sources: [IEEE_8021AR]
`

// findingsOf lints the first certificate of file under testdata/certs with
// p and returns its findings as lint name → level.
func findingsOf(t *testing.T, p *profile.Profile, file string) map[string]profile.Level {
	t.Helper()
	for it := range certio.Read([]string{filepath.Join(certsDir, file)}, nil) {
		got := map[string]profile.Level{}
		for _, f := range p.LintItem(it).Findings {
			got[f.Lint] = f.Level
		}
		return got
	}
	t.Fatalf("%s holds no certificate (run go generate ./...)", file)
	return nil
}

// TestDraftRevisions checks what changed between revision -23 of
// draft-ietf-uta-tls13-iot-profile and the editor's copy after IESG review
// (commit 8aad405): tls13-iot and its children read the editor's copy,
// tls13-iot-23 keeps -23, and the deployment choices the editor's copy
// leaves open are rules.yaml settings.
func TestDraftRevisions(t *testing.T) {
	rules, err := profile.Load(profile.RulesFile{Name: "draft.yaml", Data: []byte(draftRules)})
	if err != nil {
		t.Fatal(err)
	}
	get := func(name string) *profile.Profile {
		p, err := rules.Profile(name)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	old := get("tls13-iot-23")
	if old.Extends != "tls13-iot" || old.Reference != "draft-ietf-uta-tls13-iot-profile-23 §17" {
		t.Errorf("tls13-iot-23: extends %q, reference %q", old.Extends, old.Reference)
	}
	for _, tc := range []struct {
		profile, file string
		want          map[string]profile.Level
	}{
		// A root asserting digitalSignature: a notice by the editor's
		// copy §16.2.4, nothing by -23 §17.2.4.
		{"tls13-iot", "cases/n_iot_root_ku_digsig.pem", map[string]profile.Level{"n_iot_root_ku_digsig": profile.Notice}},
		{"tls13-iot-23", "cases/n_iot_root_ku_digsig.pem", map[string]profile.Level{}},
		// A root without keyUsage: a warning, except in a deployment that
		// declares itself closed (editor's copy only).
		{"tls13-iot", "cases/w_iot_root_ku_present.pem", map[string]profile.Level{"w_iot_root_ku_present": profile.Warn}},
		{"tls13-iot-23", "cases/w_iot_root_ku_present.pem", map[string]profile.Level{"w_iot_root_ku_present": profile.Warn}},
		{"closed", "cases/w_iot_root_ku_present.pem", map[string]profile.Level{}},
		// An LDevID carrying its module's HardwareModuleName: a notice by
		// default, a warning where the deployment cares, nothing by -23.
		{"ldevid-8021ar", "cases/w_iot_ldevid_stable_identifier.pem", map[string]profile.Level{"w_iot_ldevid_stable_identifier": profile.Notice}},
		{"private-ldevid", "cases/w_iot_ldevid_stable_identifier.pem", map[string]profile.Level{"w_iot_ldevid_stable_identifier": profile.Warn}},
		// (n_iot_ee_hwmodulename_info: ldevid-23 extends tls13-iot-23, not
		// ldevid-8021ar, which turns that notice off.)
		{"ldevid-23", "cases/w_iot_ldevid_stable_identifier.pem", map[string]profile.Level{"n_iot_ee_hwmodulename_info": profile.Notice}},
		{"ldevid-23", "ldevid-8021ar/ee.pem", map[string]profile.Level{}},
		// tls13-iot leaves the device kind open: the LDevID lint does not run.
		{"tls13-iot", "cases/w_iot_ldevid_stable_identifier.pem", map[string]profile.Level{"n_iot_ee_hwmodulename_info": profile.Notice}},
	} {
		got := findingsOf(t, get(tc.profile), tc.file)
		if len(got) != len(tc.want) {
			t.Errorf("%s on %s: findings %v, want %v", tc.profile, tc.file, got, tc.want)
			continue
		}
		for lint, level := range tc.want {
			if got[lint] != level {
				t.Errorf("%s on %s: findings %v, want %v", tc.profile, tc.file, got, tc.want)
			}
		}
	}
	for _, name := range []string{"n_iot_root_ku_digsig", "w_iot_ldevid_stable_identifier"} {
		if old.Runs(name) {
			t.Errorf("tls13-iot-23 runs %s, which revision -23 does not have", name)
		}
		if !get("tls13-iot").Runs(name) {
			t.Errorf("tls13-iot does not run %s", name)
		}
	}
}

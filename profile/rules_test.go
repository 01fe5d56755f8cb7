package profile_test

import (
	"strings"
	"sync"
	"testing"

	"github.com/iotcert/iotcert/profile"
	"github.com/iotcert/iotcert/role"
)

func TestDefaultProfiles(t *testing.T) {
	rules, err := profile.LoadDefault()
	if err != nil {
		t.Fatal(err)
	}
	// The default profiles are compiled lazily: each must compile.
	for _, name := range rules.Names() {
		if _, err := rules.Profile(name); err != nil {
			t.Errorf("default profile %s does not compile: %v", name, err)
		}
	}
	for _, name := range []string{"tls13-iot", "tls13-iot-23", "rfc7925", "idevid-8021ar", "ldevid-8021ar", "brski-idevid", "tcg-devid"} {
		p, err := rules.Profile(name)
		if err != nil {
			t.Fatalf("profile %s: %v", name, err)
		}
		if p.Description == "" || p.Reference == "" {
			t.Errorf("profile %s has no description or reference", name)
		}
	}
	tls, _ := rules.Profile("tls13-iot")
	if !tls.Runs("e_basic_constraints_not_critical") {
		t.Error("tls13-iot does not run zlint's RFC 5280 lints")
	}
	if tls.Runs("w_ext_subject_key_identifier_missing_sub_cert") {
		t.Error("tls13-iot runs w_ext_subject_key_identifier_missing_sub_cert, which contradicts the profile's SKI rule")
	}
	idev, _ := rules.Profile("idevid-8021ar")
	if idev.Device != role.IDevIDDevice || idev.Extends != "tls13-iot" {
		t.Errorf("idevid-8021ar: device %q extends %q", idev.Device, idev.Extends)
	}
	if idev.Runs("w_ext_subject_key_identifier_missing_sub_cert") {
		t.Error("idevid-8021ar did not inherit the disabled rule of tls13-iot")
	}
	if _, err := rules.Profile("nope"); err == nil || !strings.Contains(err.Error(), "tls13-iot") {
		t.Errorf("unknown profile: error %v should list the known ones", err)
	}
}

func TestUserRules(t *testing.T) {
	const user = `
profiles:
  strict-iot:
    extends: tls13-iot
    description: ours
    rules:
      e_basic_constraints_not_critical: {severity: warn}
      e_sub_cert_key_usage_cert_sign_bit_set: {disabled: true}
      e_ca_organization_name_missing: {}
`
	rules, err := profile.Load(profile.RulesFile{Name: "user.yaml", Data: []byte(user)})
	if err != nil {
		t.Fatal(err)
	}
	p, err := rules.Profile("strict-iot")
	if err != nil {
		t.Fatal(err)
	}
	if p.Runs("e_sub_cert_key_usage_cert_sign_bit_set") {
		t.Error("disabled lint still runs")
	}
	if !p.Runs("e_ca_organization_name_missing") {
		t.Error("a rule for a lint outside the sources did not add it")
	}
	for _, li := range p.Lints() {
		if li.Name == "e_basic_constraints_not_critical" && li.Level != profile.Warn {
			t.Errorf("severity override: level %s, want warn", li.Level)
		}
	}
	if _, err := rules.Profile("tls13-iot"); err != nil {
		t.Errorf("defaults lost when extending: %v", err)
	}

	replaced, err := profile.Load(profile.RulesFile{Name: "only.yaml", Data: []byte("replace_default: true\nprofiles:\n  mine:\n    sources: [RFC5280]\n")})
	if err != nil {
		t.Fatal(err)
	}
	if names := replaced.Names(); len(names) != 1 || names[0] != "mine" {
		t.Errorf("replace_default: profiles %v, want [mine]", names)
	}
}

// TestRulesErrors checks that every kind of mistake in a rules file is an
// error that names the file and the line.
func TestRulesErrors(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{"unknown top-level key", "profile:\n  x: {}\n", `bad.yaml: line 1: unknown key "profile"`},
		{"unknown profile key", "profiles:\n  x:\n    sources: [RFC5280]\n    extend: tls13-iot\n", `bad.yaml: profile "x": line 4: unknown key "extend"`},
		{"unknown rule key", "profiles:\n  x:\n    rules:\n      e_basic_constraints_not_critical: {severty: warn}\n", `line 4: unknown key "severty"`},
		{"unknown lint", "profiles:\n  x:\n    rules:\n      e_basic_constraints_not_critcal: {}\n", `bad.yaml: line 4: profile "x": unknown lint "e_basic_constraints_not_critcal" (did you mean "e_basic_constraints_not_critical"?)`},
		{"unknown source", "profiles:\n  x:\n    sources: [RFC5281]\n", `bad.yaml: line 2: profile "x": unknown lint source "RFC5281"`},
		{"bad severity", "profiles:\n  x:\n    rules:\n      e_basic_constraints_not_critical: {severity: fatal}\n", `line 4: rule "e_basic_constraints_not_critical": severity "fatal"`},
		{"wrong type", "profiles:\n  x:\n    rules:\n      e_basic_constraints_not_critical: {disabled: maybe}\n", `line 4: cannot unmarshal !!str ` + "`maybe`" + ` into bool`},
		{"params on a lint without params", "profiles:\n  x:\n    rules:\n      e_basic_constraints_not_critical: {params: {a: 1}}\n", `line 4: rule "e_basic_constraints_not_critical": this lint takes no params`},
		{"unknown parent", "profiles:\n  x:\n    extends: nothere\n", `bad.yaml: line 2: profile "x" extends unknown profile "nothere"`},
		{"cycle", "profiles:\n  a: {extends: b}\n  b: {extends: a}\n", `extends forms a cycle`},
		{"bad device", "profiles:\n  x: {device: phone}\n", `device "phone": want idevid or ldevid`},
		{"syntax", "profiles:\n  x: [\n", `bad.yaml: line 2`},
		{"empty", "", `bad.yaml: empty rules file`},
		{"duplicate key", "profiles:\n  x: {}\n  x: {}\n", `bad.yaml: line 3: mapping key "x" already defined`},
		{"profiles not a mapping", "profiles: [a]\n", `bad.yaml: line 1: "profiles" must be a mapping`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := profile.Load(profile.RulesFile{Name: "bad.yaml", Data: []byte(tc.yaml)})
			if err == nil {
				t.Fatalf("loaded without error; want %q", tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q\ndoes not contain %q", err, tc.want)
			}
		})
	}
}

// TestDefaultRulesShared checks that Rules loaded separately compile the
// default profiles they share (the embedded rules.yaml is parsed once)
// concurrently and into distinct profiles: run it with -race.
func TestDefaultRulesShared(t *testing.T) {
	var wg sync.WaitGroup
	got := make([]*profile.Profile, 4)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rules, err := profile.LoadDefault()
			if err != nil {
				t.Error(err)
				return
			}
			if got[i], err = rules.Profile("bacnet-sc"); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	for _, p := range got[1:] {
		if p == got[0] || len(p.Lints()) != len(got[0].Lints()) {
			t.Errorf("profiles of separate loads: same %v, %d and %d lints", p == got[0], len(p.Lints()), len(got[0].Lints()))
		}
	}
}

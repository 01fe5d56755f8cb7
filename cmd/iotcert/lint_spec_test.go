package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iotcert/iotcert/ldevid"
	"github.com/iotcert/iotcert/profile"
)

// genExample makes the output of "gen example [matter]" + "gen hierarchy"
// + "gen devices" for three devices in layout, with the real commands, and
// returns the spec and the output directory.
func genExample(t *testing.T, example, layout string) (spec, out string) {
	t.Helper()
	dir := t.TempDir()
	args := []string{"gen", "example"}
	if example != "" {
		args = append(args, example)
	}
	code, yaml, errOut := iotcert(t, "", args...)
	if code != exitOK {
		t.Fatalf("gen example: exit %d\n%s", code, errOut)
	}
	spec = filepath.Join(dir, "h.yaml")
	csv := filepath.Join(dir, "devices.csv")
	out = filepath.Join(dir, "pki")
	for name, data := range map[string]string{spec: yaml, csv: "id\n1001\n1002\n1003\n"} {
		if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if code, _, errOut := iotcert(t, "", "gen", "hierarchy", spec, "--out", out); code != exitOK {
		t.Fatalf("gen hierarchy: exit %d\n%s", code, errOut)
	}
	if code, _, errOut := iotcert(t, "", "gen", "devices", spec, "--out", out, "--from", csv, "--layout", layout, "--workers", "1"); code != exitOK {
		t.Fatalf("gen devices: exit %d\n%s", code, errOut)
	}
	return spec, out
}

// lintSpecJSON runs lint with args and the JSON format and returns the exit
// status, the report and stderr.
func lintSpecJSON(t *testing.T, args ...string) (int, profile.Report, string) {
	t.Helper()
	code, out, errOut := iotcert(t, "", append([]string{"lint", "--at", atNow(), "--format", "json"}, args...)...)
	var rep profile.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("lint %v: exit %d: %v\n%s", args, code, err, errOut)
	}
	return code, rep, errOut
}

// findings counts the findings of rep by level and lint, at warn and
// above, and the n_chain_duplicate notices.
func findings(rep profile.Report) (warnOrAbove []string, duplicates int) {
	for _, c := range rep.Certificates {
		for _, f := range c.Findings {
			switch {
			case f.Level >= profile.Warn:
				warnOrAbove = append(warnOrAbove, fmt.Sprintf("%s[%d]: %s %s", c.Origin.File, c.Origin.Index, f.Level, f.Lint))
			case f.Lint == "n_chain_duplicate":
				duplicates++
			}
		}
	}
	return warnOrAbove, duplicates
}

// TestLintSpecGenerated: "lint --spec" of a fresh "gen example" (and
// "gen example matter") output, in both layouts, reads every certificate
// (devices.jsonl records too), skips the private keys and the journal
// (said once on stderr, never printed), reports each duplicated
// certificate once and has no finding at warn or above; without --spec,
// tls13-iot does find some.
func TestLintSpecGenerated(t *testing.T) {
	for _, example := range []string{"", "matter"} {
		for _, layout := range []string{"dirs", "jsonl"} {
			t.Run(example+"/"+layout, func(t *testing.T) {
				spec, out := genExample(t, example, layout)
				code, rep, errOut := lintSpecJSON(t, "--spec", spec, out)
				bad, dups := findings(rep)
				if code != exitOK || len(bad) > 0 {
					t.Errorf("exit %d, findings at warn or above:\n%s\n%s", code, strings.Join(bad, "\n"), errOut)
				}
				// dirs: 2 CAs + 3 devices, each with one later copy (in
				// chain.pem); jsonl: the 2 CAs in devices.chain.pem.
				certs, wantDups := 2+3+3*3, 5
				if layout == "jsonl" {
					certs, wantDups = 2+2+3, 2
				}
				if rep.Summary.Certificates != certs || dups != wantDups {
					t.Errorf("%d certificates, %d n_chain_duplicate; want %d, %d", rep.Summary.Certificates, dups, certs, wantDups)
				}
				if want := "iotcert lint: skipped 5 private keys, 1 journal\n"; errOut != want {
					t.Errorf("stderr %q, want %q", errOut, want)
				}
				if strings.Contains(errOut, "PRIVATE") {
					t.Error("key material on stderr")
				}
				if code, rep, _ := lintSpecJSON(t, out); code != exitFindings {
					bad, _ := findings(rep)
					t.Errorf("without --spec: exit %d, want %d (tls13-iot findings): %v", code, exitFindings, bad)
				}
			})
		}
	}
}

// TestLintDevicesJSONL: each record of devices.jsonl is a certificate
// located by its line and device id.
func TestLintDevicesJSONL(t *testing.T) {
	spec, out := genExample(t, "", "jsonl")
	code, rep, errOut := lintSpecJSON(t, "--spec", spec, filepath.Join(out, "devices.jsonl"), filepath.Join(out, "devices.chain.pem"))
	if code != exitOK {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	var got []string
	for _, c := range rep.Certificates[:3] {
		got = append(got, fmt.Sprintf("%s[%d] line %d id %s: %s", filepath.Base(c.Origin.File), c.Origin.Index, c.Origin.Line, c.Origin.ID, c.Subject))
	}
	want := []string{
		"devices.jsonl[0] line 1 id %s: CN=BACnet controller %[1]s, O=Example Devices Ltd, serialNumber=%[1]s",
		"devices.jsonl[1] line 2 id %s: CN=BACnet controller %[1]s, O=Example Devices Ltd, serialNumber=%[1]s",
		"devices.jsonl[2] line 3 id %s: CN=BACnet controller %[1]s, O=Example Devices Ltd, serialNumber=%[1]s",
	}
	for i, w := range want {
		id := rep.Certificates[i].Origin.ID // the batch issues in any order
		if w = fmt.Sprintf(w, id); got[i] != w || id == "" {
			t.Errorf("record %d: %s, want %s", i, got[i], w)
		}
	}
	if errOut != "iotcert lint: skipped 3 private keys\n" {
		t.Errorf("stderr %q", errOut)
	}
	// The text report locates a record by its line and id.
	_, text, _ := iotcert(t, "", "lint", "--at", atNow(), "--spec", spec, filepath.Join(out, "devices.jsonl"))
	if want := fmt.Sprintf("  %s[0] line 1, id %q\n", filepath.Join(out, "devices.jsonl"), rep.Certificates[0].Origin.ID); !strings.Contains(text, want) {
		t.Errorf("text report does not have %q:\n%s", want, text)
	}
}

// TestLintSpecUsage: --spec replaces --profile and --rules, and a spec
// that does not load is a usage error that names it.
func TestLintSpecUsage(t *testing.T) {
	cert := filepath.Join(certs, "tls13-iot", "chain.pem")
	missing := filepath.Join(t.TempDir(), "missing.yaml")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--spec", missing, "--profile", "matter", cert}, "iotcert lint: --spec and --profile: give one (the spec names the profiles and rules)\n"},
		{[]string{"--spec", missing, cert}, "iotcert lint: --spec: "},
	} {
		code, _, errOut := iotcert(t, "", append([]string{"lint"}, tc.args...)...)
		if code != exitUsage || !strings.HasPrefix(errOut, tc.want) || (strings.HasSuffix(tc.want, ": ") && !strings.Contains(errOut, "missing.yaml")) {
			t.Errorf("%v: exit %d, stderr %q; want %d, %q", tc.args, code, errOut, exitUsage, tc.want)
		}
	}
}

// gatewayProfile is a second device profile of the example's device CA,
// under another lint profile and with another subject shape.
const gatewayProfile = `  gateway:
    kind: ldevid
    ca: device-ca
    profile: tls13-iot
    curve: P-256
    validity: 365d
    subject: "CN=Gateway {{.id}}, O=Example Devices Ltd"
    san:
      - dns: "gateway-{{.id}}.example.com"
    eku: [clientAuth]
`

// TestLintSpecTwoDeviceProfiles: when a CA issues two device profiles
// under different lint profiles, each device is linted with the one whose
// subject has its attribute types (the BACnet devices with bacnet-sc,
// which tls13-iot would fail).
func TestLintSpecTwoDeviceProfiles(t *testing.T) {
	dir := t.TempDir()
	spec := filepath.Join(dir, "two.yaml")
	out := filepath.Join(dir, "pki")
	files := map[string]string{
		spec:                             string(ldevid.ExampleSpec("")) + gatewayProfile,
		filepath.Join(dir, "bacnet.csv"): "id\n1001\n1002\n",
		filepath.Join(dir, "gw.csv"):     "id\ng1\n",
	}
	for name, data := range files {
		if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, args := range [][]string{
		{"gen", "hierarchy", spec, "--out", out},
		{"gen", "devices", spec, "--out", out, "--from", filepath.Join(dir, "bacnet.csv"), "--device", "bacnet-controller"},
		{"gen", "devices", spec, "--out", out, "--from", filepath.Join(dir, "gw.csv"), "--device", "gateway"},
	} {
		if code, _, errOut := iotcert(t, "", args...); code != exitOK {
			t.Fatalf("%v: exit %d\n%s", args, code, errOut)
		}
	}
	code, rep, errOut := lintSpecJSON(t, "--spec", spec, out)
	if bad, _ := findings(rep); code != exitOK || len(bad) > 0 || rep.Summary.Certificates != 2+3*4 {
		t.Errorf("exit %d, %d certificates, findings at warn or above: %v\n%s", code, rep.Summary.Certificates, bad, errOut)
	}
}

package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/iotcert/iotcert/profile"
)

const certs = "../../testdata/certs"

// testNow is the time lint and graph judge expiry at in these tests: the
// generated certificates have fixed dates (certgen.Epoch), so the tests
// must not depend on the day they run.
const testNow = "2026-06-01"

// atNow is the --at of a test that lints certificates issued while it
// runs: they are not yet valid at testNow (e_chain_not_yet_valid), so they
// are judged a minute from now.
func atNow() string { return time.Now().Add(time.Minute).UTC().Format(time.RFC3339) }

// iotcert runs the command with args and stdin and returns its exit
// status, stdout and stderr. lint and graph judge expiry at testNow unless
// args say --at.
func iotcert(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	if len(args) > 0 && (args[0] == "lint" || args[0] == "graph") && !slices.Contains(args, "--at") {
		args = append([]string{args[0], "--at", testNow}, args[1:]...)
	}
	var out, errOut bytes.Buffer
	code := run(args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLintConformingChains(t *testing.T) {
	for _, p := range []string{"tls13-iot", "rfc7925", "idevid-8021ar", "ldevid-8021ar", "brski-idevid", "tcg-devid", "matter", "bacnet-sc"} {
		code, out, errOut := iotcert(t, "", "lint", "--profile", p, "--fail-on", "notice", filepath.Join(certs, p, "chain.pem"))
		if code != exitOK {
			t.Errorf("%s chain: exit %d\n%s%s", p, code, out, errOut)
		}
		if !strings.Contains(out, "3 certificate(s) linted with profile "+p+": 3 clean") || !strings.Contains(out, "verdict: PASS") {
			t.Errorf("%s chain: unexpected report\n%s", p, out)
		}
	}
}

func TestLintJSON(t *testing.T) {
	garbage := writeFile(t, "garbage.der", []byte{0x30, 0x82, 0x01})
	code, out, errOut := iotcert(t, "", "lint", filepath.Join(certs, "tls13-iot", "chain.pem"), garbage, "--format", "json")
	if code != exitUsage {
		t.Errorf("exit %d, want %d (input error)", code, exitUsage)
	}
	if !strings.Contains(errOut, "garbage.der (certificate 0, byte 0): truncated or malformed DER") {
		t.Errorf("stderr does not name the bad input: %q", errOut)
	}
	var rep profile.Report
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rep); err != nil {
		t.Fatalf("JSON report does not decode into profile.Report: %v\n%s", err, out)
	}
	if rep.Schema != profile.ReportSchema || rep.Profile != "tls13-iot" {
		t.Errorf("schema %q profile %q", rep.Schema, rep.Profile)
	}
	if len(rep.Certificates) != 4 {
		t.Fatalf("%d certificates, want 4 (3 + the garbage entry)", len(rep.Certificates))
	}
	roles := []string{}
	for _, c := range rep.Certificates[:3] {
		roles = append(roles, c.Role)
		if len(c.SHA256) != 64 || c.Serial == "" || c.Subject == "" || c.Findings == nil {
			t.Errorf("incomplete entry %+v", c)
		}
	}
	if got := strings.Join(roles, ","); got != "end-entity,subordinate,root" {
		t.Errorf("roles %s", got)
	}
	bad := rep.Certificates[3]
	if bad.Role != "unknown" || len(bad.Findings) != 1 || bad.Findings[0].Level != profile.Fatal || bad.Findings[0].Lint != profile.InputErrorLint {
		t.Errorf("garbage entry %+v", bad)
	}
	if rep.Summary.Certificates != 4 || rep.Summary.Clean != 3 || rep.Summary.Findings.Fatal != 1 || rep.Summary.Worst != "fatal" {
		t.Errorf("summary %+v", rep.Summary)
	}
}

func TestLintStdin(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(certs, "tls13-iot", "root.pem"))
	if err != nil {
		t.Fatal(err)
	}
	code, out, _ := iotcert(t, string(data), "lint", "-")
	if code != exitOK || !strings.Contains(out, "ok  -[0] byte 0") {
		t.Errorf("exit %d\n%s", code, out)
	}
}

// TestLintBadInputs checks that each kind of bad input is named with its
// place, gives exit 2, and does not hide the verdict on a good certificate
// linted in the same run.
func TestLintBadInputs(t *testing.T) {
	// The good input is a whole conforming chain: an end entity linted
	// without its issuer gets the n_chain_orphan notice.
	good := filepath.Join(certs, "tls13-iot", "chain.pem")
	pemData, err := os.ReadFile(filepath.Join(certs, "tls13-iot", "ee.pem"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "README"), []byte("not a cert\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, path, want string
	}{
		{"truncated PEM", writeFile(t, "t.pem", pemData[:len(pemData)/2]), "t.pem (certificate 0, byte 0): truncated PEM block"},
		{"garbage DER", writeFile(t, "g.der", []byte{0x30, 0x03, 0x02, 0x01, 0x05}), "g.der (certificate 0, byte 0): not a valid X.509 certificate: "}, // the parser's own words follow
		{"empty file", writeFile(t, "e.pem", nil), "e.pem (certificate 0, byte 0): empty input"},
		{"directory with a non-certificate", dir, "README (certificate 0, byte 0): not a certificate"},
		{"missing file", filepath.Join(dir, "nope.pem"), "nope.pem (certificate 0, byte 0): stat: no such file or directory"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := iotcert(t, "", "lint", tc.path, good)
			if code != exitUsage {
				t.Errorf("exit %d, want %d", code, exitUsage)
			}
			if !strings.Contains(errOut, tc.want) || !strings.Contains(out, tc.want) {
				t.Errorf("stdout/stderr do not contain %q\nstdout:\n%s\nstderr:\n%s", tc.want, out, errOut)
			}
			if !strings.Contains(out, "ok  "+good+"[0]") {
				t.Errorf("the good certificate's verdict is missing:\n%s", out)
			}
		})
	}
}

func TestUsageErrors(t *testing.T) {
	typo := writeFile(t, "rules.yaml", []byte("profiles:\n  mine:\n    extends: tls13-iot\n    rules:\n      e_basic_constraints_not_critcal: {}\n"))
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no command", nil, "Usage:"},
		{"unknown command", []string{"frobnicate"}, `unknown command "frobnicate"`},
		{"no input", []string{"lint"}, "no input"},
		{"bad fail-on", []string{"lint", "--fail-on", "fatal", "x.pem"}, `--fail-on "fatal"`},
		{"bad format", []string{"lint", "--format", "xml", "x.pem"}, `unknown format "xml"`},
		{"unknown profile", []string{"lint", "--profile", "nope", "x.pem"}, `unknown profile "nope"`},
		{"unknown flag", []string{"lint", "--frob", "x.pem"}, "flag provided but not defined: -frob"},
		{"rules typo", []string{"lint", "--rules", typo, "x.pem"}, typo + `: line 5: profile "mine": unknown lint "e_basic_constraints_not_critcal" (did you mean "e_basic_constraints_not_critical"?)`},
		{"missing rules file", []string{"rules", "--rules", "/nonexistent.yaml"}, "rules file: open /nonexistent.yaml"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errOut := iotcert(t, "", tc.args...)
			if code != exitUsage {
				t.Errorf("exit %d, want %d", code, exitUsage)
			}
			if !strings.Contains(errOut, tc.want) {
				t.Errorf("stderr %q does not contain %q", errOut, tc.want)
			}
		})
	}
}

func TestRulesAndProfiles(t *testing.T) {
	code, out, errOut := iotcert(t, "", "rules", "--profile", "tls13-iot")
	if code != exitOK || !strings.Contains(out, "e_basic_constraints_not_critical") {
		t.Errorf("rules --profile: exit %d\n%s%s", code, out, errOut)
	}
	code, out, _ = iotcert(t, "", "rules", "--format", "json")
	var entries []profile.CatalogueEntry
	if code != exitOK || json.Unmarshal([]byte(out), &entries) != nil {
		t.Fatalf("rules --format json: exit %d\n%s", code, out)
	}
	code, out, _ = iotcert(t, "", "profiles")
	if code != exitOK || !strings.Contains(out, "idevid-8021ar (extends tls13-iot) [end entities linted as idevid]") {
		t.Errorf("profiles: exit %d\n%s", code, out)
	}
	if code, out, _ := iotcert(t, "", "help", "lint"); code != exitOK || !strings.Contains(out, "-fail-on") {
		t.Errorf("help lint: exit %d\n%s", code, out)
	}
}

// TestDocsRulesUpToDate keeps docs/rules.md in step with the registered
// lints and rules.yaml.
func TestDocsRulesUpToDate(t *testing.T) {
	code, out, errOut := iotcert(t, "", "rules", "--format", "markdown")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	doc, err := os.ReadFile("../../docs/rules.md")
	if err != nil {
		t.Fatal(err)
	}
	if string(doc) != out {
		t.Error("docs/rules.md is stale: run go generate ./cmd/iotcert")
	}
}

// TestDocsCatalogueUpToDate keeps docs/catalogue.md in step with
// lints.Catalogue.
func TestDocsCatalogueUpToDate(t *testing.T) {
	code, out, errOut := iotcert(t, "", "rules", "--catalogue", "--format", "markdown")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	doc, err := os.ReadFile("../../docs/catalogue.md")
	if err != nil {
		t.Fatal(err)
	}
	if string(doc) != out {
		t.Error("docs/catalogue.md is stale: run go generate ./cmd/iotcert")
	}
}

func TestRulesCatalogue(t *testing.T) {
	code, out, errOut := iotcert(t, "", "rules", "--catalogue")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{
		"iot_ee_ku_critical",
		"e_iot_ee_san_one_name_per_type, w_iot_ee_san_single_name",
		"iot_sub_aki_matches_issuer",
		"e_iot_sub_aki_matches_issuer (chain)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("rules --catalogue does not show %q", want)
		}
	}
	if code, _, errOut := iotcert(t, "", "rules", "--catalogue", "--format", "xml"); code != exitUsage || !strings.Contains(errOut, `unknown format "xml"`) {
		t.Errorf("bad format: exit %d, %q", code, errOut)
	}
}

// TestLintMachineFormats checks the CLI's SARIF and JUnit output end to end
// (the report package's tests check the formats in detail).
func TestLintMachineFormats(t *testing.T) {
	bad := filepath.Join(certs, "cases", "e_iot_ee_ku_critical.pem")
	// With its issuers, so that the only finding is the case's own.
	issuers := filepath.Join(certs, "tls13-iot", "sub.pem")
	code, out, errOut := iotcert(t, "", "lint", "--format", "sarif", bad, issuers, filepath.Join(certs, "tls13-iot", "root.pem"))
	var sarif struct {
		Runs []struct {
			Results []struct {
				RuleID string `json:"ruleId"`
				Level  string `json:"level"`
			} `json:"results"`
		} `json:"runs"`
	}
	if code != exitFindings || json.Unmarshal([]byte(out), &sarif) != nil || len(sarif.Runs) != 1 {
		t.Fatalf("sarif: exit %d\n%s%s", code, out, errOut)
	}
	if r := sarif.Runs[0].Results; len(r) != 1 || r[0].RuleID != "e_iot_ee_ku_critical" || r[0].Level != "error" {
		t.Errorf("sarif results %+v", r)
	}
	code, out, errOut = iotcert(t, "", "lint", "--format", "junit", bad, filepath.Join(certs, "tls13-iot", "chain.pem"))
	if code != exitFindings || !strings.Contains(out, `<failure`) || !strings.Contains(out, `name="e_iot_ee_ku_critical"`) || !strings.Contains(out, "conforms to tls13-iot") {
		t.Errorf("junit: exit %d\n%s%s", code, out, errOut)
	}
}

// TestSampleBundle pins the verdict of the README's first command: the
// conforming chain is clean and every broken device shows exactly its own
// defect. (A device whose key zcrypto cannot decode, secp256k1, still
// chains to its issuer: its signature is checked over the input's bytes.)
func TestSampleBundle(t *testing.T) {
	code, out, errOut := iotcert(t, "", "lint", "--format", "json", filepath.Join(certs, "sample-bundle.pem"))
	if code != exitFindings {
		t.Errorf("exit %d, want %d\n%s", code, exitFindings, errOut)
	}
	var rep profile.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{}, {}, {},
		{"w_iot_all_serial_entropy_64bit"},
		{"e_iot_all_spki_curve"},
		{"e_iot_ee_san_one_name_per_type", "w_iot_ee_san_single_name"},
		{"e_iot_ee_no_ski"},
		{"e_iot_ee_ku_critical"},
	}
	if len(rep.Certificates) != len(want) {
		t.Fatalf("%d certificates, want %d", len(rep.Certificates), len(want))
	}
	for i, c := range rep.Certificates {
		got := []string{}
		for _, f := range c.Findings {
			got = append(got, f.Lint)
		}
		if strings.Join(got, " ") != strings.Join(want[i], " ") {
			t.Errorf("certificate %d (%s): findings %v, want %v", i, c.Role, got, want[i])
		}
	}
}

// TestLintAtClockedLints checks that --at also sets the time of the lints
// whose verdict depends on it: an IDevID with notBefore 2099-01-01 is in
// the future at the tests' time and not in 2100.
func TestLintAtClockedLints(t *testing.T) {
	file := filepath.Join(certs, "cases", "n_devid_notbefore_issuance.pem")
	_, out, _ := iotcert(t, "", "lint", "--profile", "tcg-devid", "--format", "json", file)
	if !strings.Contains(out, `"n_devid_notbefore_issuance"`) {
		t.Errorf("at %s: no n_devid_notbefore_issuance\n%s", testNow, out)
	}
	_, out, _ = iotcert(t, "", "lint", "--at", "2100-01-01T00:00:00Z", "--profile", "tcg-devid", "--format", "json", file)
	if !strings.Contains(out, `"sha256"`) {
		t.Fatalf("at 2100: no result\n%s", out)
	}
	if strings.Contains(out, `"n_devid_notbefore_issuance"`) {
		t.Errorf("at 2100: n_devid_notbefore_issuance\n%s", out)
	}
}

package report

import (
	"bytes"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/owenrumney/go-sarif/v2/sarif"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/iotcert/iotcert/certio"
	"github.com/iotcert/iotcert/profile"
)

// sarifSchemaFile is the official SARIF 2.1.0 schema (see testdata/README.md).
const sarifSchemaFile = "testdata/sarif-schema-2.1.0.json"

var compileSchema = sync.OnceValues(func() (*jsonschema.Schema, error) {
	f, err := os.Open(sarifSchemaFile)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource("sarif-schema-2.1.0.json", doc); err != nil {
		return nil, err
	}
	return c.Compile("sarif-schema-2.1.0.json")
})

// validateSARIF checks log against the SARIF 2.1.0 schema.
func validateSARIF(t *testing.T, log []byte) error {
	t.Helper()
	sch, err := compileSchema()
	if err != nil {
		t.Fatalf("compiling the SARIF schema: %v", err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(log))
	if err != nil {
		return fmt.Errorf("not JSON: %w", err)
	}
	return sch.Validate(doc)
}

// writeReport writes results with a writer of format and returns the report.
func writeReport(t *testing.T, format string, opts Options, results []profile.Result) []byte {
	t.Helper()
	var out bytes.Buffer
	w, err := New(format, &out, opts)
	if err != nil {
		t.Fatal(err)
	}
	var sum profile.Summary
	for _, r := range results {
		sum.Add(r)
		if err := w.Certificate(r); err != nil {
			t.Fatalf("Certificate: %v", err)
		}
	}
	if err := w.Close(sum); err != nil {
		t.Fatalf("Close: %v", err)
	}
	return out.Bytes()
}

// fixture returns results that cover every kind of finding: a clean
// certificate, error, warn and notice findings, a lint that Options.Rules
// does not describe, an input error, and a certificate on stdin.
func fixture(dir string) []profile.Result {
	a := filepath.Join(dir, "a.pem")
	b := filepath.Join(dir, "b.der")
	return []profile.Result{
		{Origin: certio.Origin{File: a, Index: 0, Offset: 0, Line: 1}, Subject: "CN=Root", Serial: "1", SHA256: "aa", Role: "root", Findings: []profile.Finding{}},
		{Origin: certio.Origin{File: a, Index: 1, Offset: 30, Line: 3}, Subject: "CN=Device 1", Serial: "2", SHA256: "bb", Role: "idevid", Findings: []profile.Finding{
			{Lint: "e_ku_critical", Level: profile.Error, Details: "keyUsage is not critical", Citation: "RFC X §1", Source: "IoT_TLS13"},
			{Lint: "w_validity", Level: profile.Warn, Details: "validity is long", Citation: "RFC X §2", Source: "IoT_TLS13"},
		}},
		{Origin: certio.Origin{File: a, Index: 2, Offset: 70, Line: 8}, Subject: "CN=Device 2", Serial: "3", SHA256: "cc", Role: "idevid", Findings: []profile.Finding{
			{Lint: "e_ku_critical", Level: profile.Error, Details: "keyUsage is not critical", Citation: "RFC X §1", Source: "IoT_TLS13"},
			{Lint: "n_policy", Level: profile.Notice, Details: "no policy", Citation: "RFC X §3", Source: "IoT_TLS13"},
			{Lint: "e_chain_signature_invalid", Level: profile.Error, Details: "signature does not verify", Citation: "RFC 5280 §6.1.3", Source: "iotcert"},
		}},
		profile.InputError(certio.Origin{File: b, Index: 0, Offset: 5}, nil, fmt.Errorf("b.der (certificate 0, byte 5): not a certificate")),
		{Origin: certio.Origin{File: certio.Stdin, Index: 0, Offset: 0}, Subject: "CN=Piped", Serial: "4", SHA256: "dd", Role: "ldevid", Findings: []profile.Finding{
			{Lint: "w_validity", Level: profile.Warn, Details: "validity is long", Citation: "RFC X §2", Source: "IoT_TLS13"},
		}},
	}
}

// fixtureRules describes the fixture's lints, except e_chain_signature_invalid.
var fixtureRules = []profile.LintInfo{
	{Name: "e_ku_critical", Level: profile.Error, Roles: "ee", Source: "IoT_TLS13", Citation: "RFC X §1", Description: "keyUsage must be critical"},
	{Name: "n_policy", Level: profile.Notice, Roles: "all", Source: "IoT_TLS13", Citation: "RFC X §3", Description: "A policy should be named"},
	{Name: "w_validity", Level: profile.Error, Roles: "ee", Source: "IoT_TLS13", Citation: "RFC X §2", Description: "Validity should be short"},
	{Name: "w_unused", Level: profile.Warn, Roles: "ee", Source: "IoT_TLS13", Citation: "RFC X §9", Description: "Never found"},
}

// writeFixtureFiles writes the inputs fixture points at: a.pem with PEM
// BEGIN lines at offsets 0 (line 1), 30 (line 3) and 70 (line 8).
func writeFixtureFiles(t *testing.T, dir string) {
	t.Helper()
	pem := "-----BEGIN CERTIFICATE-----\nA\n" + // 0..30
		"-----BEGIN CERTIFICATE-----\nB\njunk!!!\n" + // 30..68
		"\n\n-----BEGIN CERTIFICATE-----\nC\n" // 68..102
	if strings.Index(pem, "-----BEGIN CERTIFICATE-----\nB") != 30 || strings.Index(pem, "-----BEGIN CERTIFICATE-----\nC") != 70 {
		t.Fatal("fixture offsets are wrong")
	}
	if err := os.WriteFile(filepath.Join(dir, "a.pem"), []byte(pem), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "b.der"), []byte("\x30\x82\x01\x00garbage"), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestSARIFSchema(t *testing.T) {
	dir := t.TempDir()
	writeFixtureFiles(t, dir)
	many := make([]profile.Result, 0, 2000)
	for i := range 2000 {
		r := fixture(dir)[i%5]
		r.Origin.Index = i
		many = append(many, r)
	}
	for _, tc := range []struct {
		name    string
		results []profile.Result
		opts    Options
		want    int // results in the log
	}{
		{"no certificates", nil, Options{Profile: "tls13-iot"}, 0},
		{"clean certificate", fixture(dir)[:1], Options{}, 0},
		{"input errors only", fixture(dir)[3:4], Options{Profile: "tls13-iot"}, 1},
		{"mixed", fixture(dir), Options{Profile: "tls13-iot", Rules: fixtureRules, ToolVersion: "v1.2.3"}, 7},
		{"many certificates", many, Options{Profile: "tls13-iot", Rules: fixtureRules}, 7 * 400},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := writeReport(t, "sarif", tc.opts, tc.results)
			if err := validateSARIF(t, out); err != nil {
				t.Fatalf("log does not validate: %v\n%s", err, out)
			}
			log, err := sarif.FromBytes(out)
			if err != nil {
				t.Fatal(err)
			}
			if len(log.Runs) != 1 || len(log.Runs[0].Results) != tc.want {
				t.Fatalf("got %d runs, want 1 with %d results", len(log.Runs), tc.want)
			}
		})
	}
}

// TestSARIFSchemaRejects shows that the schema check can fail.
func TestSARIFSchemaRejects(t *testing.T) {
	out := writeReport(t, "sarif", Options{}, fixture(t.TempDir())[1:2])
	for _, tc := range []struct{ name, from, to string }{
		{"bad level", `"level":"warning"`, `"level":"warn"`},
		{"bad version", `"version":"2.1.0"`, `"version":"2.2"`},
		{"negative offset", `"byteOffset":30`, `"byteOffset":-3`},
		{"no message", `"message":{"text":"validity is long"}`, `"message":{}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bad := bytes.Replace(out, []byte(tc.from), []byte(tc.to), 1)
			if bytes.Equal(bad, out) {
				t.Fatalf("%s not in the log:\n%s", tc.from, out)
			}
			if err := validateSARIF(t, bad); err == nil {
				t.Errorf("a log with %s validates", tc.to)
			}
		})
	}
}

// sarifResult is what TestSARIFContent checks of a result.
type sarifResult struct {
	RuleID    string
	RuleIndex int
	Level     string
	Message   string
	URI       string
	Offset    int
	Line      int // 0: none
	Props     string
}

func TestSARIFContent(t *testing.T) {
	dir := t.TempDir()
	writeFixtureFiles(t, dir)
	out := writeReport(t, "sarif", Options{Profile: "tls13-iot", Rules: fixtureRules, ToolVersion: "v1.2.3"}, fixture(dir))
	log, err := sarif.FromBytes(out)
	if err != nil {
		t.Fatal(err)
	}
	run := log.Runs[0]
	d := run.Tool.Driver
	if d.Name != "iotcert" || deref(d.Version) != "v1.2.3" || deref(d.InformationURI) != sarifInformationURI {
		t.Errorf("driver = %s %s %s", d.Name, deref(d.Version), deref(d.InformationURI))
	}
	if log.Version != "2.1.0" || !strings.HasSuffix(log.Schema, "sarif-schema-2.1.0.json") {
		t.Errorf("version %q, $schema %q", log.Version, log.Schema)
	}

	type rule struct{ ID, Short, Help, Level string }
	var gotRules []rule
	for _, r := range d.Rules {
		var level string
		if r.DefaultConfiguration != nil {
			level = r.DefaultConfiguration.Level
		}
		gotRules = append(gotRules, rule{r.ID, deref(r.ShortDescription.Text), helpText(r), level})
	}
	wantRules := []rule{
		{"e_ku_critical", "keyUsage must be critical", "RFC X §1: keyUsage must be critical", "error"},
		{"w_validity", "Validity should be short", "RFC X §2: Validity should be short", "error"}, // the profile's level
		{"n_policy", "A policy should be named", "RFC X §3: A policy should be named", "note"},
		{"e_chain_signature_invalid", "e_chain_signature_invalid", "RFC 5280 §6.1.3", "error"}, // from its finding
		{"iotcert_input_error", "The input could not be read or parsed as an X.509 certificate.", "The input could not be read or parsed as an X.509 certificate.", "error"},
	}
	if fmt.Sprint(gotRules) != fmt.Sprint(wantRules) {
		t.Errorf("rules:\n got %v\nwant %v", gotRules, wantRules)
	}

	a, b := fileURI(filepath.Join(dir, "a.pem")), fileURI(filepath.Join(dir, "b.der"))
	dev1 := "citation=RFC X §1 level=error origin=" + filepath.Join(dir, "a.pem") + "[1]@30 role=idevid serial=2 sha256=bb source=IoT_TLS13 subject=CN=Device 1"
	var got []sarifResult
	for _, r := range run.Results {
		g := sarifResult{RuleID: deref(r.RuleID), RuleIndex: int(*r.RuleIndex), Level: deref(r.Level), Message: deref(r.Message.Text)}
		if len(r.Locations) != 1 {
			t.Fatalf("result %s has %d locations", g.RuleID, len(r.Locations))
		}
		pl := r.Locations[0].PhysicalLocation
		g.URI = deref(pl.ArtifactLocation.URI)
		if pl.ArtifactLocation.URI == nil {
			g.URI = "(" + deref(pl.ArtifactLocation.Description.Text) + ")"
		}
		g.Offset = *pl.Region.ByteOffset
		if pl.Region.StartLine != nil {
			g.Line = *pl.Region.StartLine
		}
		if g.RuleID == "e_ku_critical" && g.Line == 3 {
			g.Props = props(r.Properties)
		}
		got = append(got, g)
	}
	want := []sarifResult{
		{"e_ku_critical", 0, "error", "keyUsage is not critical", a, 30, 3, dev1},
		{"w_validity", 1, "warning", "validity is long", a, 30, 3, ""},
		{"e_ku_critical", 0, "error", "keyUsage is not critical", a, 70, 8, ""},
		{"n_policy", 2, "note", "no policy", a, 70, 8, ""},
		{"e_chain_signature_invalid", 3, "error", "signature does not verify", a, 70, 8, ""},
		{"iotcert_input_error", 4, "error", "b.der (certificate 0, byte 5): not a certificate", b, 5, 0, ""},
		{"w_validity", 1, "warning", "validity is long", "(standard input)", 0, 0, ""},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d results, want %d:\n%+v", len(got), len(want), got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("result %d:\n got %+v\nwant %+v", i, got[i], want[i])
		}
	}
	fp := run.Results[0].PartialFingerprints[sarifFingerprint]
	if fp != "bb:e_ku_critical" {
		t.Errorf("partial fingerprint = %v, want bb:e_ku_critical", fp)
	}
	if p := run.Properties; p["profile"] != "tls13-iot" {
		t.Errorf("run properties = %v", p)
	}
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

func helpText(r *sarif.ReportingDescriptor) string {
	if r.Help == nil {
		return ""
	}
	return deref(r.Help.Text)
}

// props formats a property bag as sorted key=value pairs.
func props(p sarif.Properties) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(p)) {
		parts = append(parts, fmt.Sprintf("%s=%v", k, p[k]))
	}
	return strings.Join(parts, " ")
}

func TestFileURI(t *testing.T) {
	for _, tc := range []struct{ path, want string }{
		{"bundle.pem", "bundle.pem"},
		{"firmware/certs/ca bundle.pem", "firmware/certs/ca%20bundle.pem"},
		{"a:b.pem", "./a:b.pem"},
		{"/etc/ssl/ca.pem", "file:///etc/ssl/ca.pem"},
		{"certs/100%.pem", "certs/100%25.pem"},
	} {
		if got := fileURI(tc.path); got != tc.want {
			t.Errorf("fileURI(%q) = %q, want %q", tc.path, got, tc.want)
		}
	}
}

// TestSARIFLintedCertificates lints the generated test certificates (and
// an input that is not one) and checks that the log validates, has one
// result per finding, and that every startLine is the BEGIN line of the
// certificate's PEM block.
func TestSARIFLintedCertificates(t *testing.T) {
	p, err := profile.Default("tls13-iot")
	if err != nil {
		t.Fatal(err)
	}
	junk := filepath.Join(t.TempDir(), "junk.pem")
	if err := os.WriteFile(junk, []byte("not a certificate\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	paths := []string{"../testdata/certs/tls13-iot/chain.pem", "../testdata/certs/cases", junk}
	var results []profile.Result
	findings := 0
	for it := range certio.Read(paths, nil) {
		r := p.LintItem(it)
		results = append(results, r)
		findings += len(r.Findings)
	}
	if findings < 50 {
		t.Fatalf("only %d findings from the test certificates", findings)
	}
	out := writeReport(t, "sarif", Options{Profile: p.Name, Rules: p.Lints()}, results)
	if err := validateSARIF(t, out); err != nil {
		t.Fatalf("log does not validate: %v", err)
	}
	log, err := sarif.FromBytes(out)
	if err != nil {
		t.Fatal(err)
	}
	run := log.Runs[0]
	if len(run.Results) != findings {
		t.Errorf("%d results, want %d", len(run.Results), findings)
	}
	described := 0
	for _, r := range run.Tool.Driver.Rules {
		if r.FullDescription != nil {
			described++
		}
	}
	if described != len(run.Tool.Driver.Rules) {
		t.Errorf("%d of %d rules have a description", described, len(run.Tool.Driver.Rules))
	}
	lines := 0
	for _, r := range run.Results {
		pl := r.Locations[0].PhysicalLocation
		if pl.Region.StartLine == nil {
			if deref(r.RuleID) != profile.InputErrorLint {
				t.Errorf("%s at %s has no startLine", deref(r.RuleID), deref(pl.ArtifactLocation.URI))
			}
			continue
		}
		lines++
		data, err := os.ReadFile(filepath.FromSlash(deref(pl.ArtifactLocation.URI)))
		if err != nil {
			t.Fatal(err)
		}
		text := strings.Split(string(data), "\n")
		if l := text[*pl.Region.StartLine-1]; !strings.HasPrefix(l, "-----BEGIN CERTIFICATE") {
			t.Errorf("%s line %d is %q", deref(pl.ArtifactLocation.URI), *pl.Region.StartLine, l)
		}
	}
	if lines == 0 {
		t.Error("no result has a startLine")
	}
}

// TestDescribesRules checks that the reports of exactly the formats
// DescribesRules names change when Options.Rules is given.
func TestDescribesRules(t *testing.T) {
	dir := t.TempDir()
	writeFixtureFiles(t, dir)
	for _, format := range Formats {
		without := writeReport(t, format, Options{Profile: "tls13-iot", ToolVersion: "v1"}, fixture(dir))
		with := writeReport(t, format, Options{Profile: "tls13-iot", ToolVersion: "v1", Rules: fixtureRules}, fixture(dir))
		if changed := !bytes.Equal(with, without); changed != DescribesRules(format) {
			t.Errorf("%s: report changed with Rules: %v, DescribesRules: %v", format, changed, DescribesRules(format))
		}
	}
}

// Package report writes lint results: text for people, JSON for machines
// (the schema is documented in docs/json-report.md), SARIF 2.1.0 for code
// scanning and JUnit XML for CI test reports (see docs/ci.md). Writers
// take one result at a time, so a report is written as the certificates
// are linted (JUnit, whose counts come first, is kept in a temporary
// spool until Close).
package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/iotcert/iotcert/bundle"
	"github.com/iotcert/iotcert/profile"
)

// Writer writes a report one certificate at a time.
type Writer interface {
	// Certificate writes the result for one certificate.
	Certificate(r profile.Result) error
	// Close writes the summary and ends the report.
	Close(s profile.Summary) error
}

// Formats lists the names New accepts.
var Formats = []string{"text", "json", "sarif", "junit"}

// DescribesRules reports whether reports of the named format describe the
// lints of Options.Rules (SARIF's rules); a writer of any other format
// needs no Rules, which a program that reports one certificate then need
// not make.
func DescribesRules(format string) bool { return format == "sarif" }

// Options set what a writer shows.
type Options struct {
	// Profile is the name of the profile the results come from.
	Profile string
	// FailOn is the level at or above which the run fails. Text shows the
	// verdict; JUnit reports findings at or above it as failures and those
	// below it as passing test cases with output (0 means profile.Error).
	FailOn profile.Level
	// Rules describes the lints whose findings may be reported, e.g.
	// Profile.Lints() plus the chain checks; SARIF describes each rule
	// that a result names from it (see DescribesRules). A lint missing
	// from Rules is described from its first finding.
	Rules []profile.LintInfo
	// ToolVersion is the iotcert version SARIF reports; when empty, the
	// version of the iotcert module in the running binary, if known.
	ToolVersion string
	// Graph, when set, is the chain graph of the run: the text report then
	// ends with a summary table and a chain diagram.
	Graph *bundle.Graph
	// TempDir is where JUnit's test cases wait when they outgrow memory;
	// empty means os.TempDir().
	TempDir string
}

// New returns a writer of the named format (one of Formats) to w.
func New(format string, w io.Writer, opts Options) (Writer, error) {
	switch format {
	case "text":
		return &textWriter{w: w, opts: opts}, nil
	case "json":
		return &jsonWriter{w: w, opts: opts}, nil
	case "sarif":
		return newSARIFWriter(w, opts), nil
	case "junit":
		return newJUnitWriter(w, opts), nil
	}
	return nil, fmt.Errorf("unknown format %q (want %s or %s)", format,
		strings.Join(Formats[:len(Formats)-1], ", "), Formats[len(Formats)-1])
}

// jsonWriter streams a profile.Report as one JSON object.
type jsonWriter struct {
	w       io.Writer
	opts    Options
	started bool
	err     error
}

func (j *jsonWriter) write(s string) {
	if j.err == nil {
		_, j.err = io.WriteString(j.w, s)
	}
}

func (j *jsonWriter) begin() {
	if j.started {
		return
	}
	j.started = true
	head, _ := json.Marshal(struct {
		Schema  string `json:"schema"`
		Profile string `json:"profile"`
	}{profile.ReportSchema, j.opts.Profile})
	j.write(string(head[:len(head)-1]) + `,"certificates":[`)
}

func (j *jsonWriter) Certificate(r profile.Result) error {
	sep := ","
	if !j.started {
		sep = ""
	}
	j.begin()
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	j.write(sep + "\n" + string(b))
	return j.err
}

func (j *jsonWriter) Close(s profile.Summary) error {
	j.begin()
	b, err := json.Marshal(s)
	if err != nil {
		return err
	}
	j.write("\n],\"summary\":" + string(b) + "}\n")
	return j.err
}

// textWriter groups findings under their certificate.
type textWriter struct {
	w     io.Writer
	opts  Options
	err   error
	roles map[string]int // certificates by role, for the summary table
}

func (t *textWriter) printf(format string, args ...any) {
	if t.err == nil {
		_, t.err = fmt.Fprintf(t.w, format, args...)
	}
}

func (t *textWriter) Certificate(r profile.Result) error {
	if t.roles == nil {
		t.roles = map[string]int{}
	}
	t.roles[r.Role]++
	verdict := "ok"
	if w := r.Worst(); w != 0 {
		verdict = strings.ToUpper(w.String())
	}
	if r.Origin.ID != "" {
		// A devices.jsonl record: its line and device id.
		t.printf("%s  %s[%d] line %d, id %q\n", verdict, r.Origin.File, r.Origin.Index, r.Origin.Line, r.Origin.ID)
	} else {
		t.printf("%s  %s[%d] byte %d\n", verdict, r.Origin.File, r.Origin.Index, r.Origin.Offset)
	}
	if r.Subject != "" || r.Serial != "" {
		t.printf("    %s  subject %q  serial %s\n", r.Role, r.Subject, r.Serial)
	}
	for _, f := range r.Findings {
		t.printf("    %-6s  %s: %s\n", f.Level, f.Lint, oneLine(f.Details))
		if f.Citation != "" {
			t.printf("            (%s)\n", f.Citation)
		}
	}
	return t.err
}

func (t *textWriter) Close(s profile.Summary) error {
	if t.opts.Graph != nil {
		t.writeSummaryTable(s)
		t.writeDiagram(t.opts.Graph)
	}
	f := s.Findings
	t.printf("\n%d certificate(s) linted with profile %s: %d clean; findings: %d fatal, %d error, %d warn, %d notice\n",
		s.Certificates, t.opts.Profile, s.Clean, f.Fatal, f.Error, f.Warn, f.Notice)
	if t.opts.FailOn != 0 {
		verdict := "PASS"
		switch {
		case f.Fatal > 0:
			verdict = "FAIL (input errors)"
		case s.WorstLevel() >= t.opts.FailOn:
			verdict = fmt.Sprintf("FAIL (findings at or above %s)", t.opts.FailOn)
		}
		t.printf("verdict: %s\n", verdict)
	}
	return t.err
}

func oneLine(s string) string {
	if s == "" {
		return "(no details)"
	}
	return strings.Join(strings.Fields(s), " ")
}

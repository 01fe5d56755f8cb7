package report

import (
	"bytes"
	"encoding/json"
	"io"
	"net/url"
	"path/filepath"
	"runtime/debug"
	"strings"

	"github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/iotcert/iotcert/certio"
	"github.com/iotcert/iotcert/profile"
)

// SARIF report constants.
const (
	// sarifToolName is the name of the tool driver.
	sarifToolName = "iotcert"
	// sarifInformationURI is where users learn about the tool.
	sarifInformationURI = "https://github.com/iotcert/iotcert"
	// sarifFingerprint names the partial fingerprint that identifies a
	// finding by certificate and lint, so that code scanning follows a
	// finding when its certificate moves within or between files.
	sarifFingerprint = "iotcertFinding/v1"
	// modulePath is the module whose version the tool reports.
	modulePath = "github.com/iotcert/iotcert"
)

// engineRules describes the findings the engine itself produces, which
// belong to no profile.
var engineRules = map[string]profile.LintInfo{
	profile.InputErrorLint: {
		Name: profile.InputErrorLint, Level: profile.Fatal, Source: "iotcert",
		Description: "The input could not be read or parsed as an X.509 certificate.",
	},
	profile.DeviceGuessedLint: {
		Name: profile.DeviceGuessedLint, Level: profile.Notice, Source: "iotcert",
		Description: "The device kind (IDevID or LDevID) of an end entity was guessed from the certificate.",
	},
	profile.TrailingDataLint: {
		Name: profile.TrailingDataLint, Level: profile.Error, Source: "iotcert",
		Description: "Bytes follow the certificate's DER encoding; the certificate is judged without them.",
	},
	profile.UndecodableExtensionLint: {
		Name: profile.UndecodableExtensionLint, Level: profile.Error, Source: "iotcert",
		Description: "An extension's value does not decode; the other lints judge the certificate without its content.",
	},
}

// sarifWriter writes a SARIF 2.1.0 log with one run. Results are streamed:
// the run's "results" array comes first and its "tool" (with the rules the
// results used) after it, at Close; JSON objects are unordered, so the log
// is valid, and only the rules are kept in memory.
type sarifWriter struct {
	w       io.Writer
	opts    Options
	rules   map[string]profile.LintInfo // from opts.Rules
	used    []*sarif.ReportingDescriptor
	index   map[string]int // lint name → index into used
	buf     bytes.Buffer   // one certificate's results
	started bool
	results int
	err     error
}

func newSARIFWriter(w io.Writer, opts Options) *sarifWriter {
	s := &sarifWriter{w: w, opts: opts, rules: map[string]profile.LintInfo{}, index: map[string]int{}}
	for _, l := range opts.Rules {
		s.rules[l.Name] = l
	}
	return s
}

func (s *sarifWriter) write(b []byte) {
	if s.err == nil {
		_, s.err = s.w.Write(b)
	}
}

func (s *sarifWriter) begin() {
	if s.started {
		return
	}
	s.started = true
	log, err := sarif.New(sarif.Version210)
	if err != nil {
		s.err = err
		return
	}
	head, err := json.Marshal(struct {
		Version string `json:"version"`
		Schema  string `json:"$schema"`
	}{log.Version, log.Schema})
	if err != nil {
		s.err = err
		return
	}
	s.write(head[:len(head)-1])
	s.write([]byte(`,"runs":[{"results":[`))
}

func (s *sarifWriter) Certificate(r profile.Result) error {
	s.begin()
	var loc *sarif.Location
	if len(r.Findings) > 0 {
		loc = s.location(r.Origin)
	}
	s.buf.Reset()
	for _, f := range r.Findings {
		b, err := json.Marshal(s.result(r, f, loc))
		if err != nil {
			return err
		}
		if s.results > 0 {
			s.buf.WriteByte(',')
		}
		s.buf.WriteByte('\n')
		s.buf.Write(b)
		s.results++
	}
	if s.buf.Len() > 0 {
		s.write(s.buf.Bytes())
	}
	return s.err
}

// result converts one finding of r, found at loc (nil: nowhere).
func (s *sarifWriter) result(r profile.Result, f profile.Finding, loc *sarif.Location) *sarif.Result {
	res := sarif.NewRuleResult(f.Lint).
		WithRuleIndex(s.ruleIndex(f)).
		WithLevel(sarifLevel(f.Level)).
		WithMessage(sarif.NewTextMessage(message(f)))
	if loc != nil {
		res.WithLocations([]*sarif.Location{loc})
	}
	props := sarif.Properties{
		"origin": r.Origin.String(),
		"role":   r.Role,
		"level":  f.Level.String(),
	}
	for k, v := range map[string]string{"subject": r.Subject, "serial": r.Serial, "sha256": r.SHA256, "citation": f.Citation, "source": f.Source} {
		if v != "" {
			props[k] = v
		}
	}
	res.Properties = props
	cert := r.SHA256
	if cert == "" {
		cert = r.Origin.String()
	}
	res.WithPartialFingerPrints(map[string]any{sarifFingerprint: cert + ":" + f.Lint})
	return res
}

// message is the text of a finding's result.
func message(f profile.Finding) string {
	if d := strings.TrimSpace(f.Details); d != "" {
		return d
	}
	return f.Lint + " failed"
}

// ruleIndex returns the index of f's rule, describing the rule the first
// time a finding names it.
func (s *sarifWriter) ruleIndex(f profile.Finding) int {
	if i, ok := s.index[f.Lint]; ok {
		return i
	}
	info, ok := s.rules[f.Lint]
	if !ok {
		info, ok = engineRules[f.Lint]
	}
	if !ok {
		// A lint the options do not describe: describe it from its finding.
		info = profile.LintInfo{Name: f.Lint, Level: f.Level, Source: f.Source, Citation: f.Citation}
	}
	s.index[f.Lint] = len(s.used)
	s.used = append(s.used, sarifRule(info))
	return len(s.used) - 1
}

// sarifRule converts a lint's description into a SARIF rule.
func sarifRule(l profile.LintInfo) *sarif.ReportingDescriptor {
	desc := strings.TrimSpace(l.Description)
	short := desc
	if short == "" {
		short = l.Name
	}
	rule := sarif.NewRule(l.Name).WithShortDescription(sarif.NewMultiformatMessageString(short))
	if desc != "" {
		rule.WithFullDescription(sarif.NewMultiformatMessageString(desc))
	}
	var help []string
	if l.Citation != "" {
		help = append(help, l.Citation)
	}
	if desc != "" {
		help = append(help, desc)
	}
	if len(help) > 0 {
		rule.WithHelp(sarif.NewMultiformatMessageString(strings.Join(help, ": ")))
	}
	if l.Level != 0 {
		rule.WithDefaultConfiguration(&sarif.ReportingConfiguration{Level: sarifLevel(l.Level)})
	}
	props := sarif.Properties{}
	for k, v := range map[string]string{"citation": l.Citation, "source": l.Source, "roles": l.Roles} {
		if v != "" {
			props[k] = v
		}
	}
	if l.Level != 0 {
		props["level"] = l.Level.String()
	}
	rule.Properties = props
	return rule
}

// sarifLevel maps a level to a SARIF result level.
func sarifLevel(l profile.Level) string {
	switch l {
	case profile.Fatal, profile.Error:
		return "error"
	case profile.Warn:
		return "warning"
	}
	return "note"
}

// location points at the certificate in its input file; it is nil for a
// certificate that comes from no file (a zero Origin).
func (s *sarifWriter) location(o certio.Origin) *sarif.Location {
	if o.File == "" {
		return nil
	}
	offset := int(o.Offset)
	region := &sarif.Region{ByteOffset: &offset}
	if o.Line > 0 {
		line := o.Line
		region.StartLine = &line
	}
	artifact := &sarif.ArtifactLocation{}
	if o.File == certio.Stdin {
		artifact.Description = sarif.NewTextMessage("standard input")
	} else {
		uri := fileURI(o.File)
		artifact.URI = &uri
	}
	return sarif.NewLocation().WithPhysicalLocation(
		sarif.NewPhysicalLocation().WithArtifactLocation(artifact).WithRegion(region))
}

// fileURI returns path as a URI reference: relative paths stay relative
// (code scanning resolves them against the repository root), absolute
// ones become file: URIs.
func fileURI(path string) string {
	p := filepath.ToSlash(path)
	if filepath.IsAbs(path) {
		if !strings.HasPrefix(p, "/") {
			p = "/" + p // a Windows drive letter
		}
		return (&url.URL{Scheme: "file", Path: p}).String()
	}
	return (&url.URL{Path: p}).String()
}

func (s *sarifWriter) Close(sum profile.Summary) error {
	s.begin()
	driver := sarif.NewDriver(sarifToolName).WithInformationURI(sarifInformationURI)
	if v := toolVersion(s.opts.ToolVersion); v != "" {
		driver.WithVersion(v)
	}
	driver.Rules = s.used
	if driver.Rules == nil {
		driver.Rules = []*sarif.ReportingDescriptor{}
	}
	props := sarif.Properties{"summary": sum}
	if s.opts.Profile != "" {
		props["profile"] = s.opts.Profile
	}
	tail, err := json.Marshal(struct {
		Tool        *sarif.Tool         `json:"tool"`
		Invocations []*sarif.Invocation `json:"invocations"`
		Properties  sarif.Properties    `json:"properties"`
	}{
		Tool:        sarif.NewTool(driver),
		Invocations: []*sarif.Invocation{sarif.NewInvocation().WithExecutionSuccess(true)},
		Properties:  props,
	})
	if err != nil {
		return err
	}
	s.write([]byte("\n],"))
	s.write(tail[1:])
	s.write([]byte("]}\n"))
	return s.err
}

// toolVersion returns v, or else the version of the iotcert module in the
// running binary ("" when it is unknown, as in a development build).
func toolVersion(v string) string {
	if v != "" {
		return v
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	mods := append([]*debug.Module{&info.Main}, info.Deps...)
	for _, m := range mods {
		if m.Path == modulePath && m.Version != "" && m.Version != "(devel)" {
			return m.Version
		}
	}
	return ""
}

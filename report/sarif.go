package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/url"
	"os"
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
	lines   lineCounter
	buf     bytes.Buffer // one certificate's results
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
	if line, ok := s.lines.line(o.File, o.Offset); ok {
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
	s.lines.close()
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

// lineCounter finds the 1-based line of a byte offset in a PEM input file,
// reading each file forward once when offsets come in order. It keeps one
// file open at a time and remembers, per file, how far it has counted.
type lineCounter struct {
	file   string
	f      *os.File
	r      *bufio.Reader
	pos    int64 // offset of r's next byte
	lineNo int   // line of pos
	seen   map[string][2]int64
	gone   map[string]bool // files that could not be opened
}

// pemBegin starts every PEM block; a line is reported only for offsets
// that point at one, so DER and base64 inputs get none.
var pemBegin = []byte("-----BEGIN ")

// line returns the line at offset in file, if offset starts a PEM block.
func (c *lineCounter) line(file string, offset int64) (int, bool) {
	if file == certio.Stdin || file == "" || offset < 0 {
		return 0, false
	}
	if file != c.file || offset < c.pos {
		if !c.open(file, offset) {
			return 0, false
		}
	}
	for c.pos < offset {
		b, err := c.r.ReadSlice('\n')
		if int64(len(b)) > offset-c.pos {
			// The offset is inside this line: not a line start, so not a
			// PEM BEGIN line either. Realign by reopening next time.
			c.close()
			return 0, false
		}
		c.pos += int64(len(b))
		if len(b) > 0 && b[len(b)-1] == '\n' {
			c.lineNo++
		}
		if err != nil && !errors.Is(err, bufio.ErrBufferFull) {
			c.close()
			return 0, false
		}
	}
	head, _ := c.r.Peek(len(pemBegin))
	if !bytes.Equal(head, pemBegin) {
		return 0, false
	}
	c.remember()
	return c.lineNo, true
}

// open opens file and positions it at the last point counted that is not
// after offset.
func (c *lineCounter) open(file string, offset int64) bool {
	c.remember()
	c.close()
	if c.gone[file] {
		return false
	}
	f, err := os.Open(file)
	if err != nil {
		if c.gone == nil {
			c.gone = map[string]bool{}
		}
		c.gone[file] = true
		return false
	}
	pos, line := int64(0), 1
	if at, ok := c.seen[file]; ok && at[0] <= offset {
		if _, err := f.Seek(at[0], io.SeekStart); err == nil {
			pos, line = at[0], int(at[1])
		}
	}
	c.file, c.f, c.r, c.pos, c.lineNo = file, f, bufio.NewReader(f), pos, line
	return true
}

// remember records how far the open file has been counted.
func (c *lineCounter) remember() {
	if c.f == nil {
		return
	}
	if c.seen == nil {
		c.seen = map[string][2]int64{}
	}
	c.seen[c.file] = [2]int64{c.pos, int64(c.lineNo)}
}

// close closes the open file, if any.
func (c *lineCounter) close() {
	if c.f != nil {
		c.f.Close()
	}
	c.file, c.f, c.r = "", nil, nil
}

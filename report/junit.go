package report

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/iotcert/iotcert/certio"
	"github.com/iotcert/iotcert/profile"
)

// junitWriter writes JUnit XML in the flavour Jenkins and GitLab read:
//
//	<testsuites>                one per run, with the run's counts
//	  <testsuite name=FILE>     one per input file
//	    <testcase classname="FILE[INDEX]@OFFSET SUBJECT" name=LINT>
//
// There is one test case per certificate and finding, and one passing
// test case ("conforms to PROFILE") per certificate without findings. A
// finding at or above FailOn is a <failure>, a fatal one (input that is not
// a certificate, a crashed lint) an <error>, and one below FailOn a passing
// test case whose <system-out> holds the finding, so CI fails on exactly
// what makes iotcert exit non-zero and still lists the rest.
//
// The counts come first in the XML, so test cases are encoded as they
// arrive into a spool (memory, then a temporary file past spoolLimit) and
// written out, grouped by file, at Close.
type junitWriter struct {
	w         io.Writer
	opts      Options
	threshold profile.Level
	spool     spool
	suites    []*junitSuite
	byFile    map[string]*junitSuite
	total     junitCounts
	buf       bytes.Buffer // one certificate's test cases
	enc       *xml.Encoder // writes to buf
	err       error
}

// junitSuite is one input file's test cases: where they lie in the spool.
type junitSuite struct {
	name     string
	counts   junitCounts
	segments []segment
}

// segment is a byte range [start, end) of the spool.
type segment struct{ start, end int64 }

// junitCounts counts test cases.
type junitCounts struct{ tests, failures, errors int }

func (c *junitCounts) add(o junitCounts) {
	c.tests += o.tests
	c.failures += o.failures
	c.errors += o.errors
}

// defaultSpoolLimit is how many bytes of test cases are kept in memory
// before they go to a temporary file.
const defaultSpoolLimit = 4 << 20

func newJUnitWriter(w io.Writer, opts Options) *junitWriter {
	t := opts.FailOn
	if t == 0 {
		t = profile.Error
	}
	j := &junitWriter{w: w, opts: opts, threshold: t, spool: spool{limit: defaultSpoolLimit, dir: opts.TempDir}, byFile: map[string]*junitSuite{}}
	j.enc = xml.NewEncoder(&j.buf)
	return j
}

// junitCase is a <testcase> element.
type junitCase struct {
	XMLName   xml.Name      `xml:"testcase"`
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	File      string        `xml:"file,attr,omitempty"`
	Failure   *junitProblem `xml:"failure,omitempty"`
	Error     *junitProblem `xml:"error,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

// junitProblem is a <failure> or <error> element.
type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

func (j *junitWriter) Certificate(r profile.Result) error {
	if j.err != nil {
		return j.err
	}
	classname := r.Origin.String()
	if r.Subject != "" {
		classname += " " + r.Subject
	}
	file := r.Origin.File
	if file == certio.Stdin {
		file = ""
	}
	var cases []junitCase
	var counts junitCounts
	for _, f := range r.Findings {
		c := junitCase{Name: f.Lint, Classname: classname, File: file}
		text := findingText(r, f)
		switch {
		case f.Level == profile.Fatal:
			c.Error = &junitProblem{Message: oneLine(f.Details), Type: f.Level.String(), Text: text}
			counts.errors++
		case f.Level >= j.threshold:
			c.Failure = &junitProblem{Message: oneLine(f.Details), Type: f.Level.String(), Text: text}
			counts.failures++
		default:
			c.SystemOut = text
		}
		cases = append(cases, c)
	}
	if len(r.Findings) == 0 {
		name := "no findings"
		if j.opts.Profile != "" {
			name = "conforms to " + j.opts.Profile
		}
		cases = append(cases, junitCase{Name: name, Classname: classname, File: file})
	}
	counts.tests = len(cases)

	j.buf.Reset()
	for _, c := range cases {
		j.buf.WriteString("\n    ")
		if err := j.enc.Encode(c); err != nil { // Encode flushes into buf
			return err
		}
	}
	start := j.spool.size
	if _, err := j.spool.Write(j.buf.Bytes()); err != nil {
		j.err = fmt.Errorf("spooling JUnit test cases: %w", err)
		return j.err
	}
	s := j.suite(r.Origin.File)
	s.counts.add(counts)
	j.total.add(counts)
	if n := len(s.segments); n > 0 && s.segments[n-1].end == start {
		s.segments[n-1].end = j.spool.size
	} else {
		s.segments = append(s.segments, segment{start, j.spool.size})
	}
	return nil
}

// suite returns the test suite of file, starting it if need be.
func (j *junitWriter) suite(file string) *junitSuite {
	if s, ok := j.byFile[file]; ok {
		return s
	}
	name := file
	switch file {
	case certio.Stdin:
		name = "standard input"
	case "":
		name = "certificates"
	}
	s := &junitSuite{name: name}
	j.byFile[file] = s
	j.suites = append(j.suites, s)
	return s
}

// findingText describes a finding and its certificate for the body of a
// test case.
func findingText(r profile.Result, f profile.Finding) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s\n", f.Level, oneLine(f.Details))
	for _, kv := range [][2]string{
		{"lint", f.Lint},
		{"citation", f.Citation},
		{"source", f.Source},
		{"origin", r.Origin.String()},
		{"role", r.Role},
		{"subject", r.Subject},
		{"serial", r.Serial},
		{"sha256", r.SHA256},
	} {
		if kv[1] != "" {
			fmt.Fprintf(&b, "%s: %s\n", kv[0], kv[1])
		}
	}
	return b.String()
}

func (j *junitWriter) Close(profile.Summary) error {
	defer j.spool.close()
	if j.err != nil {
		return j.err
	}
	name := "iotcert lint"
	if j.opts.Profile != "" {
		name += " (profile " + j.opts.Profile + ")"
	}
	w := &errWriter{w: j.w}
	io.WriteString(w, xml.Header)
	fmt.Fprintf(w, "<testsuites name=%s tests=\"%d\" failures=\"%d\" errors=\"%d\">",
		xmlAttr(name), j.total.tests, j.total.failures, j.total.errors)
	for _, s := range j.suites {
		fmt.Fprintf(w, "\n  <testsuite name=%s tests=\"%d\" failures=\"%d\" errors=\"%d\" skipped=\"0\">",
			xmlAttr(s.name), s.counts.tests, s.counts.failures, s.counts.errors)
		for _, seg := range s.segments {
			if w.err == nil {
				w.err = j.spool.copyTo(w.w, seg.start, seg.end)
			}
		}
		io.WriteString(w, "\n  </testsuite>")
	}
	io.WriteString(w, "\n</testsuites>\n")
	return w.err
}

// xmlAttr quotes s as an XML attribute value.
func xmlAttr(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	xml.EscapeText(&b, []byte(s))
	b.WriteByte('"')
	return b.String()
}

// errWriter keeps the first write error and drops later writes.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	var n int
	n, e.err = e.w.Write(p)
	return n, e.err
}

// spool holds bytes in memory up to limit, then in a temporary file.
type spool struct {
	limit  int
	dir    string // for the temporary file; "" is os.TempDir()
	mem    []byte
	f      *os.File
	bw     *bufio.Writer // buffers writes to f
	remove string        // the file's name, when it could not be unlinked at once
	size   int64
}

// Write appends p.
func (s *spool) Write(p []byte) (int, error) {
	if s.f == nil && len(s.mem)+len(p) > s.limit {
		f, err := os.CreateTemp(s.dir, "iotcert-junit-*.xml")
		if err != nil {
			return 0, err
		}
		// Unlink at once where the system allows it, so that nothing is
		// left behind even if Close is never called.
		if os.Remove(f.Name()) != nil {
			s.remove = f.Name()
		}
		s.f, s.bw = f, bufio.NewWriterSize(f, 64<<10)
		if _, err := s.bw.Write(s.mem); err != nil {
			return 0, err
		}
		s.mem = nil
	}
	var n int
	var err error
	if s.f != nil {
		n, err = s.bw.Write(p)
	} else {
		s.mem = append(s.mem, p...)
		n = len(p)
	}
	s.size += int64(n)
	return n, err
}

// copyTo writes the bytes [start, end) to w.
func (s *spool) copyTo(w io.Writer, start, end int64) error {
	if s.f == nil {
		_, err := w.Write(s.mem[start:end])
		return err
	}
	if err := s.bw.Flush(); err != nil {
		return err
	}
	_, err := io.Copy(w, io.NewSectionReader(s.f, start, end-start))
	return err
}

// close releases the temporary file, if any.
func (s *spool) close() {
	if s.f != nil {
		s.f.Close()
		if s.remove != "" {
			os.Remove(s.remove)
		}
	}
	s.f, s.bw, s.mem, s.remove = nil, nil, nil, ""
}

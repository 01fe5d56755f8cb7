package report

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iotcert/iotcert/certio"
	"github.com/iotcert/iotcert/profile"
)

// The JUnit XML as a CI server reads it.
type (
	xmlSuites struct {
		XMLName  xml.Name   `xml:"testsuites"`
		Name     string     `xml:"name,attr"`
		Tests    int        `xml:"tests,attr"`
		Failures int        `xml:"failures,attr"`
		Errors   int        `xml:"errors,attr"`
		Suites   []xmlSuite `xml:"testsuite"`
	}
	xmlSuite struct {
		Name     string    `xml:"name,attr"`
		Tests    int       `xml:"tests,attr"`
		Failures int       `xml:"failures,attr"`
		Errors   int       `xml:"errors,attr"`
		Skipped  int       `xml:"skipped,attr"`
		Cases    []xmlCase `xml:"testcase"`
	}
	xmlCase struct {
		Name      string      `xml:"name,attr"`
		Classname string      `xml:"classname,attr"`
		File      string      `xml:"file,attr"`
		Failure   *xmlProblem `xml:"failure"`
		Error     *xmlProblem `xml:"error"`
		Skipped   *struct{}   `xml:"skipped"`
		SystemOut string      `xml:"system-out"`
	}
	xmlProblem struct {
		Message string `xml:"message,attr"`
		Type    string `xml:"type,attr"`
		Text    string `xml:",chardata"`
	}
)

// parseJUnit parses a JUnit report and checks that every count attribute
// matches the test cases it counts.
func parseJUnit(t *testing.T, out []byte) xmlSuites {
	t.Helper()
	var s xmlSuites
	if err := xml.Unmarshal(out, &s); err != nil {
		t.Fatalf("not XML: %v\n%s", err, out)
	}
	var total [3]int
	for _, suite := range s.Suites {
		var n [3]int
		for _, c := range suite.Cases {
			n[0]++
			if c.Failure != nil {
				n[1]++
			}
			if c.Error != nil {
				n[2]++
			}
			if c.Skipped != nil {
				t.Errorf("%s %s is skipped", c.Classname, c.Name)
			}
		}
		if got := [3]int{suite.Tests, suite.Failures, suite.Errors}; got != n || suite.Skipped != 0 {
			t.Errorf("suite %s says tests/failures/errors %v skipped %d; its cases are %v", suite.Name, got, suite.Skipped, n)
		}
		for i := range n {
			total[i] += n[i]
		}
	}
	if got := [3]int{s.Tests, s.Failures, s.Errors}; got != total {
		t.Errorf("testsuites says tests/failures/errors %v; its cases are %v", got, total)
	}
	return s
}

// caseLine summarises a test case as "classname | name | outcome".
func caseLine(c xmlCase) string {
	outcome := "pass"
	switch {
	case c.Failure != nil:
		outcome = "failure " + c.Failure.Type + ": " + c.Failure.Message
	case c.Error != nil:
		outcome = "error " + c.Error.Type + ": " + c.Error.Message
	case c.SystemOut != "":
		outcome = "pass, out: " + strings.SplitN(c.SystemOut, "\n", 2)[0]
	}
	return c.Classname + " | " + c.Name + " | " + outcome
}

func TestJUnit(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.pem"), filepath.Join(dir, "b.der")
	type suite struct {
		name  string
		cases []string
	}
	aSuite := func(warn, notice string) suite {
		return suite{a, []string{
			a + "[0]@0 CN=Root | conforms to tls13-iot | pass",
			a + "[1]@30 CN=Device 1 | e_ku_critical | failure error: keyUsage is not critical",
			a + "[1]@30 CN=Device 1 | w_validity | " + warn,
			a + "[2]@70 CN=Device 2 | e_ku_critical | failure error: keyUsage is not critical",
			a + "[2]@70 CN=Device 2 | n_policy | " + notice,
			a + "[2]@70 CN=Device 2 | e_chain_signature_invalid | failure error: signature does not verify",
		}}
	}
	bSuite := suite{b, []string{b + "[0]@5 | iotcert_input_error | error fatal: b.der (certificate 0, byte 5): not a certificate"}}
	stdinSuite := func(warn string) suite {
		return suite{"standard input", []string{"-[0]@0 CN=Piped | w_validity | " + warn}}
	}
	for _, tc := range []struct {
		name         string
		results      []profile.Result
		failOn       profile.Level
		counts       [3]int // tests, failures, errors
		suites       []suite
		spoolLimit   int
		spoolsToDisk bool
	}{
		{name: "no certificates", counts: [3]int{0, 0, 0}},
		{name: "input errors only", results: fixture(dir)[3:4], counts: [3]int{1, 0, 1}, suites: []suite{bSuite}},
		{
			name: "fail on error", results: fixture(dir), failOn: profile.Error, counts: [3]int{8, 3, 1},
			suites: []suite{aSuite("pass, out: warn: validity is long", "pass, out: notice: no policy"), bSuite, stdinSuite("pass, out: warn: validity is long")},
		},
		{
			name: "fail on error by default", results: fixture(dir), counts: [3]int{8, 3, 1},
			suites: []suite{aSuite("pass, out: warn: validity is long", "pass, out: notice: no policy"), bSuite, stdinSuite("pass, out: warn: validity is long")},
		},
		{
			name: "fail on warn", results: fixture(dir), failOn: profile.Warn, counts: [3]int{8, 5, 1},
			suites: []suite{aSuite("failure warn: validity is long", "pass, out: notice: no policy"), bSuite, stdinSuite("failure warn: validity is long")},
		},
		{
			name: "fail on notice", results: fixture(dir), failOn: profile.Notice, counts: [3]int{8, 6, 1},
			suites: []suite{aSuite("failure warn: validity is long", "failure notice: no policy"), bSuite, stdinSuite("failure warn: validity is long")},
		},
		{
			// a.pem's results come in two runs; they still make one suite,
			// in input order, also when the spool is on disk.
			name: "interleaved files, spooled to disk", results: []profile.Result{fixture(dir)[0], fixture(dir)[3], fixture(dir)[1], fixture(dir)[2]},
			counts: [3]int{7, 3, 1}, spoolLimit: 100, spoolsToDisk: true,
			suites: []suite{aSuite("pass, out: warn: validity is long", "pass, out: notice: no policy"), bSuite},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			w := newJUnitWriter(&out, Options{Profile: "tls13-iot", FailOn: tc.failOn})
			if tc.spoolLimit != 0 {
				w.spool.limit = tc.spoolLimit
			}
			var sum profile.Summary
			for _, r := range tc.results {
				sum.Add(r)
				if err := w.Certificate(r); err != nil {
					t.Fatal(err)
				}
			}
			if onDisk := w.spool.f != nil; onDisk != tc.spoolsToDisk {
				t.Errorf("spool on disk: %v, want %v", onDisk, tc.spoolsToDisk)
			}
			if err := w.Close(sum); err != nil {
				t.Fatal(err)
			}
			got := parseJUnit(t, out.Bytes())
			if got.Name != "iotcert lint (profile tls13-iot)" {
				t.Errorf("testsuites name %q", got.Name)
			}
			if c := [3]int{got.Tests, got.Failures, got.Errors}; c != tc.counts {
				t.Errorf("tests/failures/errors = %v, want %v", c, tc.counts)
			}
			var suites []suite
			for _, s := range got.Suites {
				var cases []string
				for _, c := range s.Cases {
					cases = append(cases, caseLine(c))
				}
				suites = append(suites, suite{s.Name, cases})
			}
			if g, w := fmt.Sprintf("%q", suites), fmt.Sprintf("%q", tc.suites); g != w {
				t.Errorf("suites:\n got %s\nwant %s", g, w)
			}
		})
	}
}

func TestJUnitCaseDetails(t *testing.T) {
	dir := t.TempDir()
	out := writeReport(t, "junit", Options{}, fixture(dir)[1:2])
	got := parseJUnit(t, out)
	c := got.Suites[0].Cases
	if got.Name != "iotcert lint" || c[0].Name != "e_ku_critical" || c[1].Name != "w_validity" {
		t.Fatalf("got %+v", got)
	}
	wantFile := filepath.Join(dir, "a.pem")
	if c[0].File != wantFile {
		t.Errorf("file = %q, want %q", c[0].File, wantFile)
	}
	wantText := "error: keyUsage is not critical\nlint: e_ku_critical\ncitation: RFC X §1\nsource: IoT_TLS13\norigin: " +
		wantFile + "[1]@30\nrole: idevid\nsubject: CN=Device 1\nserial: 2\nsha256: bb\n"
	if c[0].Failure.Text != wantText {
		t.Errorf("failure text:\n%s\nwant:\n%s", c[0].Failure.Text, wantText)
	}
	if !strings.HasPrefix(c[1].SystemOut, "warn: validity is long\nlint: w_validity\n") {
		t.Errorf("system-out: %q", c[1].SystemOut)
	}
	if !bytes.HasPrefix(out, []byte(xml.Header)) {
		t.Errorf("no XML declaration: %.60s", out)
	}
}

// TestJUnitHostileText checks that text from a certificate cannot break
// the XML: markup characters and characters XML cannot carry.
func TestJUnitHostileText(t *testing.T) {
	r := profile.Result{
		Origin:  certio.Origin{File: `dir/"<a&b>".pem`, Index: 0},
		Subject: "CN=</testcase>\x00\x1b]0;\xff",
		Findings: []profile.Finding{
			{Lint: "e_x", Level: profile.Error, Details: "bad ]]> <failure/> \x07 & \"quoted\""},
		},
	}
	got := parseJUnit(t, writeReport(t, "junit", Options{Profile: `p"<&>`}, []profile.Result{r}))
	if len(got.Suites) != 1 || len(got.Suites[0].Cases) != 1 {
		t.Fatalf("got %+v", got)
	}
	c := got.Suites[0].Cases[0]
	if got.Suites[0].Name != `dir/"<a&b>".pem` || got.Name != `iotcert lint (profile p"<&>)` {
		t.Errorf("names %q, %q", got.Suites[0].Name, got.Name)
	}
	if c.Classname != "dir/\"<a&b>\".pem[0]@0 CN=</testcase>\uFFFD\uFFFD]0;\uFFFD" {
		t.Errorf("classname %q", c.Classname)
	}
	if c.Failure == nil || c.Failure.Message != "bad ]]> <failure/> \uFFFD & \"quoted\"" {
		t.Errorf("failure %+v", c.Failure)
	}
}

func TestJUnitMany(t *testing.T) {
	// 30,000 certificates in 3 files, with a small spool so that it goes
	// to disk, and every third certificate clean.
	const n = 30000
	var out bytes.Buffer
	w := newJUnitWriter(&out, Options{Profile: "p"})
	w.spool.limit = 1 << 16
	var sum profile.Summary
	for i := range n {
		r := profile.Result{Origin: certio.Origin{File: fmt.Sprintf("f%d.pem", i%3), Index: i / 3}, Findings: []profile.Finding{}}
		switch i % 3 {
		case 1:
			r.Findings = []profile.Finding{{Lint: "e_a", Level: profile.Error}, {Lint: "w_b", Level: profile.Warn}}
		case 2:
			r.Findings = []profile.Finding{{Lint: "iotcert_input_error", Level: profile.Fatal}}
		}
		sum.Add(r)
		if err := w.Certificate(r); err != nil {
			t.Fatal(err)
		}
	}
	name := w.spool.f.Name()
	if err := w.Close(sum); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(name); err == nil {
		t.Errorf("spool file %s is left behind", name)
	}
	got := parseJUnit(t, out.Bytes())
	if c := [3]int{got.Tests, got.Failures, got.Errors}; c != [3]int{n / 3 * 4, n / 3, n / 3} {
		t.Errorf("tests/failures/errors = %v", c)
	}
	for i, s := range got.Suites {
		if want := fmt.Sprintf("f%d.pem", i); s.Name != want {
			t.Errorf("suite %d is %s, want %s", i, s.Name, want)
		}
		perCert := 1 // f1's certificates have two findings, so two cases
		if i == 1 {
			perCert = 2
		}
		if len(s.Cases) != n/3*perCert {
			t.Errorf("suite %s has %d cases", s.Name, len(s.Cases))
		}
		for j, c := range s.Cases {
			if want := fmt.Sprintf("f%d.pem[%d]@0", i, j/perCert); c.Classname != want {
				t.Fatalf("suite %d case %d is %s, want %s", i, j, c.Classname, want)
			}
		}
	}
}

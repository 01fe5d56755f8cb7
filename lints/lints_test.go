package lints

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/certio"
)

// certsDir holds the certificates made by internal/gencerts.
const certsDir = "../testdata/certs"

// loadCert parses the first certificate of a file under certsDir.
func loadCert(t *testing.T, file string) *x509.Certificate {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(certsDir, file))
	if err != nil {
		t.Fatalf("%s: %v (run go generate ./...)", file, err)
	}
	var c *x509.Certificate
	certio.Decode(file, data, func(it certio.Item) bool {
		if it.Err != nil {
			t.Fatalf("%s: %v", file, it.Err)
		}
		if c, err = certio.Parse(it.DER); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		return false
	})
	if c == nil {
		t.Fatalf("%s: no certificate", file)
	}
	return c
}

// runLint runs the registered lint name on c as the profile engine does:
// CheckApplies (with the lint's role restriction), then Execute. A
// configure function, if given, sets the lint's parameters.
func runLint(t *testing.T, name string, c *x509.Certificate, configure func(params any)) *lint.LintResult {
	t.Helper()
	return runLintAt(t, name, c, time.Time{}, configure)
}

// runLintAt is runLint with the time of the check set to at (for a
// Clocked lint; the zero time leaves it on the wall clock).
func runLintAt(t *testing.T, name string, c *x509.Certificate, at time.Time, configure func(params any)) *lint.LintResult {
	t.Helper()
	l := lint.GlobalRegistry().CertificateLints().ByName(name)
	if l == nil {
		t.Fatalf("lint %q is not registered", name)
	}
	inst := l.Lint()
	if clocked, ok := inst.(Clocked); ok && !at.IsZero() {
		clocked.SetNow(at)
	} else if !at.IsZero() {
		t.Fatalf("lint %q does not take the time of the check", name)
	}
	if configure != nil {
		conf, ok := inst.(lint.Configurable)
		if !ok {
			t.Fatalf("lint %q takes no parameters", name)
		}
		configure(conf.Configure())
	}
	if !inst.CheckApplies(c) {
		return &lint.LintResult{Status: lint.NA}
	}
	if !l.CheckEffective(c) {
		return &lint.LintResult{Status: lint.NE}
	}
	return inst.Execute(c)
}

// wantStatus is a certificate file and the status a lint must give it.
type wantStatus struct {
	File string
	Want lint.LintStatus
}

// testLint asserts the exact status of lint name on each file.
func testLint(t *testing.T, name string, cases []wantStatus) {
	t.Helper()
	testLintAt(t, name, time.Time{}, cases)
}

// testLintAt is testLint with the time of the check set to at.
func testLintAt(t *testing.T, name string, at time.Time, cases []wantStatus) {
	t.Helper()
	for _, tc := range cases {
		got := runLintAt(t, name, loadCert(t, tc.File), at, nil)
		if got.Status != tc.Want {
			t.Errorf("%s on %s: got %s (%q), want %s", name, tc.File, got.Status, got.Details, tc.Want)
		}
		if got.Status > lint.Pass && got.Details == "" {
			t.Errorf("%s on %s: %s without details", name, tc.File, got.Status)
		}
	}
}

// checkTime is the time the clocked lints' tests judge the generated
// certificates at, so that no test depends on the calendar: the
// generated hierarchies start on certgen.Epoch (2025-01-01).
var checkTime = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

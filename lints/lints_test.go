package lints

import (
	"os"
	"path/filepath"
	"testing"

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
	l := lint.GlobalRegistry().CertificateLints().ByName(name)
	if l == nil {
		t.Fatalf("lint %q is not registered", name)
	}
	inst := l.Lint()
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
	for _, tc := range cases {
		got := runLint(t, name, loadCert(t, tc.File), nil)
		if got.Status != tc.Want {
			t.Errorf("%s on %s: got %s (%q), want %s", name, tc.File, got.Status, got.Details, tc.Want)
		}
		if got.Status > lint.Pass && got.Details == "" {
			t.Errorf("%s on %s: %s without details", name, tc.File, got.Status)
		}
	}
}

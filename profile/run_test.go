package profile

import (
	"reflect"
	"testing"

	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"

	"github.com/iotcert/iotcert/role"
)

// panicky is a lint that panics in the step named by where.
type panicky struct{ where string }

func (p panicky) CheckApplies(c *x509.Certificate) bool {
	if p.where == "CheckApplies" {
		panic("boom in CheckApplies")
	}
	return true
}

func (p panicky) Execute(c *x509.Certificate) *lint.LintResult {
	if p.where == "Execute" {
		panic("boom in Execute")
	}
	return &lint.LintResult{Status: lint.Warn, Details: "not a panic"}
}

// TestRunPanicIsFatal checks that a lint that panics, wherever it does,
// becomes a fatal finding of that lint (a severity override does not
// lower it), and that the other lints of the profile still run.
func TestRunPanicIsFatal(t *testing.T) {
	_, _, c := benchSetup(t)
	meta := func(name string) lint.LintMetadata {
		return lint.LintMetadata{Name: name, Description: "description of " + name, Citation: "citation of " + name, Source: "test"}
	}
	newLint := func(name, where string) *compiledLint {
		return &compiledLint{
			lint: &lint.CertificateLint{LintMetadata: meta(name), Lint: func() lint.CertificateLintInterface {
				if where == "Lint" {
					panic("boom in Lint")
				}
				return panicky{where}
			}},
			roles:    role.AllSet,
			severity: Notice,
		}
	}
	p := &Profile{Name: "panics", Device: role.LDevIDDevice, lints: []*compiledLint{
		newLint("e_a_lint", "Lint"),
		newLint("e_b_check_applies", "CheckApplies"),
		newLint("e_c_execute", "Execute"),
		newLint("w_d_fine", ""),
	}}
	p.index()
	res := p.Lint(c)
	want := []Finding{
		{Lint: "e_a_lint", Level: Fatal, Details: "lint panicked: boom in Lint", Citation: "citation of e_a_lint", Source: "test"},
		{Lint: "e_b_check_applies", Level: Fatal, Details: "lint panicked: boom in CheckApplies", Citation: "citation of e_b_check_applies", Source: "test"},
		{Lint: "e_c_execute", Level: Fatal, Details: "lint panicked: boom in Execute", Citation: "citation of e_c_execute", Source: "test"},
		{Lint: "w_d_fine", Level: Notice, Details: "not a panic", Citation: "citation of w_d_fine", Source: "test"},
	}
	if !reflect.DeepEqual(res.Findings, want) {
		t.Errorf("findings\n%+v\nwant\n%+v", res.Findings, want)
	}
}

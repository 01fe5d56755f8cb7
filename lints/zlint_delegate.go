package lints

import (
	"fmt"
	"strings"

	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"
	_ "github.com/zmap/zlint/v3/lints/rfc" // the RFC 5280 lints that delegates run

	"github.com/iotcert/iotcert/role"
)

// registerDelegate registers, under meta and for roles, a lint that runs
// the registered zlint lints named by zlintNames and reports the worst of
// their failures at status (lint.Error for an e_ lint, and so on), with
// details naming the zlint lint that fired. It reuses zlint's logic for
// requirements of an IoT profile that only restate RFC 5280; the profile
// then disables the zlint originals so that one problem is reported once,
// under the profile's name and citation.
func registerDelegate(meta lint.LintMetadata, roles role.Set, status lint.LintStatus, zlintNames ...string) {
	names := append([]string(nil), zlintNames...)
	register(meta, roles, func() lint.CertificateLintInterface {
		return &zlintDelegate{status: status, names: names}
	})
}

// zlintDelegate runs zlint lints by name and reports their worst failure.
type zlintDelegate struct {
	status lint.LintStatus
	names  []string
}

func (d *zlintDelegate) CheckApplies(c *x509.Certificate) bool { return true }

func (d *zlintDelegate) Execute(c *x509.Certificate) *lint.LintResult {
	worst := &lint.LintResult{Status: lint.NA}
	var fired []string
	for _, name := range d.names {
		l := lint.GlobalRegistry().CertificateLints().ByName(name)
		if l == nil {
			return failf(d.status, "zlint lint %s is not registered", name)
		}
		r := runZlint(l, c)
		if r.Status > lint.Pass {
			details := r.Details
			if details == "" {
				details = l.Description
			}
			fired = append(fired, fmt.Sprintf("%s: %s", name, details))
		}
		if r.Status > worst.Status {
			worst = r
		}
	}
	switch {
	case len(fired) > 0:
		return failf(d.status, "%s", strings.Join(fired, "; "))
	case worst.Status == lint.Pass:
		return pass()
	}
	return &lint.LintResult{Status: worst.Status}
}

// runZlint runs one zlint lint on c as zlint's engine does, turning a
// panic into a fatal result.
func runZlint(l *lint.CertificateLint, c *x509.Certificate) (res *lint.LintResult) {
	defer func() {
		if v := recover(); v != nil {
			res = &lint.LintResult{Status: lint.Fatal, Details: fmt.Sprintf("panicked: %v", v)}
		}
	}()
	inst := l.Lint()
	if !inst.CheckApplies(c) {
		return &lint.LintResult{Status: lint.NA}
	}
	if !l.CheckEffective(c) {
		return &lint.LintResult{Status: lint.NE}
	}
	if r := inst.Execute(c); r != nil {
		return r
	}
	return &lint.LintResult{Status: lint.NA}
}

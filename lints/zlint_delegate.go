package lints

import (
	"fmt"
	"strings"
	"sync/atomic"

	"github.com/zmap/zcrypto/x509"
	"github.com/zmap/zlint/v3/lint"
	_ "github.com/zmap/zlint/v3/lints/rfc" // the RFC 5280 lints that delegates run
)

// zlintDelegate returns the constructor of a lint that runs the
// registered zlint lints named by zlintNames and reports the worst of
// their failures at status (lint.Error for an e_ lint, and so on), with
// details naming the zlint lint that fired; it is given to register. It
// reuses zlint's logic for requirements of an IoT profile that only
// restate RFC 5280; the profile then disables the zlint originals so that
// one problem is reported once, under the profile's name and citation.
//
// passes, when not nil, is a fast path: when it holds for a certificate,
// each of the zlint lints gives pass or NA, and at least one gives pass,
// so that the delegate passes without running them. passes must accept
// only certificates on which that is certain; TestDelegateFastPaths checks
// it against the zlint lints.
func zlintDelegate(status lint.LintStatus, passes func(*x509.Certificate) bool, zlintNames ...string) func() lint.CertificateLintInterface {
	names := append([]string(nil), zlintNames...)
	resolved := new(atomic.Pointer[[]*lint.CertificateLint])
	return func() lint.CertificateLintInterface {
		return &delegateLint{status: status, names: names, resolved: resolved, passes: passes}
	}
}

// delegateLint runs zlint lints by name and reports their worst failure.
type delegateLint struct {
	status lint.LintStatus
	names  []string
	// resolved holds the registered lints of names, in order, once they
	// have all been found; shared by the instances of one registration.
	resolved *atomic.Pointer[[]*lint.CertificateLint]
	// passes is the fast path, or nil (see zlintDelegate).
	passes func(*x509.Certificate) bool
}

// lints returns the registered lints of d.names, or the first name that
// is not registered. Lints are never unregistered, so lookups that found
// every lint are kept.
func (d *delegateLint) lints() ([]*lint.CertificateLint, string) {
	if ls := d.resolved.Load(); ls != nil {
		return *ls, ""
	}
	registry := lint.GlobalRegistry().CertificateLints()
	ls := make([]*lint.CertificateLint, len(d.names))
	for i, name := range d.names {
		if ls[i] = registry.ByName(name); ls[i] == nil {
			return nil, name
		}
	}
	d.resolved.Store(&ls)
	return ls, ""
}

func (d *delegateLint) CheckApplies(c *x509.Certificate) bool { return true }

func (d *delegateLint) Execute(c *x509.Certificate) *lint.LintResult {
	ls, missing := d.lints()
	if ls == nil {
		return failf(d.status, "zlint lint %s is not registered", missing)
	}
	if d.passes != nil && d.passes(c) {
		return pass()
	}
	worst := lint.NA
	var fired []string
	for i, l := range ls {
		status, details := runZlint(l, c)
		if status > lint.Pass {
			if details == "" {
				details = l.Description
			}
			fired = append(fired, fmt.Sprintf("%s: %s", d.names[i], details))
		}
		worst = max(worst, status)
	}
	switch {
	case len(fired) > 0:
		return failf(d.status, "%s", strings.Join(fired, "; "))
	case worst == lint.Pass:
		return pass()
	}
	return &lint.LintResult{Status: worst}
}

// runZlint runs one zlint lint on c as zlint's engine does, turning a
// panic into a fatal result, and returns the result's status and details.
// Unlike zlint's engine it ignores the lint's effective date: a delegate
// restates a requirement of an IoT profile, which holds for every
// certificate whatever its notBefore (devices without a clock are often
// given backdated certificates), so the requirement must not vanish as NE.
func runZlint(l *lint.CertificateLint, c *x509.Certificate) (status lint.LintStatus, details string) {
	defer func() {
		if v := recover(); v != nil {
			status, details = lint.Fatal, fmt.Sprintf("panicked: %v", v)
		}
	}()
	inst := l.Lint()
	if !inst.CheckApplies(c) {
		return lint.NA, ""
	}
	if r := inst.Execute(c); r != nil {
		return r.Status, r.Details
	}
	return lint.NA, ""
}

package profile_test

import (
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/iotcert/iotcert/certio"
	"github.com/iotcert/iotcert/profile"
)

// TestWithClock checks that a profile's clocked lints judge at the time
// WithClock gives: an IDevID with notBefore 2099-01-01 is "in the future"
// in 2026 and no longer in 2100, and the profile it came from keeps the
// wall clock.
func TestWithClock(t *testing.T) {
	p, err := profile.Default("tcg-devid")
	if err != nil {
		t.Fatal(err)
	}
	var it certio.Item
	for it = range certio.Read([]string{filepath.Join("..", "testdata", "certs", "cases", "n_devid_notbefore_issuance.pem")}, nil) {
		break
	}
	if it.Err != nil {
		t.Fatal(it.Err)
	}
	has := func(p *profile.Profile) bool {
		return slices.ContainsFunc(p.LintItem(it).Findings, func(f profile.Finding) bool { return f.Lint == "n_devid_notbefore_issuance" })
	}
	at := func(t time.Time) func() time.Time { return func() time.Time { return t } }
	if !has(p.WithClock(at(time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)))) {
		t.Error("at 2026-06-01: no n_devid_notbefore_issuance")
	}
	if has(p.WithClock(at(time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)))) {
		t.Error("at 2100-01-01: n_devid_notbefore_issuance")
	}
	reads := 0
	counted := p.WithClock(func() time.Time { reads++; return time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC) })
	if !has(counted) || reads != 1 {
		t.Errorf("a certificate linted with a clock read %d times: want once", reads)
	}
	if !has(p) {
		t.Error("wall clock (before 2099): no n_devid_notbefore_issuance")
	}
}

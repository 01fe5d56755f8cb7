package lints

import (
	"strings"
	"testing"

	"github.com/zmap/zlint/v3/lint"
)

// TestZlintDelegates checks that every zlint lint a delegate runs is
// registered, and that a delegate names the zlint lint that fired.
func TestZlintDelegates(t *testing.T) {
	n := 0
	for _, src := range Sources() {
		for _, l := range lint.GlobalRegistry().CertificateLints().BySource(src) {
			g, ok := l.Lint().(*roleGate)
			if !ok {
				continue
			}
			d, ok := g.inner.(*delegateLint)
			if !ok {
				continue
			}
			n++
			for _, name := range d.names {
				if lint.GlobalRegistry().CertificateLints().ByName(name) == nil {
					t.Errorf("%s runs %s, which is not registered", l.Name, name)
				}
			}
		}
	}
	if n < 3 {
		t.Errorf("found %d delegates, want at least 3", n)
	}
	got := runLint(t, "e_iot_all_time_zulu_seconds", loadCert(t, "cases/e_iot_all_time_zulu_seconds.pem"), nil)
	if !strings.HasPrefix(got.Details, "e_utc_time_does_not_include_seconds: ") {
		t.Errorf("details %q do not name the zlint lint", got.Details)
	}
}

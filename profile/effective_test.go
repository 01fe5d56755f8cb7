package profile_test

import (
	"encoding/asn1"
	"slices"
	"testing"
	"time"

	"github.com/iotcert/iotcert/certio"
	"github.com/iotcert/iotcert/internal/certgen"
	"github.com/iotcert/iotcert/profile"
)

// TestNoEffectiveDates checks that zlint's effective dates do not make a
// requirement vanish: a CA certificate backdated to 1990, before the 1999
// effective date of e_basic_constraints_not_critical (RFC 5280 §4.2.1.9),
// with a non-critical basicConstraints still gets it.
func TestNoEffectiveDates(t *testing.T) {
	tmpl := certgen.RootTemplate()
	tmpl.NotBefore = time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC)
	nonCritical := func(tbs *certgen.TBS) { tbs.Extension(asn1.ObjectIdentifier{2, 5, 29, 19}).Critical = false }
	root, err := certgen.Issue(tmpl, nonCritical)
	if err != nil {
		t.Fatal(err)
	}
	c, err := certio.Parse(root.DER())
	if err != nil {
		t.Fatal(err)
	}
	p, err := profile.Default("pkix")
	if err != nil {
		t.Fatal(err)
	}
	res := p.Lint(c)
	if !slices.ContainsFunc(res.Findings, func(f profile.Finding) bool {
		return f.Lint == "e_basic_constraints_not_critical" && f.Level == profile.Error
	}) {
		t.Errorf("findings %+v, want e_basic_constraints_not_critical at error", res.Findings)
	}
}

package bundle_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/iotcert/iotcert/bundle"
	"github.com/iotcert/iotcert/internal/certgen"
	"github.com/iotcert/iotcert/profile"
)

// TestDuplicateReportedOnce: the same CA certificates in the chain.pem of
// every device (as "gen devices" writes them) are one n_chain_duplicate
// per certificate, on its first copy, with the count of copies; no later
// copy gets one.
func TestDuplicateReportedOnce(t *testing.T) {
	h := newHierarchy(t, "tls13-iot")
	p, err := profile.Default("tls13-iot")
	if err != nil {
		t.Fatal(err)
	}
	certs := []cert{{"root", h.root.DER()}, {"sub", h.sub.DER()}}
	for i := range 5 {
		dev := fmt.Sprintf("devices/%d/chain.pem", i)
		ee := issue(t, certgen.EETemplate("tls13-iot", h.sub))
		certs = append(certs, cert{dev + "#ee", ee.DER()}, cert{dev + "#sub", h.sub.DER()}, cert{dev + "#root", h.root.DER()})
	}
	results, _, err := bundle.Run(p, items(certs), nil, bundle.Options{Profiles: []string{"tls13-iot"}, Clock: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range results {
		for _, f := range r.Findings {
			if f.Lint == bundle.Duplicate {
				got[r.Origin.File] = f.Details
			}
		}
	}
	later := func(c *certgen.Issued, name string) string {
		s := strings.ReplaceAll(c.Cert.Subject.String(), ",", ", ") // as the report displays it
		return fmt.Sprintf(`%q (devices/0/chain.pem#%s[0]@0), %q (devices/1/chain.pem#%s[0]@0), %q (devices/2/chain.pem#%s[0]@0) and 2 more`,
			s, name, s, name, s, name)
	}
	want := map[string]string{
		"root": "6 copies of this certificate in the input; the later ones are left out of chain building: " + later(h.root, "root"),
		"sub":  "6 copies of this certificate in the input; the later ones are left out of chain building: " + later(h.sub, "sub"),
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("n_chain_duplicate findings:\n%v\nwant\n%v", got, want)
	}
}

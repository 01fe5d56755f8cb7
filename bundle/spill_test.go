package bundle_test

import (
	"bytes"
	"fmt"
	"iter"
	"math/big"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/iotcert/iotcert/bundle"
	"github.com/iotcert/iotcert/certio"
	"github.com/iotcert/iotcert/internal/certgen"
	"github.com/iotcert/iotcert/profile"
	"github.com/iotcert/iotcert/report"
)

// spillBundle is a root, two device CAs and end entities that exercise
// what Spool decides on the end entities whose records wait on disk: more
// than the diagram draws under one CA, a broken signature, a key shared by
// end entities of different subjects (judged as they are replayed), an
// issuer and serial used twice, a duplicate, an end entity that issues
// another, and an orphan.
func spillBundle(t *testing.T) []cert {
	t.Helper()
	root := issue(t, certgen.RootTemplate())
	subA, subB := issue(t, certgen.SubTemplate(root)), issue(t, certgen.SubTemplate(root))
	out := []cert{{"root", root.DER()}, {"subA", subA.DER()}, {"subB", subB.DER()}}
	add := func(name string, c *certgen.Issued) { out = append(out, cert{name, c.DER()}) }
	for i := range 12 {
		tmpl := certgen.EETemplate("tls13-iot", subA)
		tmpl.Subject.CommonName = fmt.Sprintf("device %d", i)
		if i%5 == 3 {
			tmpl.NotAfter = certgen.Epoch.AddDate(30, 0, 0) // outlives its CA: a warning
		}
		if i == 0 {
			tmpl.SubjectKeyId = hintKeyID // named by the orphan's hint
		}
		add(fmt.Sprintf("a%d", i), issue(t, tmpl))
	}
	add("impostor", issue(t, certgen.EETemplate("tls13-iot", certgen.StandIn(subA, "P-256"))))
	key := certgen.NewKey("P-256")
	for i := range 3 {
		tmpl := certgen.EETemplate("tls13-iot", subB)
		tmpl.Key = key
		tmpl.Subject.CommonName = fmt.Sprintf("shared key %d", i)
		add(fmt.Sprintf("reuse%d", i), issue(t, tmpl))
	}
	for i := range 2 {
		tmpl := certgen.EETemplate("tls13-iot", subB)
		tmpl.SerialNumber = big.NewInt(4242)
		tmpl.Subject.CommonName = fmt.Sprintf("same serial %d", i)
		add(fmt.Sprintf("serial%d", i), issue(t, tmpl))
	}
	dup := issue(t, certgen.EETemplate("tls13-iot", subB))
	add("dup1", dup)
	pseudo := certgen.EETemplate("tls13-iot", subB)
	pseudo.Subject.CommonName = "an end entity that issues"
	pseudoCA := issue(t, pseudo)
	add("pseudo", pseudoCA)
	add("under-pseudo", issue(t, certgen.EETemplate("tls13-iot", pseudoCA)))
	add("dup2", dup)
	absent := certgen.SubTemplate(root)
	absent.Subject.CommonName = "a CA not in the bundle"
	absent.SubjectKeyId = hintKeyID
	other := issue(t, absent)
	add("orphan", issue(t, certgen.EETemplate("tls13-iot", other)))
	return out
}

// hintKeyID is the subjectKeyIdentifier of the CA the orphan of
// spillBundle names, which an end entity of the bundle also has.
var hintKeyID = []byte{0x42, 1, 2, 3, 4, 5, 6, 7}

// TestSpoolMatchesRun checks that Spool, which keeps the records of end
// entities on disk and judges them as the results are replayed, gives the
// results Run gives with every record in memory, and the same text
// report (chain diagram included), with and without --trust.
func TestSpoolMatchesRun(t *testing.T) {
	p, err := profile.Default("tls13-iot")
	if err != nil {
		t.Fatal(err)
	}
	certs := spillBundle(t)
	opts := bundle.Options{Profiles: []string{"tls13-iot"}, Clock: func() time.Time { return now }, TempDir: t.TempDir()}
	for _, c := range []struct {
		name         string
		input, trust []cert
	}{
		{"input roots", certs, nil},
		{"trust", certs[1:], certs[:1]},
	} {
		t.Run(c.name, func(t *testing.T) {
			var trust iter.Seq[certio.Item]
			if c.trust != nil {
				trust = items(c.trust)
			}
			results, g, err := bundle.Run(p, items(c.input), trust, opts)
			if err != nil {
				t.Fatal(err)
			}
			want := textReport(t, g, results)
			spool, err := bundle.Spool(p, items(c.input), trust, opts)
			if err != nil {
				t.Fatal(err)
			}
			defer spool.Close()
			var replayed []profile.Result
			for r, err := range spool.Results() {
				if err != nil {
					t.Fatal(err)
				}
				replayed = append(replayed, r)
			}
			if got, want := chainView(replayed), chainView(results); !reflect.DeepEqual(got, want) {
				for i := range got {
					if !reflect.DeepEqual(got[i], want[i]) {
						t.Errorf("%s:\n got %+v\nwant %+v", want[i].Origin.File, got[i], want[i])
					}
				}
			}
			if got := textReport(t, spool.Graph, replayed); got != want {
				t.Errorf("text report:\n got %s\nwant %s", got, want)
			}
			for _, lint := range []string{bundle.KeyReuse, bundle.SerialUnique, bundle.Duplicate, bundle.SignatureInvalid, bundle.OrphanError} {
				if !hasChainFinding(results, lint) {
					t.Errorf("no %s: the bundle does not exercise it", lint)
				}
			}
			orphan := results[len(results)-1]
			if f := chainFinding(orphan, bundle.OrphanError); f == nil || !strings.Contains(f.Details, "(a0[0]@0) has the subjectKeyIdentifier of its authorityKeyIdentifier") {
				t.Errorf("orphan: %+v, want e_chain_orphan with the hint naming a0", f)
			}
		})
	}
}

func hasChainFinding(results []profile.Result, lint string) bool {
	for _, r := range results {
		if chainFinding(r, lint) != nil {
			return true
		}
	}
	return false
}

// textReport writes the text report of results, with the chain diagram
// of g.
func textReport(t *testing.T, g *bundle.Graph, results []profile.Result) string {
	t.Helper()
	var b bytes.Buffer
	w, err := report.New("text", &b, report.Options{Profile: "tls13-iot", FailOn: profile.Error, Graph: g})
	if err != nil {
		t.Fatal(err)
	}
	var sum profile.Summary
	for _, r := range results {
		sum.Add(r)
		if err := w.Certificate(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(sum); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

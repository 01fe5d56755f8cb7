package report

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/iotcert/iotcert/bundle"
	"github.com/iotcert/iotcert/certio"
	"github.com/iotcert/iotcert/internal/certgen"
	"github.com/iotcert/iotcert/profile"
)

// TestDeepChainTextReport checks that the text report of a 4,000-deep
// chain grows linearly with its depth: below maxIndent levels the diagram
// stops indenting and names the level instead.
func TestDeepChainTextReport(t *testing.T) {
	if testing.Short() {
		t.Skip("4,000 certificates")
	}
	const depth = 4000
	root, err := certgen.Issue(certgen.RootTemplate())
	if err != nil {
		t.Fatal(err)
	}
	var items []certio.Item
	items = append(items, certio.Item{Origin: certio.Origin{File: "ca0"}, DER: root.DER()})
	prev := root
	for i := 1; i < depth; i++ {
		tmpl := certgen.SubTemplate(prev)
		tmpl.Subject.CommonName = fmt.Sprintf("CA %d", i)
		c, err := certgen.Issue(tmpl)
		if err != nil {
			t.Fatal(err)
		}
		items = append(items, certio.Item{Origin: certio.Origin{File: fmt.Sprintf("ca%d", i)}, DER: c.DER()})
		prev = c
	}
	p, err := profile.Default("pkix")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	results, g, err := bundle.Run(p, slices.Values(items), nil, bundle.Options{Profiles: []string{"pkix"}, Clock: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	diagram := textDiagram(t, results, g)
	longest := 0
	for _, line := range strings.Split(diagram, "\n") {
		longest = max(longest, len(line))
	}
	// An indentation that grew with the depth would make the deepest
	// line about 4 × 4,000 bytes long.
	if longest > 4*maxIndent+200 {
		t.Errorf("longest diagram line: %d bytes, want at most %d", longest, 4*maxIndent+200)
	}
	if !strings.Contains(diagram, fmt.Sprintf(`(level %d) [ok] subordinate "CN=CA %d,`, depth-1, depth-1)) {
		t.Errorf("the deepest CA is not drawn with its level:\n%s", diagram[len(diagram)-500:])
	}
	if last := results[depth-1]; last.Path == nil || !last.Path.Valid || len(last.Path.Chain) != profile.MaxPathListed || last.Path.Omitted != depth-profile.MaxPathListed-1 {
		t.Errorf("deepest CA: path %+v, want valid, %d certificates listed and %d omitted", last.Path, profile.MaxPathListed, depth-profile.MaxPathListed-1)
	}
}

// textDiagram writes the text report of results with g and returns its
// chain diagram.
func textDiagram(t *testing.T, results []profile.Result, g *bundle.Graph) string {
	t.Helper()
	var out bytes.Buffer
	w, err := New("text", &out, Options{Profile: "pkix", FailOn: profile.Error, Graph: g})
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
	return out.String()[strings.Index(out.String(), "\nChains\n"):]
}

// TestDiagramAnchorProblem checks that the chain diagram says why a trust
// anchor is not usable.
func TestDiagramAnchorProblem(t *testing.T) {
	tmpl := certgen.RootTemplate()
	tmpl.NotAfter = certgen.Epoch.AddDate(1, 0, 0)
	root, err := certgen.Issue(tmpl)
	if err != nil {
		t.Fatal(err)
	}
	sub, err := certgen.Issue(certgen.SubTemplate(root))
	if err != nil {
		t.Fatal(err)
	}
	p, err := profile.Default("pkix")
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	trust := []certio.Item{{Origin: certio.Origin{File: "roots.pem"}, DER: root.DER()}}
	results, g, err := bundle.Run(p, slices.Values([]certio.Item{{Origin: certio.Origin{File: "sub.pem"}, DER: sub.DER()}}), slices.Values(trust),
		bundle.Options{Profiles: []string{"pkix"}, Clock: func() time.Time { return at }})
	if err != nil {
		t.Fatal(err)
	}
	want := `[trusted] trust-anchor "CN=Example IoT Root CA, O=Example Devices Ltd, C=DE"  trust store roots.pem[0]  (not usable: it expired on 2026-01-01 00:00:00Z)`
	if diagram := textDiagram(t, results, g); !strings.Contains(diagram, want) {
		t.Errorf("diagram\n%s\nwant a line with\n%s", diagram, want)
	}
}

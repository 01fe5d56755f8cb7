package bundle

import (
	"iter"
	"reflect"
	"runtime"
	"slices"
	"testing"
	"time"
	"unsafe"

	"github.com/iotcert/iotcert/certio"
	"github.com/iotcert/iotcert/internal/certgen"
	"github.com/iotcert/iotcert/profile"
)

// memBundle is a root, two device CAs and devices under them: one
// signed by a key that is not its CA's, one twice in the bundle.
func memBundle(t *testing.T, devices int) [][]byte {
	t.Helper()
	root := mustIssue(t, certgen.RootTemplate())
	subs := []*certgen.Issued{mustIssue(t, certgen.SubTemplate(root)), mustIssue(t, certgen.SubTemplate(root))}
	out := [][]byte{root.DER(), subs[0].DER(), subs[1].DER()}
	impostor := certgen.StandIn(subs[0], "P-256")
	for i := range devices {
		issuer := subs[i%2]
		if i == 7 {
			issuer = impostor
		}
		out = append(out, mustIssue(t, certgen.EETemplate("tls13-iot", issuer)).DER())
	}
	return append(out, out[len(out)-1])
}

func mustIssue(t *testing.T, tmpl *certgen.Template) *certgen.Issued {
	t.Helper()
	c, err := certgen.Issue(tmpl)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func derItems(ders [][]byte) iter.Seq[certio.Item] {
	return func(yield func(certio.Item) bool) {
		for i, der := range ders {
			if !yield(certio.Item{Origin: certio.Origin{File: "bundle.pem", Index: i}, DER: der}) {
				return
			}
		}
	}
}

// TestReleaseKeepsFindings checks that releasing chain-building state
// (releaseMemory) changes no result: the same findings, roles and path
// verdicts, and the same graph, on the checked-in test certificates and
// on a generated bundle, with --trust and without.
func TestReleaseKeepsFindings(t *testing.T) {
	p, err := profile.Default("tls13-iot")
	if err != nil {
		t.Fatal(err)
	}
	opts := Options{Profiles: []string{"tls13-iot"}, Clock: func() time.Time { return time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC) }, Workers: 2}
	gen := memBundle(t, 40)
	cases := []struct {
		name         string
		items, trust iter.Seq[certio.Item]
	}{
		{"testdata/certs", certio.Read([]string{"../testdata/certs"}, nil), nil},
		{"generated", derItems(gen), nil},
		{"generated, trust", derItems(gen[1:]), derItems(gen[:1])},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			run := func(release bool) ([]profile.Result, *Graph) {
				defer func(old bool) { releaseMemory = old }(releaseMemory)
				releaseMemory = release
				results, g, err := Run(p, c.items, c.trust, opts)
				if err != nil {
					t.Fatal(err)
				}
				return results, g
			}
			oldResults, oldGraph := run(false)
			newResults, newGraph := run(true)
			if len(newResults) < 10 {
				t.Fatalf("%d results: the bundle was not read", len(newResults))
			}
			chain := 0
			for i := range newResults {
				if !reflect.DeepEqual(newResults[i], oldResults[i]) {
					t.Errorf("result %d (%s):\n got %+v\nwant %+v", i, newResults[i].Origin, newResults[i], oldResults[i])
				}
				for _, f := range newResults[i].Findings {
					if f.Source == Source {
						chain++
					}
				}
			}
			if chain == 0 {
				t.Error("no chain finding: the bundle does not exercise the chain checks")
			}
			if got, want := graphView(newGraph), graphView(oldGraph); !reflect.DeepEqual(got, want) {
				t.Errorf("graph:\n got %+v\nwant %+v", got, want)
			}
		})
	}
}

// TestFinishReleasesEndEntities checks that the graph Finish returns does
// not keep the chain-building records of end entities alive (only those
// of the issuers on the paths it names), and that their path verdicts
// stay readable.
func TestFinishReleasesEndEntities(t *testing.T) {
	ders := memBundle(t, 4)
	p, err := profile.Default("tls13-iot")
	if err != nil {
		t.Fatal(err)
	}
	b, err := New(Options{Profiles: []string{"tls13-iot"}, Clock: func() time.Time { return time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	released := make(chan struct{}, 1)
	for i, der := range ders[:4] { // the root, the device CAs, one device
		res, n := LintItem(p, certio.Item{Origin: certio.Origin{File: "bundle.pem", Index: i}, DER: der})
		if i == 3 {
			runtime.SetFinalizer(n, func(*Node) { released <- struct{}{} })
		}
		b.Add(&res, n)
	}
	g := b.Finish()
	b = nil
	deadline := time.After(10 * time.Second)
	for done := false; !done; {
		runtime.GC()
		select {
		case <-released:
			done = true
		case <-deadline:
			t.Fatal("the end entity's Node is still reachable from the graph")
		case <-time.After(50 * time.Millisecond):
		}
	}
	path := g.Path(3)
	if path == nil || !path.Valid || len(path.Chain) != 2 || path.Chain[1].Subject != g.Nodes[0].Subject {
		t.Errorf("path of the device: %+v, want valid through its CA to the root %q", path, g.Nodes[0].Subject)
	}
}

// TestLinkReleasesSignatures checks that no node keeps its signature or
// the digest it signs once the chains are built.
func TestLinkReleasesSignatures(t *testing.T) {
	ders := memBundle(t, 4)
	p, err := profile.Default("tls13-iot")
	if err != nil {
		t.Fatal(err)
	}
	b, err := New(Options{Profiles: []string{"tls13-iot"}})
	if err != nil {
		t.Fatal(err)
	}
	var nodes []*Node
	for i, der := range ders {
		res, n := LintItem(p, certio.Item{Origin: certio.Origin{Index: i}, DER: der})
		if n.sig == nil || n.digest == nil {
			t.Fatalf("node %d made without its signature", i)
		}
		nodes = append(nodes, n)
		b.Add(&res, n)
	}
	b.Finish()
	if i := slices.IndexFunc(nodes, func(n *Node) bool { return n.sig != nil || n.digest != nil }); i >= 0 {
		t.Errorf("node %d keeps its signature after Finish", i)
	}
}

// TestCompactRecords guards the size of the per-certificate records
// (docs/bundle.md, "Concurrency and memory"): their flags share a word.
// The bounds include the Matter role by position (the other role's result
// on the Node, the role on the state); a new field must be worth its bytes
// a certificate.
func TestCompactRecords(t *testing.T) {
	if got := unsafe.Sizeof(Node{}); got > 472 {
		t.Errorf("Node is %d bytes, want at most 472", got)
	}
	if got := unsafe.Sizeof(state{}); got > 200 {
		t.Errorf("state is %d bytes, want at most 200", got)
	}
}

// graphView is what a graph shows its users: its exported fields and the
// path of every node (the nodes' records differ by what was released).
func graphView(g *Graph) any {
	nodes := slices.Clone(g.Nodes)
	paths := make([]*profile.Path, len(nodes))
	for i := range nodes {
		paths[i] = g.Path(i)
		nodes[i].verdict = nil
	}
	return struct {
		Nodes    []GraphNode
		Paths    []*profile.Path
		Findings []ChainFinding
		Anchors  string
		At       time.Time
	}{nodes, paths, g.Findings, g.Anchors, g.At}
}

// TestSpillRecord guards the size of what stays in memory of an end
// entity whose Node is spilled while the bundle is read (spill.go).
func TestSpillRecord(t *testing.T) {
	if got := unsafe.Sizeof(certRec{}); got > 40 {
		t.Errorf("certRec is %d bytes, want at most 40", got)
	}
}

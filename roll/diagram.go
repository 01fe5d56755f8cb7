package roll

import (
	"crypto/x509"
	"fmt"
	"strings"
	"time"
)

// diagramNode is one certificate of the rollover diagrams.
type diagramNode struct {
	id, label string
}

type diagramEdge struct {
	from, to, label string
	link            bool // drawn dashed: a link certificate's path
}

type diagram struct {
	old, new []diagramNode
	links    []diagramNode
	edges    []diagramEdge
}

func nodeLabel(kind string, c *x509.Certificate) string {
	return fmt.Sprintf("%s\n%s\n%s .. %s", kind, c.Subject, c.NotBefore.UTC().Format(time.DateOnly), c.NotAfter.UTC().Format(time.DateOnly))
}

func (ro *Rollover) diagram() diagram {
	d := diagram{
		old:   []diagramNode{{"owo", nodeLabel("OldWithOld (old root)", ro.OldWithOld)}},
		new:   []diagramNode{{"nwn", nodeLabel("NewWithNew (new root)", ro.NewWithNew)}},
		links: []diagramNode{{"nwo", nodeLabel("NewWithOld (link)", ro.NewWithOld)}, {"own", nodeLabel("OldWithNew (link)", ro.OldWithNew)}},
		edges: []diagramEdge{
			{"owo", "nwo", "old key signs", true},
			{"nwo", "nwn", "certifies the new key", true},
			{"nwn", "own", "new key signs", true},
			{"own", "owo", "certifies the old key", true},
		},
	}
	for i, r := range ro.Resigned {
		o, n := fmt.Sprintf("old%d", i), fmt.Sprintf("new%d", i)
		d.old = append(d.old, diagramNode{o, nodeLabel(r.CA.Name, r.CA.Cert)})
		d.new = append(d.new, diagramNode{n, nodeLabel(r.CA.Name+" (re-signed)", r.Cert)})
		d.edges = append(d.edges, diagramEdge{"owo", o, "", false}, diagramEdge{"nwn", n, "", false})
	}
	return d
}

// mermaid returns a Mermaid flowchart of the old and new hierarchies and
// the link certificates between them.
func mermaid(ro *Rollover) []byte {
	d := ro.diagram()
	var b strings.Builder
	b.WriteString("flowchart TB\n")
	sub := func(id, title string, nodes []diagramNode) {
		fmt.Fprintf(&b, "  subgraph %s[\"%s\"]\n", id, title)
		for _, n := range nodes {
			fmt.Fprintf(&b, "    %s[\"%s\"]\n", n.id, mermaidEscape(n.label))
		}
		b.WriteString("  end\n")
	}
	sub("old", "old hierarchy", d.old)
	sub("links", "link certificates (RFC 9810 §4.4)", d.links)
	sub("new", "new hierarchy", d.new)
	for _, e := range d.edges {
		switch {
		case e.link:
			fmt.Fprintf(&b, "  %s -. \"%s\" .-> %s\n", e.from, e.label, e.to)
		default:
			fmt.Fprintf(&b, "  %s --> %s\n", e.from, e.to)
		}
	}
	b.WriteString("  classDef root fill:#d4edda,stroke:#155724\n  classDef link fill:#fff3cd,stroke:#856404\n")
	b.WriteString("  class owo,nwn root\n  class nwo,own link\n")
	return []byte(b.String())
}

func mermaidEscape(s string) string {
	s = strings.ReplaceAll(s, `"`, "#quot;")
	return strings.ReplaceAll(s, "\n", "<br/>")
}

// dot returns a Graphviz digraph of the old and new hierarchies and the
// link certificates between them.
func dot(ro *Rollover) []byte {
	d := ro.diagram()
	var b strings.Builder
	b.WriteString("digraph rollover {\n  rankdir=TB;\n  node [shape=box, style=filled, fillcolor=white, fontname=\"Helvetica\"];\n")
	sub := func(id, title string, nodes []diagramNode, fill string) {
		fmt.Fprintf(&b, "  subgraph cluster_%s {\n    label=%s;\n", id, dotQuote(title))
		for _, n := range nodes {
			f := "white"
			if n.id == "owo" || n.id == "nwn" || id == "links" {
				f = fill
			}
			fmt.Fprintf(&b, "    %s [label=%s, fillcolor=%s];\n", n.id, dotQuote(n.label), dotQuote(f))
		}
		b.WriteString("  }\n")
	}
	sub("old", "old hierarchy", d.old, "#d4edda")
	sub("links", "link certificates (RFC 9810 §4.4)", d.links, "#fff3cd")
	sub("new", "new hierarchy", d.new, "#d4edda")
	for _, e := range d.edges {
		if e.link {
			fmt.Fprintf(&b, "  %s -> %s [style=dashed, label=%s];\n", e.from, e.to, dotQuote(e.label))
		} else {
			fmt.Fprintf(&b, "  %s -> %s;\n", e.from, e.to)
		}
	}
	b.WriteString("}\n")
	return []byte(b.String())
}

func dotQuote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	return `"` + r.Replace(s) + `"`
}

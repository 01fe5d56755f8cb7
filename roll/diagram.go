package roll

import (
	"crypto/x509"
	"fmt"
	"io"
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

// Mermaid returns a Mermaid flowchart of the old and new hierarchies and
// the link certificates between them.
func Mermaid(ro *Rollover) []byte {
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

// DOT returns a Graphviz digraph of the old and new hierarchies and the
// link certificates between them.
func DOT(ro *Rollover) []byte {
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

// WriteText writes what the plan will make and when each piece expires.
func (p *Plan) WriteText(w io.Writer) error {
	o := p.Old.Cert
	name := "the old root's name (link certificates are self-issued)"
	if !p.SameName {
		name = "a new name (ambiguity A14: links are not self-issued; out of scope of RFC 9810's CMP rollover)"
	}
	sub := subjectString(p.Subject)
	var b strings.Builder
	fmt.Fprintf(&b, "Root key rollover of %q (%s)\n", o.Subject, p.Old.Name)
	fmt.Fprintf(&b, "  new root name: %s\n  new key: %s, labelled %q, lint profile: %s\n\n", name, p.Spec.Curve, p.KeyLabel, p.Profile.Name)
	fmt.Fprintf(&b, "  %-12s %-34s %-34s %-21s %-21s\n", "certificate", "subject (key)", "issuer (signed by)", "notBefore", "notAfter")
	row := func(what, subj, iss string, nb, na time.Time) {
		fmt.Fprintf(&b, "  %-12s %-34s %-34s %-21s %-21s\n", what, subj, iss, day(nb), day(na))
	}
	row("OldWithOld", trunc(o.Subject.String()+" (old)", 34), trunc(o.Issuer.String()+" (old)", 34), o.NotBefore, o.NotAfter)
	row("NewWithNew", trunc(sub+" (new)", 34), trunc(sub+" (new)", 34), p.NotBefore, p.NotAfter)
	row("NewWithOld", trunc(sub+" (new)", 34), trunc(o.Subject.String()+" (old)", 34), p.NotBefore, p.LinkNotAfter)
	row("OldWithNew", trunc(o.Subject.String()+" (old)", 34), trunc(sub+" (new)", 34), o.NotBefore, o.NotAfter)
	for _, ca := range p.Resign {
		na := p.ResignNotAfter(ca.Cert)
		row(trunc(ca.Name, 12), trunc(ca.Cert.Subject.String()+" (same)", 34), trunc(sub+" (new)", 34), p.NotBefore, na)
	}
	fmt.Fprintf(&b, "\n  Devices that trust only the old root validate the new hierarchy through NewWithOld until %s.\n", day(p.LinkNotAfter))
	fmt.Fprintf(&b, "  Devices that trust only the new root validate the old hierarchy through OldWithNew until %s.\n", day(o.NotAfter))
	fmt.Fprintf(&b, "  Every device must trust the new root before %s.\n", day(o.NotAfter))
	_, err := io.WriteString(w, b.String())
	return err
}

func trunc(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/iotcert/iotcert/bundle"
	"github.com/iotcert/iotcert/profile"
)

// roleOrder is the order roles are listed in the summary table.
var roleOrder = []string{"root", "link", "subordinate", "end-entity", "idevid", "ldevid", "unknown"}

// maxIndent is the depth below which the diagram stops indenting: deeper
// certificates are drawn at that indentation with their depth, so that
// the diagram of a deep chain grows linearly with its depth.
const maxIndent = 16

// maxLeaves is how many end entities the text diagram lists under one CA
// before it summarises the rest.
const maxLeaves = bundle.DiagramLeaves

// writeSummaryTable writes the certificates by role and the findings by
// level.
func (t *textWriter) writeSummaryTable(s profile.Summary) {
	t.printf("\nSummary\n")
	t.printf("  %-14s %12s\n", "role", "certificates")
	for _, r := range roleOrder {
		if n := t.roles[r]; n > 0 {
			t.printf("  %-14s %12d\n", r, n)
		}
	}
	t.printf("  %-14s %12d\n", "total", s.Certificates)
	t.printf("  %-14s %12s\n", "level", "findings")
	f := s.Findings
	for _, row := range []struct {
		name string
		n    int
	}{{"fatal", f.Fatal}, {"error", f.Error}, {"warn", f.Warn}, {"notice", f.Notice}} {
		t.printf("  %-14s %12d\n", row.name, row.n)
	}
}

// writeDiagram writes the chains as an indented tree from each root (or
// trust anchor) down to the end entities, then the certificates that are
// not chained: orphans and those whose issuer's key does not verify them.
func (t *textWriter) writeDiagram(g *bundle.Graph) {
	if len(g.Nodes) == 0 {
		return
	}
	children := childrenOf(g)
	t.printf("\nChains\n")
	drawn := make([]bool, len(g.Nodes))
	any := false
	for i, n := range g.Nodes {
		if n.Duplicate >= 0 || n.Issuer >= 0 || n.Orphan || n.BrokenIssuer {
			continue
		}
		any = true
		t.drawTree(g, children, i, 0, "  ", "", drawn)
	}
	if !any {
		t.printf("  (no root or trust anchor in the input)\n")
	}
	var loose []int
	for i, n := range g.Nodes {
		if n.Duplicate < 0 && (n.Orphan || n.BrokenIssuer) {
			loose = append(loose, i)
		}
	}
	if len(loose) > 0 || g.HiddenLoose.Total() > 0 {
		t.printf("Not chained (issuer missing or signature not verified)\n")
		for _, i := range loose {
			t.drawTree(g, children, i, 0, "  ", "", drawn)
		}
		if n := g.HiddenLoose.Total(); n > 0 {
			t.printf("  … and %d more end entit%s (%s)\n", n, plural(n, "y", "ies"), countSummary(g.HiddenLoose))
		}
	}
	if dups := countDuplicates(g); dups > 0 {
		t.printf("(%d duplicate certificate(s) not drawn)\n", dups)
	}
	at := g.At.UTC().Format("2006-01-02 15:04:05Z")
	switch g.Anchors {
	case "trust":
		t.printf("Path verdict at %s: trust anchors are the --trust certificates\n", at)
	case "input-roots":
		t.printf("Path verdict at %s: trust anchors are the self-signed roots of the input (no --trust given)\n", at)
	default:
		t.printf("No path verdict: no root in the input and no --trust\n")
	}
}

// childrenOf lists, for each node, the nodes drawn below it.
func childrenOf(g *bundle.Graph) [][]int {
	children := make([][]int, len(g.Nodes))
	for i, n := range g.Nodes {
		if n.Duplicate >= 0 {
			continue
		}
		if n.Issuer >= 0 {
			children[n.Issuer] = append(children[n.Issuer], i)
		}
	}
	return children
}

func countDuplicates(g *bundle.Graph) int {
	n := 0
	for _, x := range g.Nodes {
		if x.Duplicate >= 0 {
			n++
		}
	}
	return n
}

// drawTree writes node i, depth levels below the top of its tree, and,
// indented, what it issued. prefix is the indentation of this line,
// branch its connector.
func (t *textWriter) drawTree(g *bundle.Graph, children [][]int, i, depth int, prefix, branch string, drawn []bool) {
	n := g.Nodes[i]
	level := ""
	if depth > maxIndent {
		level = fmt.Sprintf("(level %d) ", depth)
	}
	t.printf("%s%s%s%s\n", prefix, branch, level, nodeLine(n))
	if drawn[i] {
		return
	}
	drawn[i] = true
	kids := children[i]
	// List every CA; list end entities up to maxLeaves, those with the
	// worst findings first in the cut, and summarise the rest.
	var cas, leaves []int
	for _, k := range kids {
		if bundle.IsLeafRole(g.Nodes[k].Role) {
			leaves = append(leaves, k)
		} else {
			cas = append(cas, k)
		}
	}
	// A graph made by bundle.Spool holds the worst end entities of each
	// CA alone and counts the others (HiddenLeaves).
	shown := leaves
	hidden := n.HiddenLeaves.Total()
	if len(leaves) > maxLeaves || hidden > 0 {
		shown = pickLeaves(g, leaves)
		hidden += len(leaves) - len(shown)
	}
	lines := append(append([]int{}, cas...), shown...)
	childPrefix := prefix
	switch {
	case depth >= maxIndent:
		// Deep enough: the children are drawn at this indentation.
	case branch == "├── ":
		childPrefix += "│   "
	case branch == "└── ":
		childPrefix += "    "
	}
	for j, k := range lines {
		b := "├── "
		if j == len(lines)-1 && hidden == 0 {
			b = "└── "
		}
		t.drawTree(g, children, k, depth+1, childPrefix, b, drawn)
	}
	if hidden > 0 {
		t.printf("%s└── … and %d more end entit%s (%s)\n", childPrefix, hidden, plural(hidden, "y", "ies"), hiddenSummary(g, n.HiddenLeaves, leaves, shown))
	}
}

// pickLeaves chooses maxLeaves end entities to show: the worst first, in
// input order among equals.
func pickLeaves(g *bundle.Graph, leaves []int) []int {
	var out []int
	for _, lv := range []profile.Level{profile.Fatal, profile.Error, profile.Warn, profile.Notice, 0} {
		for _, k := range leaves {
			if g.Nodes[k].Worst == lv && len(out) < maxLeaves {
				out = append(out, k)
			}
		}
	}
	return out
}

func hiddenSummary(g *bundle.Graph, counts bundle.LeafCounts, leaves, shown []int) string {
	in := map[int]bool{}
	for _, k := range shown {
		in[k] = true
	}
	for _, k := range leaves {
		if !in[k] {
			counts[g.Nodes[k].Worst]++
		}
	}
	return countSummary(counts)
}

// countSummary says how many end entities counts holds of each level.
func countSummary(counts bundle.LeafCounts) string {
	var parts []string
	for _, lv := range []profile.Level{profile.Fatal, profile.Error, profile.Warn, profile.Notice} {
		if counts[lv] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[lv], lv))
		}
	}
	parts = append(parts, fmt.Sprintf("%d ok", counts[0]))
	return strings.Join(parts, ", ")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// nodeLine is one certificate in the diagram: verdict, role, subject,
// origin.
func nodeLine(n bundle.GraphNode) string {
	verdict := "ok"
	if n.Worst != 0 {
		verdict = strings.ToUpper(n.Worst.String())
	}
	where := fmt.Sprintf("%s[%d]", n.Origin.File, n.Origin.Index)
	if n.Index < 0 {
		verdict, where = "trusted", "trust store "+where
	}
	extra := ""
	switch {
	case n.AnchorProblem != "":
		extra = "  (not usable: " + n.AnchorProblem + ")"
	case n.Orphan:
		extra = "  (issuer not found)"
	case n.BrokenIssuer:
		extra = "  (signature does not verify with its issuer's key)"
	case len(n.OtherIssuers) > 0:
		extra = fmt.Sprintf("  (also issued by %d other certificate(s))", len(n.OtherIssuers))
	}
	return fmt.Sprintf("[%s] %s %q  %s%s", verdict, n.Role, n.Subject, where, extra)
}

// GraphFormats lists the formats WriteGraph accepts.
var GraphFormats = []string{"mermaid", "dot"}

// levelColours are the fill colours of the graph, by worst finding.
var levelColours = []struct {
	class, label, fill string
	level              profile.Level
}{
	{"ok", "no finding", "#c8e6c9", 0},
	{"notice", "notice", "#bbdefb", profile.Notice},
	{"warn", "warn", "#fff59d", profile.Warn},
	{"error", "error", "#ef9a9a", profile.Error},
	{"fatal", "fatal", "#b71c1c", profile.Fatal},
	{"trusted", "trust anchor (not reported)", "#e0e0e0", 0},
}

func classOf(n bundle.GraphNode) string {
	if n.Index < 0 {
		return "trusted"
	}
	for _, c := range levelColours[:5] {
		if c.level == n.Worst {
			return c.class
		}
	}
	return "ok"
}

// WriteGraph draws the hierarchy of g in the given format ("mermaid" or
// "dot"): one box per certificate (duplicates left out) coloured by its
// worst finding, an arrow from each issuer to what it issued (dashed for
// further issuers, red for a signature that does not verify), and a legend.
func WriteGraph(w io.Writer, g *bundle.Graph, format string) error {
	var b strings.Builder
	switch format {
	case "mermaid":
		writeMermaid(&b, g)
	case "dot":
		writeDOT(&b, g)
	default:
		return fmt.Errorf("unknown graph format %q (want %s)", format, strings.Join(GraphFormats, " or "))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func graphLabel(n bundle.GraphNode) string {
	label := n.Role + "\n" + n.Subject + "\n" + fmt.Sprintf("%s[%d]", n.Origin.File, n.Origin.Index)
	if n.Worst != 0 {
		label += "\nworst: " + n.Worst.String()
	}
	return label
}

func writeMermaid(b *strings.Builder, g *bundle.Graph) {
	b.WriteString("flowchart TD\n")
	for i, n := range g.Nodes {
		if n.Duplicate >= 0 {
			continue
		}
		label := strings.NewReplacer(`"`, "#quot;", "\n", "<br/>", "<", "#lt;", ">", "#gt;").Replace(graphLabel(n))
		fmt.Fprintf(b, "  n%d[\"%s\"]:::%s\n", i, label, classOf(n))
	}
	for i, n := range g.Nodes {
		if n.Duplicate >= 0 {
			continue
		}
		if n.Issuer >= 0 {
			fmt.Fprintf(b, "  n%d --> n%d\n", n.Issuer, i)
		}
		for _, o := range n.OtherIssuers {
			fmt.Fprintf(b, "  n%d -.-> n%d\n", o, i)
		}
		for _, o := range n.NamedIssuers {
			fmt.Fprintf(b, "  n%d -. signature does not verify .-> n%d\n", o, i)
		}
	}
	b.WriteString("  subgraph legend [Legend: worst finding]\n")
	for _, c := range levelColours {
		fmt.Fprintf(b, "    legend_%s[\"%s\"]:::%s\n", c.class, c.label, c.class)
	}
	b.WriteString("  end\n")
	for _, c := range levelColours {
		fmt.Fprintf(b, "  classDef %s fill:%s,stroke:#333,color:%s\n", c.class, c.fill, textColour(c.class))
	}
}

func textColour(class string) string {
	if class == "fatal" {
		return "#fff"
	}
	return "#000"
}

func dotQuote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s) + `"`
}

func writeDOT(b *strings.Builder, g *bundle.Graph) {
	b.WriteString("digraph iotcert {\n  rankdir=TB;\n  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\"];\n")
	fill := map[string]string{}
	for _, c := range levelColours {
		fill[c.class] = c.fill
	}
	for i, n := range g.Nodes {
		if n.Duplicate >= 0 {
			continue
		}
		c := classOf(n)
		fmt.Fprintf(b, "  n%d [label=%s, fillcolor=%s, fontcolor=%s];\n", i, dotQuote(graphLabel(n)), dotQuote(fill[c]), dotQuote(textColour(c)))
	}
	for i, n := range g.Nodes {
		if n.Duplicate >= 0 {
			continue
		}
		if n.Issuer >= 0 {
			fmt.Fprintf(b, "  n%d -> n%d;\n", n.Issuer, i)
		}
		for _, o := range n.OtherIssuers {
			fmt.Fprintf(b, "  n%d -> n%d [style=dashed];\n", o, i)
		}
		for _, o := range n.NamedIssuers {
			fmt.Fprintf(b, "  n%d -> n%d [style=dashed, color=red, label=\"signature does not verify\"];\n", o, i)
		}
	}
	b.WriteString("  subgraph cluster_legend {\n    label=\"Legend: worst finding\";\n")
	for _, c := range levelColours {
		fmt.Fprintf(b, "    legend_%s [label=%s, fillcolor=%s, fontcolor=%s];\n", c.class, dotQuote(c.label), dotQuote(c.fill), dotQuote(textColour(c.class)))
	}
	b.WriteString("  }\n}\n")
}

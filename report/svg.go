package report

import (
	"fmt"
	"html"
	"io"
	"strings"

	"github.com/iotcert/iotcert/bundle"
)

// Sizes of the SVG diagram, in pixels.
const (
	svgBoxW, svgBoxH = 212, 62
	svgGapX, svgGapY = 20, 44
	svgMargin        = 16
	svgLegendH       = 34
	svgSubjectRunes  = 30
)

// svgBox is one box of the SVG diagram: a certificate (node >= 0) or the
// summary of the end entities not drawn under a CA (node < 0).
type svgBox struct {
	node   int
	parent int // box index of the box above, or -1
	x, y   int
	label  string
}

// WriteSVG draws the hierarchy of g as a standalone SVG image: the
// chains as a tree from each root or trust anchor down, then the
// certificates that are not chained, each box coloured by its worst
// finding as WriteGraph colours it and labelled with its verdict, role,
// subject and origin. Under a CA with many end entities it draws the
// worst few, as the text diagram does, and one box that counts the rest.
// It uses presentation attributes only (no style sheet, no script), so
// that it can be inlined in a page with a strict content security policy.
func WriteSVG(w io.Writer, g *bundle.Graph) error {
	var boxes []svgBox
	children := childrenOf(g)
	drawn := make([]bool, len(g.Nodes))
	nextX := 0
	var place func(i, parent, depth int)
	place = func(i, parent, depth int) {
		me := len(boxes)
		boxes = append(boxes, svgBox{node: i, parent: parent, y: depth})
		if drawn[i] {
			boxes[me].x = nextX
			nextX++
			return
		}
		drawn[i] = true
		var cas, leaves []int
		for _, k := range children[i] {
			if bundle.IsLeafRole(g.Nodes[k].Role) {
				leaves = append(leaves, k)
			} else {
				cas = append(cas, k)
			}
		}
		shown, hidden := leaves, g.Nodes[i].HiddenLeaves.Total()
		if len(leaves) > maxLeaves+1 || hidden > 0 { // a box that counts one would hide it for nothing
			shown = pickLeaves(g, leaves)
			hidden += len(leaves) - len(shown)
		}
		first := nextX
		for _, k := range append(append([]int{}, cas...), shown...) {
			place(k, me, depth+1)
		}
		if hidden > 0 {
			boxes = append(boxes, svgBox{node: -1, parent: me, x: nextX, y: depth + 1,
				label: fmt.Sprintf("… and %d more end entit%s|%s", hidden, plural(hidden, "y", "ies"), hiddenSummary(g, g.Nodes[i].HiddenLeaves, leaves, shown))})
			nextX++
		}
		if nextX == first {
			boxes[me].x = nextX
			nextX++
			return
		}
		// Centre the box over what it issued.
		lo, hi := nextX, first
		for j := me + 1; j < len(boxes); j++ {
			if boxes[j].parent == me {
				lo, hi = min(lo, boxes[j].x), max(hi, boxes[j].x)
			}
		}
		boxes[me].x = (lo + hi) / 2
	}
	for i, n := range g.Nodes {
		if n.Duplicate < 0 && n.Issuer < 0 && !n.Orphan && !n.BrokenIssuer {
			place(i, -1, 0)
		}
	}
	for i, n := range g.Nodes {
		if n.Duplicate < 0 && (n.Orphan || n.BrokenIssuer) && !drawn[i] {
			place(i, -1, 0)
		}
	}
	return writeSVGBoxes(w, g, boxes, nextX)
}

// writeSVGBoxes writes the placed boxes, their edges and the legend.
func writeSVGBoxes(w io.Writer, g *bundle.Graph, boxes []svgBox, columns int) error {
	depth := 0
	for _, b := range boxes {
		depth = max(depth, b.y+1)
	}
	width := svgMargin*2 + max(columns*(svgBoxW+svgGapX)-svgGapX, len(levelColours)*118)
	height := svgMargin*2 + max(depth*(svgBoxH+svgGapY)-svgGapY, 0) + svgLegendH + svgGapY/2
	left := func(b svgBox) int { return svgMargin + b.x*(svgBoxW+svgGapX) }
	top := func(b svgBox) int { return svgMargin + svgLegendH + svgGapY/2 + b.y*(svgBoxH+svgGapY) }

	var s strings.Builder
	fmt.Fprintf(&s, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" role="img" aria-labelledby="chain-title chain-desc" font-family="sans-serif" font-size="12">`+"\n", width, height, width, height)
	fmt.Fprintf(&s, `<title id="chain-title">Certificate chains</title>`+"\n")
	fmt.Fprintf(&s, `<desc id="chain-desc">%s</desc>`+"\n", esc(svgDescription(g, boxes)))
	s.WriteString(`<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#333"/></marker></defs>` + "\n")
	// Legend.
	for i, c := range levelColours {
		x := svgMargin + i*118
		fmt.Fprintf(&s, `<rect x="%d" y="%d" width="14" height="14" rx="2" fill="%s" stroke="#333"/><text x="%d" y="%d">%s</text>`+"\n",
			x, svgMargin, c.fill, x+19, svgMargin+11, esc(strings.TrimSuffix(c.label, " (not linted)")))
	}
	// Edges first, so that boxes are drawn over them.
	for _, b := range boxes {
		if b.parent < 0 {
			continue
		}
		p := boxes[b.parent]
		x1, y1 := left(p)+svgBoxW/2, top(p)+svgBoxH
		x2, y2 := left(b)+svgBoxW/2, top(b)
		stroke, dash := "#333", ""
		if b.node < 0 {
			dash = ` stroke-dasharray="4 3"`
		}
		fmt.Fprintf(&s, `<path d="M %d %d C %d %d, %d %d, %d %d" fill="none" stroke="%s"%s marker-end="url(#arrow)"/>`+"\n",
			x1, y1, x1, y1+svgGapY/2, x2, y2-svgGapY/2, x2, y2, stroke, dash)
	}
	for _, b := range boxes {
		x, y := left(b), top(b)
		if b.node < 0 {
			line1, line2, _ := strings.Cut(b.label, "|")
			fmt.Fprintf(&s, `<g><rect x="%d" y="%d" width="%d" height="%d" rx="6" fill="#fafafa" stroke="#777" stroke-dasharray="4 3"/>`, x, y, svgBoxW, svgBoxH)
			fmt.Fprintf(&s, `<text x="%d" y="%d">%s</text><text x="%d" y="%d" fill="#444">%s</text></g>`+"\n", x+8, y+24, esc(line1), x+8, y+42, esc(line2))
			continue
		}
		n := g.Nodes[b.node]
		fill := "#c8e6c9"
		cls := classOf(n)
		for _, c := range levelColours {
			if c.class == cls {
				fill = c.fill
			}
		}
		verdict := "ok"
		if n.Worst != 0 {
			verdict = strings.ToUpper(n.Worst.String())
		}
		where := fmt.Sprintf("%s[%d]", n.Origin.File, n.Origin.Index)
		if n.Index < 0 {
			verdict, where = "trusted", "trust store "+where
		}
		stroke := "#333"
		if n.BrokenIssuer || n.Orphan {
			stroke = "#b71c1c"
		}
		colour := textColour(cls)
		fmt.Fprintf(&s, `<g><title>%s</title>`, esc(fmt.Sprintf("%s %s %s, %s", verdict, n.Role, n.Subject, where)))
		fmt.Fprintf(&s, `<rect x="%d" y="%d" width="%d" height="%d" rx="6" fill="%s" stroke="%s"/>`, x, y, svgBoxW, svgBoxH, fill, stroke)
		fmt.Fprintf(&s, `<text x="%d" y="%d" font-weight="bold" fill="%s">%s · %s</text>`, x+8, y+17, colour, esc(verdict), esc(n.Role))
		fmt.Fprintf(&s, `<text x="%d" y="%d" fill="%s">%s</text>`, x+8, y+35, colour, esc(shorten(subjectCN(n.Subject), svgSubjectRunes)))
		note := where
		switch {
		case n.Orphan:
			note += " · issuer not found"
		case n.BrokenIssuer:
			note += " · signature does not verify"
		}
		fmt.Fprintf(&s, `<text x="%d" y="%d" fill="%s" font-size="11">%s</text></g>`+"\n", x+8, y+52, colour, esc(shorten(note, svgSubjectRunes+4)))
	}
	s.WriteString("</svg>\n")
	_, err := io.WriteString(w, s.String())
	return err
}

// svgDescription says in words what the diagram shows, for screen
// readers.
func svgDescription(g *bundle.Graph, boxes []svgBox) string {
	var parts []string
	for _, b := range boxes {
		if b.node < 0 {
			line1, _, _ := strings.Cut(b.label, "|")
			parts = append(parts, line1)
			continue
		}
		line := nodeLine(g.Nodes[b.node])
		if b.parent >= 0 && boxes[b.parent].node >= 0 {
			line += fmt.Sprintf(", issued by %q", g.Nodes[boxes[b.parent].node].Subject)
		}
		parts = append(parts, line)
	}
	if len(parts) == 0 {
		return "No certificate."
	}
	return strings.Join(parts, "; ") + "."
}

// subjectCN returns the common name of an RFC 4514 subject, or the whole
// subject when it has none.
func subjectCN(subject string) string {
	for _, rdn := range strings.Split(subject, ",") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(rdn), "CN="); ok {
			return v
		}
	}
	if subject == "" {
		return "(empty subject)"
	}
	return subject
}

// shorten cuts s to n runes with an ellipsis.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// esc escapes s for XML text and attribute values, replacing the
// characters XML cannot hold (controls, as a malformed subject may carry).
func esc(s string) string {
	return html.EscapeString(strings.Map(func(r rune) rune {
		if (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || r == 0xFFFE || r == 0xFFFF {
			return '\uFFFD'
		}
		return r
	}, s))
}

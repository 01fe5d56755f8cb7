package report

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strings"
	"testing"

	"github.com/iotcert/iotcert/bundle"
	"github.com/iotcert/iotcert/certio"
	"github.com/iotcert/iotcert/profile"
)

// svgDoc is what the tests read of an SVG diagram.
type svgDoc struct {
	XMLName xml.Name
	Title   string `xml:"title"`
	Desc    string `xml:"desc"`
	Paths   []struct {
		Dash string `xml:"stroke-dasharray,attr"`
	} `xml:"path"`
	Boxes []struct {
		Title string `xml:"title"`
		Rect  struct {
			Fill   string `xml:"fill,attr"`
			Stroke string `xml:"stroke,attr"`
		} `xml:"rect"`
		Texts []string `xml:"text"`
	} `xml:"g"`
}

func drawSVG(t *testing.T, g *bundle.Graph) svgDoc {
	t.Helper()
	var b bytes.Buffer
	if err := WriteSVG(&b, g); err != nil {
		t.Fatal(err)
	}
	var doc svgDoc
	if err := xml.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatalf("not XML: %v\n%s", err, b.String())
	}
	if doc.XMLName.Space != "http://www.w3.org/2000/svg" || doc.XMLName.Local != "svg" {
		t.Fatalf("root %v", doc.XMLName)
	}
	for _, bad := range []string{"<script", "style=", "href=\"http"} {
		if strings.Contains(b.String(), bad) {
			t.Errorf("the SVG holds %q", bad)
		}
	}
	return doc
}

func node(i, issuer int, role, subject string, worst profile.Level) bundle.GraphNode {
	return bundle.GraphNode{Index: i, Issuer: issuer, Duplicate: -1, Role: role, Subject: subject, Worst: worst,
		Origin: certio.Origin{File: "b.pem", Index: i}}
}

// TestWriteSVG draws a root, a CA, eight devices (five drawn, the rest
// counted), an orphan and a duplicate, and checks boxes, colours, edges
// and the text for screen readers.
func TestWriteSVG(t *testing.T) {
	g := &bundle.Graph{Nodes: []bundle.GraphNode{
		node(0, -1, "root", "CN=Root <&> \"R\"", 0),
		node(1, 0, "subordinate", "CN=CA, O=Example", profile.Warn),
	}}
	g.Nodes[0].SelfSigned = true
	for i := 2; i < 10; i++ {
		worst := profile.Level(0)
		if i == 9 {
			worst = profile.Error
		}
		g.Nodes = append(g.Nodes, node(i, 1, "end-entity", fmt.Sprintf("CN=dev%d", i), worst))
	}
	orphan := node(10, -1, "end-entity", "CN=stray\x00", profile.Notice)
	orphan.Orphan = true
	dup := node(11, -1, "end-entity", "CN=dev2", 0)
	dup.Duplicate = 2
	g.Nodes = append(g.Nodes, orphan, dup)

	doc := drawSVG(t, g)
	if doc.Title != "Certificate chains" {
		t.Errorf("title %q", doc.Title)
	}
	var titles []string
	for _, b := range doc.Boxes {
		titles = append(titles, b.Title)
	}
	want := []string{
		`ok root CN=Root <&> "R", b.pem[0]`,
		`WARN subordinate CN=CA, O=Example, b.pem[1]`,
		"ERROR end-entity CN=dev9, b.pem[9]",
		"ok end-entity CN=dev2, b.pem[2]",
		"ok end-entity CN=dev3, b.pem[3]",
		"ok end-entity CN=dev4, b.pem[4]",
		"ok end-entity CN=dev5, b.pem[5]",
		"", // the box that counts the others
		"NOTICE end-entity CN=stray\uFFFD, b.pem[10]",
	}
	if strings.Join(titles, "\n") != strings.Join(want, "\n") {
		t.Errorf("boxes:\n%s\nwant:\n%s", strings.Join(titles, "\n"), strings.Join(want, "\n"))
	}
	if got := doc.Boxes[7].Texts; len(got) != 2 || got[0] != "… and 3 more end entities" || got[1] != "3 ok" {
		t.Errorf("summary box %q", got)
	}
	if doc.Boxes[0].Rect.Fill != "#c8e6c9" || doc.Boxes[1].Rect.Fill != "#fff59d" || doc.Boxes[2].Rect.Fill != "#ef9a9a" || doc.Boxes[8].Rect.Stroke != "#b71c1c" {
		t.Errorf("colours: %+v", doc.Boxes)
	}
	if got := doc.Boxes[1].Texts[1]; got != "CA" {
		t.Errorf("CA box names %q, want its CN", got)
	}
	// root→CA, CA→six boxes (the summary's edge dashed); the legend
	// marker is not an edge.
	var edges, dashed int
	for _, p := range doc.Paths {
		edges++
		if p.Dash != "" {
			dashed++
		}
	}
	if edges != 1+6 || dashed != 1 {
		t.Errorf("%d paths (%d dashed), want 7 (1)", edges, dashed)
	}
	if !strings.Contains(doc.Desc, `[WARN] subordinate "CN=CA, O=Example"  b.pem[1], issued by "CN=Root <&> \"R\""`) || !strings.Contains(doc.Desc, "… and 3 more end entities") {
		t.Errorf("desc %q", doc.Desc)
	}
}

// TestWriteSVGSixLeaves checks that six end entities are all drawn: a
// box that counts one would hide it for nothing.
func TestWriteSVGSixLeaves(t *testing.T) {
	g := &bundle.Graph{Nodes: []bundle.GraphNode{node(0, -1, "root", "CN=R", 0)}}
	for i := 1; i <= 6; i++ {
		g.Nodes = append(g.Nodes, node(i, 0, "end-entity", fmt.Sprintf("CN=d%d", i), 0))
	}
	if doc := drawSVG(t, g); len(doc.Boxes) != 7 {
		t.Errorf("%d boxes, want 7", len(doc.Boxes))
	}
	if doc := drawSVG(t, &bundle.Graph{}); len(doc.Boxes) != 0 || doc.Desc != "No certificate." {
		t.Errorf("empty graph: %d boxes, desc %q", len(doc.Boxes), doc.Desc)
	}
}

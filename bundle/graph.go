package bundle

import (
	"crypto/sha256"
	"encoding/hex"
	"sort"
	"time"

	"github.com/iotcert/iotcert/certio"
	"github.com/iotcert/iotcert/profile"
)

// Graph is the outcome of chain building: who issued whom, the refined
// role of every certificate and the chain findings.
type Graph struct {
	// Nodes holds one entry per certificate added, in input order (the
	// position of its result), followed by the trust anchors. Inputs that
	// were not certificates have no entry.
	Nodes []GraphNode
	// Findings are the chain findings, by result index.
	Findings []ChainFinding
	// Anchors says what the trust anchors of the path verdict are:
	// "trust" (the --trust certificates), "input-roots" (without --trust,
	// the self-signed roots of the input) or "" (neither: no path verdict).
	Anchors string
	// At is the evaluation time of the path verdict.
	At time.Time
	// HiddenLoose counts the end entities that are not chained and not
	// in Nodes: beyond the first MaxLooseLeaves, a Graph made by Spool
	// keeps none.
	HiddenLoose LeafCounts

	leaves *leafDiagram // while Spooled.Results runs
}

// GraphNode is one certificate of the graph.
type GraphNode struct {
	// Index is the position of the certificate's result, or -1 for a
	// trust anchor.
	Index int
	// Subject is the subject DN.
	Subject string
	// Serial is the serial number in hexadecimal.
	Serial string
	// Origin is where the certificate was read.
	Origin certio.Origin
	// Role is "root", "subordinate", "link", "end-entity", "idevid",
	// "ldevid" or "trust-anchor".
	Role string
	// Issuer is the position in Nodes of the issuer the chain is drawn
	// through, or -1 (a root, a trust anchor or an orphan).
	Issuer int
	// OtherIssuers are the positions in Nodes of further certificates
	// whose key verifies this one's signature (cross-certification, link
	// certificates).
	OtherIssuers []int
	// SelfSigned is true for roots (and self-signed end entities).
	SelfSigned bool
	// Orphan is true when no certificate of the input or trust store is
	// the issuer.
	Orphan bool
	// BrokenIssuer is true when an issuer by name exists but its key does
	// not verify the signature.
	BrokenIssuer bool
	// NamedIssuers are the positions in Nodes of the certificates named as
	// issuer whose key does not verify the signature.
	NamedIssuers []int
	// Duplicate is the position in Nodes of the first copy of this
	// certificate, or -1.
	Duplicate int
	// Worst is the highest level among the certificate's findings, set by
	// Apply.
	Worst profile.Level
	// PathValid is true when a certification path from the certificate to
	// a trust anchor is valid at Graph.At (see Graph.Path).
	PathValid bool
	// AnchorProblem, for a trust anchor (Index -1), says why no path can
	// start at it at Graph.At (expired, not a CA, malformed, ...); empty
	// when it is usable.
	AnchorProblem string
	// HiddenLeaves counts the end entities this certificate issued that
	// are not in Nodes: a Graph made by Spool keeps, of the end entities
	// whose records waited on disk, the DiagramLeaves an issuer's text
	// diagram draws (the worst first) and counts the others here.
	HiddenLeaves LeafCounts

	verdict *pathVerdict // nil when there is no path verdict
	// relint is the result of linting the certificate in the Matter role
	// of its place in the chain, when that differs from its cA flag's.
	relint *profile.Result
}

// Path returns the path verdict of the certificate at position i of
// Nodes, or nil when there is none (no trust anchor).
func (g *Graph) Path(i int) *profile.Path {
	return g.pathOf(&g.Nodes[i])
}

// pathOf returns the path verdict of node, or nil.
func (g *Graph) pathOf(node *GraphNode) *profile.Path {
	v := node.verdict
	if v == nil || g.Anchors == "" {
		return nil
	}
	p := &profile.Path{Valid: v.valid, Anchors: g.Anchors, At: g.At.UTC().Format(time.RFC3339), Reason: v.reason, Chain: []profile.PathCert{}}
	if !v.valid {
		return p
	}
	n := 0
	for r := v.path; r != nil; r = r.up {
		if n < profile.MaxPathListed-1 || r.up == nil {
			p.Chain = append(p.Chain, pathCert(r.s))
		} else {
			p.Omitted++
		}
		n++
	}
	return p
}

func pathCert(s *state) profile.PathCert {
	pc := profile.PathCert{Subject: s.n.display, Origin: s.n.origin, Anchor: s.anchor}
	if s.n.sha256 != ([sha256.Size]byte{}) {
		pc.SHA256 = hex.EncodeToString(s.n.sha256[:])
	}
	return pc
}

// graph builds the Graph from the finisher's state.
func (f *finisher) graph(inputs []*state) *Graph {
	g := &Graph{Findings: f.findings, At: f.b.now}
	if f.hasAnchor {
		g.Anchors = "input-roots"
		if len(f.b.anchors) > 0 {
			g.Anchors = "trust"
		}
	}
	// Each state's position in Nodes is kept in the state (s.pos), not
	// in a map: a map of 100,000 entries costs tens of megabytes while it
	// grows (docs/bundle.md, "Concurrency and memory").
	order := make([]*state, 0, len(f.all))
	for _, s := range inputs {
		if s != nil {
			s.pos = len(order)
			order = append(order, s)
		}
	}
	for _, s := range f.all {
		if s.n.trusted {
			s.pos = len(order)
			order = append(order, s)
		}
	}
	g.Nodes = make([]GraphNode, 0, len(order))
	for _, s := range order {
		g.Nodes = append(g.Nodes, f.graphNode(s))
	}
	// size.go: on the chains of the graph, as iotcert size draws them (a
	// bundle with a size budget keeps every certificate in memory, see
	// spill.add).
	f.checkSize(g, order)
	g.Findings = f.findings
	sort.SliceStable(g.Findings, func(i, j int) bool { return g.Findings[i].Index < g.Findings[j].Index })
	return g
}

// graphNode returns the node of s in the graph; the positions of the
// certificates it names (s.pos) must be set.
func (f *finisher) graphNode(s *state) GraphNode {
	{
		gn := GraphNode{
			Index: s.n.index, Subject: s.n.display, Serial: s.n.serial, Origin: s.n.origin, Role: s.role,
			Issuer: -1, Duplicate: -1, SelfSigned: s.selfSigned,
		}
		src := s
		if s.dupOf != nil {
			gn.Duplicate = s.dupOf.pos
			src = s.dupOf
		}
		if src.matterRole != 0 && src.n.matterAlt != nil {
			gn.relint = src.n.matterAlt
			gn.Role = src.n.matterAlt.Role
		}
		if f.hasAnchor && !src.n.trusted {
			// A copy, not a pointer into the state: the graph then keeps
			// the states of the issuers on the paths alone, and those of
			// the end entities are released with the bundle.
			gn.verdict = f.pathOf(src)
			if releaseMemory {
				v := *gn.verdict
				gn.verdict = &v
			}
			gn.PathValid = gn.verdict.valid
		}
		if s.n.trusted {
			gn.AnchorProblem = f.anchorDefect(s)
		}
		for i, p := range src.parents {
			if i == 0 {
				gn.Issuer = p.pos
			} else {
				gn.OtherIssuers = append(gn.OtherIssuers, p.pos)
			}
		}
		if s.dupOf == nil && !s.isAnchor() && len(s.parents) == 0 {
			gn.Orphan = len(s.named) == 0
			gn.BrokenIssuer = len(s.named) > 0
			for _, c := range s.named {
				gn.NamedIssuers = append(gn.NamedIssuers, c.pos)
			}
		}
		return gn
	}
}

// Apply adds the chain findings to the results they concern, sets the
// refined roles (a link certificate's role becomes "link"; under matter, a
// certificate whose place in the chain contradicts its cA flag takes the
// role of its place and the findings of linting it in that role) and records
// each certificate's worst level in the graph. results are the results in
// the order they were added to the bundle. Findings stay sorted by lint
// name, a device-kind guess notice first.
func (g *Graph) Apply(results []profile.Result) {
	a := g.applier()
	for i := range results {
		a.apply(i, &results[i])
	}
}

// applier applies a graph to results one at a time, in input order.
type applier struct {
	g       *Graph
	finding int // next of g.Findings (sorted by Index)
	node    int // next of g.Nodes (in input order, then the anchors)
}

func (g *Graph) applier() *applier { return &applier{g: g} }

// apply adds the chain findings of the result at index i to res, sets its
// refined role and records its worst level in the graph. Calls must come
// in increasing order of i.
func (a *applier) apply(i int, res *profile.Result) {
	g := a.g
	for a.finding < len(g.Findings) && g.Findings[a.finding].Index < i {
		a.finding++
	}
	var node *GraphNode
	for a.node < len(g.Nodes) && g.Nodes[a.node].Index >= 0 && g.Nodes[a.node].Index < i {
		a.node++
	}
	if a.node < len(g.Nodes) && g.Nodes[a.node].Index == i {
		node = &g.Nodes[a.node]
	}
	var chain []profile.Finding
	for ; a.finding < len(g.Findings) && g.Findings[a.finding].Index == i; a.finding++ {
		chain = append(chain, g.Findings[a.finding].Finding)
	}
	g.applyTo(res, node, chain)
}

// applyTo adds the chain findings to res, sets its refined role and path
// verdict from node (nil: the result is not a certificate's) and records
// its worst level in node.
func (g *Graph) applyTo(res *profile.Result, node *GraphNode, chain []profile.Finding) {
	if node != nil && node.relint != nil {
		// Linted again in the Matter role of its place (matter.go).
		res.Role = node.relint.Role
		res.Findings = append([]profile.Finding{}, node.relint.Findings...)
	}
	if len(chain) > 0 {
		res.Findings = append(res.Findings, chain...)
		fs := res.Findings
		sort.SliceStable(fs, func(a, b int) bool {
			ga, gb := fs[a].Lint == profile.DeviceGuessedLint, fs[b].Lint == profile.DeviceGuessedLint
			if ga != gb {
				return ga
			}
			return fs[a].Lint < fs[b].Lint
		})
	}
	if node != nil {
		n := node
		if n.Role == RoleLink {
			res.Role = RoleLink
		}
		n.Worst = res.Worst()
		res.Path = g.pathOf(n)
	}
}

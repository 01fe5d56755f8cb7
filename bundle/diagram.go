package bundle

import (
	"slices"

	"github.com/iotcert/iotcert/profile"
	"github.com/iotcert/iotcert/role"
)

// DiagramLeaves is how many end entities the text chain diagram draws
// under one issuer; the others are counted. A Graph made by Spool keeps
// the nodes of these alone (GraphNode.HiddenLeaves).
const DiagramLeaves = 5

// MaxLooseLeaves is how many end entities that are not chained (their
// issuer missing, or its key not verifying them) a Graph made by Spool
// keeps; the others are counted in Graph.HiddenLoose.
const MaxLooseLeaves = 1000

// LeafCounts counts end entities by their worst level (0: no finding).
type LeafCounts [profile.Fatal + 1]int

// Total returns the number of end entities counted.
func (c LeafCounts) Total() int {
	n := 0
	for _, v := range c {
		n += v
	}
	return n
}

// IsLeafRole reports whether a certificate of the role is drawn as an end
// entity ("end-entity", "idevid", "ldevid").
func IsLeafRole(r string) bool {
	return r == role.EndEntity.String() || r == role.IDevID.String() || r == role.LDevID.String()
}

// leafDiagram collects, while Spooled.Results replays the spilled end
// entities, the nodes the text diagram draws.
type leafDiagram struct {
	byIssuer map[int][]GraphNode // by position of the issuer, in input order
	hidden   map[int]*LeafCounts
	loose    []GraphNode
	other    []GraphNode
}

// leafRanksBelow reports whether leaf a is drawn after leaf b: a lower
// worst level, or the same and later in the input.
func leafRanksBelow(a, b GraphNode) bool {
	if a.Worst != b.Worst {
		return a.Worst < b.Worst
	}
	return a.Index > b.Index
}

// keepLeaf keeps gn, the node of a spilled end entity whose result was
// replayed, if the text diagram may draw it, and counts it otherwise.
func (g *Graph) keepLeaf(gn GraphNode) {
	if g.leaves == nil {
		g.leaves = &leafDiagram{byIssuer: map[int][]GraphNode{}, hidden: map[int]*LeafCounts{}}
	}
	d := g.leaves
	switch {
	case gn.Issuer >= 0 && IsLeafRole(gn.Role):
		kept := d.byIssuer[gn.Issuer]
		if len(kept) < DiagramLeaves {
			d.byIssuer[gn.Issuer] = append(kept, gn)
			return
		}
		// Drop the one drawn last of the kept ones and gn.
		last := -1
		for i := range kept {
			if last < 0 || leafRanksBelow(kept[i], kept[last]) {
				last = i
			}
		}
		h := d.hidden[gn.Issuer]
		if h == nil {
			h = &LeafCounts{}
			d.hidden[gn.Issuer] = h
		}
		if !leafRanksBelow(gn, kept[last]) {
			h[kept[last].Worst]++
			d.byIssuer[gn.Issuer] = append(slices.Delete(kept, last, last+1), gn)
		} else {
			h[gn.Worst]++
		}
	case gn.Orphan || gn.BrokenIssuer:
		if len(d.loose) < MaxLooseLeaves {
			d.loose = append(d.loose, gn)
		} else {
			g.HiddenLoose[gn.Worst]++
		}
	default:
		d.other = append(d.other, gn)
	}
}

// finishLeaves adds the kept nodes of the spilled end entities to Nodes,
// in input order among the certificates, and the counts of the others to
// their issuers.
func (g *Graph) finishLeaves() {
	d := g.leaves
	if d == nil {
		return
	}
	g.leaves = nil
	var kept []GraphNode
	for _, ns := range d.byIssuer {
		kept = append(kept, ns...)
	}
	kept = append(append(kept, d.loose...), d.other...)
	slices.SortFunc(kept, func(a, b GraphNode) int { return a.Index - b.Index })
	old := g.Nodes
	pos := make([]int, len(old)) // old position → new
	nodes := make([]GraphNode, 0, len(old)+len(kept))
	k := 0
	for i, n := range old {
		for n.Index >= 0 && k < len(kept) && kept[k].Index < n.Index || n.Index < 0 && k < len(kept) {
			nodes = append(nodes, kept[k])
			k++
		}
		pos[i] = len(nodes)
		nodes = append(nodes, n)
	}
	nodes = append(nodes, kept[k:]...)
	for i := range nodes {
		n := &nodes[i]
		if n.Issuer >= 0 {
			n.Issuer = pos[n.Issuer]
		}
		if n.Duplicate >= 0 {
			n.Duplicate = pos[n.Duplicate]
		}
		for _, list := range [][]int{n.OtherIssuers, n.NamedIssuers} {
			for j := range list {
				list[j] = pos[list[j]]
			}
		}
	}
	for issuer, h := range d.hidden {
		nodes[pos[issuer]].HiddenLeaves = *h
	}
	g.Nodes = nodes
}

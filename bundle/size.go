package bundle

import (
	"errors"
	"slices"
	"strings"

	"github.com/iotcert/iotcert/c509"
	"github.com/iotcert/iotcert/profile"
)

func init() {
	// The size checks join the chain checks once, before any Bundle
	// exists; the table is not changed afterwards.
	checks = append(checks, sizeChecks...)
}

// Names of the size checks, which run when the profile sets a size
// budget (profile.SizeBudget, "size_budget" in rules.yaml).
const (
	SizeChain       = "w_chain_size_budget"
	SizeCertificate = "w_chain_cert_size_budget"
)

var sizeChecks = []CheckInfo{
	{Name: SizeChain, Level: profile.Warn, Roles: "end-entity",
		Citation: "draft-ietf-uta-tls13-iot-profile editor's copy 8aad405 §18 (Certificate Overhead); RFC 8446 §4.4.2",
		Description: "The TLS/DTLS 1.3 Certificate message that carries the certificate's chain (the certificate and its issuers, without the trust anchor unless the budget counts it), in DER or in C509 as the budget says, is larger than the size budget the profile sets " +
			"(size_budget chain in rules.yaml: bytes, or dtls13-record, coap-block-512, coap-block-1024). Runs only when the profile sets one."},
	{Name: SizeCertificate, Level: profile.Warn, Roles: "all",
		Citation: "draft-ietf-uta-tls13-iot-profile editor's copy 8aad405 §18 (Certificate Overhead)",
		Description: "The certificate, in DER or in C509 as the budget says, is larger than the size budget the profile sets for one certificate " +
			"(size_budget certificate in rules.yaml), or has no C509 form when the budget counts C509. Runs only when the profile sets one."},
}

// Chain is the chain of a certificate that issued none of the others, as
// a TLS 1.3 / DTLS 1.3 Certificate message carries it (RFC 8446 §4.4.2):
// the certificate first, then each issuer up to the top of its chain.
type Chain struct {
	// Nodes are positions in Graph.Nodes, the certificate first.
	Nodes []int
	// Anchored is true when the chain ends at a self-signed certificate
	// or a trust anchor.
	Anchored bool
}

// Sent returns the certificates a peer that leaves out the trust anchor
// sends: Nodes without the top certificate when the chain is anchored
// (a chain of a single certificate keeps it).
func (c Chain) Sent() []int {
	if c.Anchored && len(c.Nodes) > 1 {
		return c.Nodes[:len(c.Nodes)-1]
	}
	return c.Nodes
}

// Chains returns the chain of every certificate of the input (not a trust
// anchor, not a later copy of a duplicate) that is the primary issuer of
// none of the others, in the order of Nodes. Each issuer is the one the
// graph draws the chain through (GraphNode.Issuer).
func (g *Graph) Chains() []Chain {
	issuer := make([]bool, len(g.Nodes))
	for _, n := range g.Nodes {
		if n.Issuer >= 0 {
			issuer[n.Issuer] = true
		}
	}
	var out []Chain
	for i, n := range g.Nodes {
		if issuer[i] || n.Duplicate >= 0 || n.Index < 0 {
			continue
		}
		chain := []int{i}
		for j := n.Issuer; j >= 0 && len(chain) <= len(g.Nodes) && !slices.Contains(chain, j); j = g.Nodes[j].Issuer {
			chain = append(chain, j)
		}
		top := g.Nodes[chain[len(chain)-1]]
		out = append(out, Chain{Nodes: chain, Anchored: top.SelfSigned || top.Role == RoleTrustAnchor})
	}
	return out
}

// sizeIn returns the size of n in the budget's encoding, or the reason it
// has none.
func (f *finisher) sizeIn(n *Node) (int, string) {
	if n.wireSize < 0 {
		return 0, f.b.noC509[n]
	}
	return int(n.wireSize), ""
}

// checkSize runs the size checks over the graph; order holds the state of
// each position of g.Nodes.
func (f *finisher) checkSize(g *Graph, order []*state) {
	b := f.b.opts.SizeBudget
	if b == nil {
		return
	}
	enc := "DER"
	if b.Encoding == profile.EncodingC509 {
		enc = "C509"
	}
	if b.Certificate != nil && f.b.enabled[SizeCertificate] {
		for _, s := range order {
			if s.dupOf != nil {
				continue
			}
			size, no := f.sizeIn(s.n)
			switch {
			case no != "":
				f.add(s, SizeCertificate, "no C509 form (%s), so it cannot meet the budget %s in C509", no, b.Certificate)
			case size > b.Certificate.Bytes:
				f.add(s, SizeCertificate, "%d bytes in %s, over the budget %s by %d", size, enc, b.Certificate, size-b.Certificate.Bytes)
			}
		}
	}
	if b.Chain == nil || !f.b.enabled[SizeChain] {
		return
	}
	for _, ch := range g.Chains() {
		nodes, what := ch.Sent(), "without the trust anchor"
		switch {
		case !ch.Anchored:
			nodes, what = ch.Nodes, "whose trust anchor is not in the input"
		case b.TrustAnchor || len(nodes) == len(ch.Nodes):
			nodes, what = ch.Nodes, "with the trust anchor"
		}
		s := order[nodes[0]]
		if s.n.isCA {
			continue // a CA that issued nothing in the input: no device receives its chain
		}
		sizes := make([]int, len(nodes))
		missing := ""
		for i, j := range nodes {
			size, no := f.sizeIn(order[j].n)
			if no != "" && missing == "" {
				missing = "it has no C509 form (" + no + ")"
				if j != nodes[0] {
					missing = describe(order[j]) + " has no C509 form (" + no + ")"
				}
			}
			sizes[i] = size
		}
		if missing != "" {
			f.add(s, SizeChain, "its chain cannot be sent in C509 within the budget %s: %s", b.Chain, missing)
			continue
		}
		if m := c509.MessageSize(sizes...); m > b.Chain.Bytes {
			f.add(s, SizeChain, "the Certificate message of its chain (%d %s, %s) is %d bytes in %s, over the budget %s by %d",
				len(nodes), plural(len(nodes), "certificate"), what, m, enc, b.Chain, m-b.Chain.Bytes)
		}
	}
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// measure records the size of the certificate der, whose node is n, in
// the encoding the size budget counts. It is called on the workers.
func (b *Bundle) measure(n *Node, der []byte) {
	sb := b.opts.SizeBudget
	if sb == nil || !(b.enabled[SizeChain] || b.enabled[SizeCertificate]) {
		return
	}
	if sb.Encoding != profile.EncodingC509 {
		n.wireSize = int32(len(der))
		return
	}
	c, err := c509.Encode(der)
	if err == nil {
		n.wireSize = int32(len(c509.Unwrapped(c)))
		return
	}
	why := strings.TrimPrefix(err.Error(), "c509: ")
	var u *c509.UnsupportedError
	if errors.As(err, &u) {
		why = u.Field + ": " + u.Reason
	}
	n.wireSize = -1
	b.sizeMu.Lock()
	defer b.sizeMu.Unlock()
	if b.noC509 == nil {
		b.noC509 = map[*Node]string{}
	}
	b.noC509[n] = why
}

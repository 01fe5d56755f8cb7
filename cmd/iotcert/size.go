package main

import (
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/iotcert/iotcert/bundle"
	"github.com/iotcert/iotcert/c509"
	"github.com/iotcert/iotcert/certio"
	"github.com/iotcert/iotcert/internal/lineage"
	"github.com/iotcert/iotcert/profile"
)

const sizeSynopsis = `size [--budget BYTES|NAME] [--format text|json] [--trust FILE] PATH...

Prints what each certificate and each chain costs on the wire: per
certificate its DER size and its C509 size (~C509Certificate, as TLS and
COSE carry it); per chain (end entity first, built as "iotcert lint"
builds chains; --trust adds trust anchors that end chains) the TLS/DTLS
1.3 Certificate message with and without the trust anchor, in DER and in C509, each plain and as an RFC 8879
CompressedCertificate with zlib, brotli and zstd.

--budget compares every chain with a size in bytes or a named budget:
dtls13-record (1024), coap-block-512 (512), coap-block-1024 (1024).

Exit status: 0 every chain's DER Certificate message without its trust
anchor fits the budget (or no budget was given), 1 one does not, 2 usage
error or an input that is not a certificate.`

// sizeReport is the JSON output of iotcert size.
type sizeReport struct {
	Budget       *c509.Budget `json:"budget,omitempty"`
	Certificates []certSize   `json:"certificates"`
	Chains       []chainSize  `json:"chains"`
}

type certSize struct {
	File       string `json:"file"`
	Index      int    `json:"index"`
	Subject    string `json:"subject"`
	DER        int    `json:"der"`
	C509       int    `json:"c509,omitempty"`
	C509Refuse string `json:"c509_refused,omitempty"`
}

type chainSize struct {
	// Certificates are positions in the certificates list, end entity first.
	Certificates  []int      `json:"certificates"`
	Anchored      bool       `json:"anchored"`
	WithAnchor    chainForms `json:"with_anchor"`
	WithoutAnchor chainForms `json:"without_anchor"`
	// Fits says, for the message without the trust anchor, which forms
	// fit the budget.
	Fits map[string]bool `json:"fits,omitempty"`
}

type chainForms struct {
	DER  c509.MessageSizes  `json:"der"`
	C509 *c509.MessageSizes `json:"c509,omitempty"`
}

func runSize(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("size", sizeSynopsis, stderr)
	var input inputFlags
	input.register(fs)
	budgetFlag := fs.String("budget", "", "compare each chain with `BYTES` or a named budget (dtls13-record, coap-block-512, coap-block-1024)")
	format := fs.String("format", "text", "output format: text or json")
	var trust listFlag
	fs.Var(&trust, "trust", "certificates in `FILE` are trust anchors: they end chains and count only in the sizes with the trust anchor (repeatable)")
	paths, err := parseInterleaved(fs, args)
	if err != nil {
		return flagExit(err)
	}
	if *format != "text" && *format != "json" {
		fmt.Fprintf(stderr, "iotcert size: --format %q: want text or json\n", *format)
		return exitUsage
	}
	if len(paths) == 0 {
		fmt.Fprintln(stderr, "iotcert size: no input: give certificate files, directories, or - for standard input")
		return exitUsage
	}
	var budget *c509.Budget
	if *budgetFlag != "" {
		b, err := c509.ParseBudget(*budgetFlag)
		if err != nil {
			fmt.Fprintf(stderr, "iotcert size: --budget: %v\n", err)
			return exitUsage
		}
		budget = &b
	}
	inOpts, err := input.options()
	if err != nil {
		fmt.Fprintf(stderr, "iotcert size: %v\n", err)
		return exitUsage
	}
	status := exitOK
	read := func(paths []string) []certio.Item {
		var items []certio.Item
		for it := range readWith(paths, stdin, inOpts) {
			if it.Err != nil {
				fmt.Fprintf(stderr, "iotcert size: %v\n", it.Err)
				status = exitUsage
				continue
			}
			items = append(items, it)
		}
		return items
	}
	items := read(paths)
	var anchors []certio.Item
	if len(trust) > 0 {
		anchors = read(trust)
	}
	rep, err := measure(items, anchors, budget)
	if err != nil {
		fmt.Fprintf(stderr, "iotcert size: %v\n", err)
		return exitUsage
	}
	if budget != nil && status == exitOK {
		for _, ch := range rep.Chains {
			if !ch.Fits["der"] {
				status = exitFindings
			}
		}
	}
	if *format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		err = enc.Encode(rep)
	} else {
		err = writeSizeText(stdout, rep)
	}
	if err != nil {
		fmt.Fprintf(stderr, "iotcert size: %v\n", err)
		return exitUsage
	}
	return status
}

// measure sizes every certificate and builds the chains with the bundle
// package, as iotcert lint does with the default profile.
func measure(items, anchors []certio.Item, budget *c509.Budget) (*sizeReport, error) {
	rules, err := profile.LoadDefault()
	if err != nil {
		return nil, err
	}
	p, err := rules.Profile("tls13-iot")
	if err != nil {
		return nil, err
	}
	var trust iter.Seq[certio.Item]
	if len(anchors) > 0 {
		trust = slices.Values(anchors)
	}
	_, g, err := bundle.Run(p, slices.Values(items), trust, bundle.Options{Profiles: lineage.Of(rules, p)})
	if err != nil {
		return nil, err
	}
	rep := &sizeReport{Budget: budget, Certificates: []certSize{}, Chains: []chainSize{}}
	ders := make(map[certio.Origin][]byte, len(items)+len(anchors))
	for _, it := range slices.Concat(items, anchors) {
		ders[it.Origin] = it.DER
	}
	// One entry per graph node; C509 encodings by node.
	c509s := make([][]byte, len(g.Nodes))
	for i, n := range g.Nodes {
		der := ders[n.Origin]
		cs := certSize{File: n.Origin.File, Index: n.Origin.Index, Subject: n.Subject, DER: len(der)}
		if c, err := c509.Encode(der); err != nil {
			cs.C509Refuse = err.Error()
		} else {
			c509s[i] = c509.Unwrapped(c)
			cs.C509 = len(c509s[i])
		}
		rep.Certificates = append(rep.Certificates, cs)
	}
	for _, chain := range chains(g) {
		ch, err := measureChain(g, chain, ders, c509s, budget)
		if err != nil {
			return nil, err
		}
		rep.Chains = append(rep.Chains, ch)
	}
	return rep, nil
}

// chains returns, for every certificate that issued none of the others,
// the path to the top of its chain, as positions in g.Nodes.
func chains(g *bundle.Graph) [][]int {
	issuer := make([]bool, len(g.Nodes))
	for _, n := range g.Nodes {
		if n.Issuer >= 0 {
			issuer[n.Issuer] = true
		}
	}
	var out [][]int
	for i, n := range g.Nodes {
		if issuer[i] || n.Duplicate >= 0 {
			continue
		}
		chain := []int{i}
		for j := n.Issuer; j >= 0 && !slices.Contains(chain, j) && len(chain) <= len(g.Nodes); j = g.Nodes[j].Issuer {
			chain = append(chain, j)
		}
		out = append(out, chain)
	}
	return out
}

func measureChain(g *bundle.Graph, chain []int, ders map[certio.Origin][]byte, c509s [][]byte, budget *c509.Budget) (chainSize, error) {
	top := g.Nodes[chain[len(chain)-1]]
	ch := chainSize{Certificates: chain, Anchored: top.SelfSigned || top.Role == "trust-anchor"}
	sent := chain
	if ch.Anchored && len(chain) > 1 {
		sent = chain[:len(chain)-1]
	}
	var err error
	if ch.WithAnchor, err = measureForms(g, chain, ders, c509s); err != nil {
		return ch, err
	}
	if ch.WithoutAnchor, err = measureForms(g, sent, ders, c509s); err != nil {
		return ch, err
	}
	if budget != nil {
		w := ch.WithoutAnchor
		ch.Fits = map[string]bool{
			"der": w.DER.Plain <= budget.Bytes, "der+zlib": w.DER.Zlib <= budget.Bytes,
			"der+brotli": w.DER.Brotli <= budget.Bytes, "der+zstd": w.DER.Zstd <= budget.Bytes,
		}
		if w.C509 != nil {
			ch.Fits["c509"] = w.C509.Plain <= budget.Bytes
			ch.Fits["c509+zlib"] = w.C509.Zlib <= budget.Bytes
			ch.Fits["c509+brotli"] = w.C509.Brotli <= budget.Bytes
			ch.Fits["c509+zstd"] = w.C509.Zstd <= budget.Bytes
		}
	}
	return ch, nil
}

func measureForms(g *bundle.Graph, chain []int, ders map[certio.Origin][]byte, c509s [][]byte) (chainForms, error) {
	var f chainForms
	der := make([][]byte, len(chain))
	cs := make([][]byte, len(chain))
	allC509 := true
	for i, j := range chain {
		der[i] = ders[g.Nodes[j].Origin]
		cs[i] = c509s[j]
		allC509 = allC509 && cs[i] != nil
	}
	var err error
	if f.DER, err = c509.Measure(der); err != nil {
		return f, err
	}
	if allC509 {
		m, err := c509.Measure(cs)
		if err != nil {
			return f, err
		}
		f.C509 = &m
	}
	return f, nil
}

func writeSizeText(w io.Writer, rep *sizeReport) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "#\tDER\tC509\t saved\t  certificate")
	for i, c := range rep.Certificates {
		c5, saved := "-", ""
		if c.C509Refuse == "" {
			c5 = fmt.Sprint(c.C509)
			saved = fmt.Sprintf(" %d%%", 100-100*c.C509/max(c.DER, 1))
		}
		fmt.Fprintf(tw, "%d\t%d\t%s\t%s\t  %s#%d %s\n", i, c.DER, c5, saved, c.File, c.Index, c.Subject)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for i, c := range rep.Certificates {
		if c.C509Refuse != "" {
			fmt.Fprintf(w, "  #%d: no C509: %s\n", i, strings.TrimPrefix(c.C509Refuse, "c509: "))
		}
	}
	for _, ch := range rep.Chains {
		names := make([]string, len(ch.Certificates))
		for i, j := range ch.Certificates {
			names[i] = fmt.Sprintf("#%d", j)
		}
		anchor := "no trust anchor in the input"
		if ch.Anchored {
			anchor = "ends at a trust anchor"
		}
		fmt.Fprintf(w, "\nchain %s (%d certificates, %s)\n", strings.Join(names, " ← "), len(ch.Certificates), anchor)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "Certificate message\tDER\t+zlib\t+brotli\t+zstd\tC509\t+zlib\t+brotli\t+zstd\t")
		for _, row := range []struct {
			name string
			f    chainForms
		}{{"with trust anchor", ch.WithAnchor}, {"without trust anchor", ch.WithoutAnchor}} {
			c5 := "-\t-\t-\t-"
			if row.f.C509 != nil {
				m := row.f.C509
				c5 = fmt.Sprintf("%d\t%d\t%d\t%d", m.Plain, m.Zlib, m.Brotli, m.Zstd)
			}
			d := row.f.DER
			fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%s\t\n", row.name, d.Plain, d.Zlib, d.Brotli, d.Zstd, c5)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		if rep.Budget != nil {
			var fit, over []string
			for _, form := range []string{"der", "der+zlib", "der+brotli", "der+zstd", "c509", "c509+zlib", "c509+brotli", "c509+zstd"} {
				ok, known := ch.Fits[form]
				switch {
				case !known:
				case ok:
					fit = append(fit, form)
				default:
					over = append(over, form)
				}
			}
			fmt.Fprintf(w, "budget %s (%d bytes), without trust anchor: fits: %s; over: %s\n",
				rep.Budget.Name, rep.Budget.Bytes, orNone(fit), orNone(over))
		}
	}
	return nil
}

func orNone(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, ", ")
}

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

const sizeSynopsis = `size [--budget BYTES|NAME] [--profile P [--rules FILE]] [--format text|json] [--trust FILE] PATH...

Prints what each certificate and each chain costs on the wire: per
certificate its DER size and its C509 size (~C509Certificate, as TLS and
COSE carry it); per chain (end entity first, built as "iotcert lint"
builds chains; --trust adds trust anchors that end chains) the TLS/DTLS
1.3 Certificate message with and without the trust anchor, in DER and in C509, each plain and as an RFC 8879
CompressedCertificate with zlib, brotli and zstd.

--budget compares every chain with a size in bytes or a named budget:
dtls13-record (1024), coap-block-512 (512), coap-block-1024 (1024).
--profile builds the chains as that profile does and applies the size
budget it sets in rules.yaml (size_budget: chain, certificate, encoding,
trust_anchor), as the lint checks w_chain_size_budget and
w_chain_cert_size_budget do; --budget, when also given, replaces its chain
budget in the "fits" figures.

Exit status: 0 every chain's DER Certificate message without its trust
anchor fits --budget and nothing exceeds the profile's budget (or no
budget was given), 1 something does not fit, 2 usage error or an input
that is not a certificate.`

// sizeReport is the JSON output of iotcert size.
type sizeReport struct {
	Budget *c509.Budget `json:"budget,omitempty"`
	// Profile is the profile's size budget (--profile), when it sets one.
	Profile      *profileBudget `json:"profile_budget,omitempty"`
	Certificates []certSize     `json:"certificates"`
	Chains       []chainSize    `json:"chains"`
}

// profileBudget is the size budget of the --profile and what exceeds it.
type profileBudget struct {
	Profile     string       `json:"profile"`
	Chain       *c509.Budget `json:"chain,omitempty"`
	Certificate *c509.Budget `json:"certificate,omitempty"`
	Encoding    string       `json:"encoding"`
	TrustAnchor bool         `json:"trust_anchor"`
	// Over are the size findings, as iotcert lint reports them.
	Over []overBudget `json:"over"`
}

type overBudget struct {
	// Certificate is the position in the certificates list.
	Certificate int    `json:"certificate"`
	Lint        string `json:"lint"`
	Details     string `json:"details"`
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
	var rules rulesFlags
	rules.register(fs)
	profileName := fs.String("profile", "tls13-iot", "build the chains as profile `P` does and apply the size budget it sets (see \"iotcert profiles\")")
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
	rs, err := rules.load()
	if err != nil {
		fmt.Fprintf(stderr, "iotcert size: %v\n", err)
		return exitUsage
	}
	p, err := rs.Profile(*profileName)
	if err != nil {
		fmt.Fprintf(stderr, "iotcert size: --profile: %v\n", err)
		return exitUsage
	}
	if budget == nil && p.SizeBudget != nil && p.SizeBudget.Chain != nil {
		budget = p.SizeBudget.Chain
	}
	status := exitOK
	collect := func(items iter.Seq[certio.Item]) []certio.Item {
		var kept []certio.Item
		for it := range items {
			if it.Err != nil {
				fmt.Fprintf(stderr, "iotcert size: %v\n", it.Err)
				status = exitUsage
				continue
			}
			kept = append(kept, it)
		}
		return kept
	}
	all, read := input.read(paths, stdin, inOpts)
	items := collect(all)
	read.skipped("size", stderr)
	if read.empty() && read.stats.Errors == 0 {
		// Nothing was measured: no table, which would say it fits.
		read.finish("size", stderr)
		return exitUsage
	}
	var anchors []certio.Item
	for it := range readAnchors(trust, stdin, inOpts) {
		if it.Err != nil {
			// As lint and graph do: no sizes "with trust anchor" without
			// the anchors that were asked for.
			fmt.Fprintf(stderr, "iotcert size: trust store: %v\n", it.Err)
			return exitUsage
		}
		anchors = append(anchors, it)
	}
	rep, err := measure(rs, p, items, anchors, budget)
	if err != nil {
		fmt.Fprintf(stderr, "iotcert size: %v\n", err)
		return exitUsage
	}
	if status == exitOK {
		for _, ch := range rep.Chains {
			if *budgetFlag != "" && !ch.Fits["der"] {
				status = exitFindings
			}
		}
		if rep.Profile != nil && len(rep.Profile.Over) > 0 {
			status = exitFindings
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
	if read.finish("size", stderr) {
		return exitUsage
	}
	return status
}

// measure sizes every certificate and builds the chains with the bundle
// package, as iotcert lint does with profile p; the size checks of the
// bundle report what exceeds p's size budget.
func measure(rules *profile.Rules, p *profile.Profile, items, anchors []certio.Item, budget *c509.Budget) (*sizeReport, error) {
	var trust iter.Seq[certio.Item]
	if len(anchors) > 0 {
		trust = slices.Values(anchors)
	}
	results, g, err := bundle.Run(p, slices.Values(items), trust, bundle.Options{Profiles: lineage.Of(rules, p)})
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
	byIndex := map[int]int{} // result index → position in g.Nodes
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
		if n.Index >= 0 {
			byIndex[n.Index] = i
		}
	}
	for _, chain := range g.Chains() {
		ch, err := measureChain(chain, g, ders, c509s, budget)
		if err != nil {
			return nil, err
		}
		rep.Chains = append(rep.Chains, ch)
	}
	if sb := p.SizeBudget; sb != nil {
		pb := &profileBudget{Profile: p.Name, Chain: sb.Chain, Certificate: sb.Certificate, Encoding: sb.Encoding, TrustAnchor: sb.TrustAnchor, Over: []overBudget{}}
		for i, r := range results {
			for _, f := range r.Findings {
				if f.Lint == bundle.SizeChain || f.Lint == bundle.SizeCertificate {
					pb.Over = append(pb.Over, overBudget{Certificate: byIndex[i], Lint: f.Lint, Details: f.Details})
				}
			}
		}
		rep.Profile = pb
	}
	return rep, nil
}

func measureChain(chain bundle.Chain, g *bundle.Graph, ders map[certio.Origin][]byte, c509s [][]byte, budget *c509.Budget) (chainSize, error) {
	ch := chainSize{Certificates: chain.Nodes, Anchored: chain.Anchored}
	var err error
	if ch.WithAnchor, err = measureForms(g, chain.Nodes, ders, c509s); err != nil {
		return ch, err
	}
	if ch.WithoutAnchor, err = measureForms(g, chain.Sent(), ders, c509s); err != nil {
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
	if pb := rep.Profile; pb != nil {
		var limits []string
		if pb.Chain != nil {
			anchor := "without"
			if pb.TrustAnchor {
				anchor = "with"
			}
			limits = append(limits, fmt.Sprintf("chain %s, %s the trust anchor", pb.Chain, anchor))
		}
		if pb.Certificate != nil {
			limits = append(limits, fmt.Sprintf("certificate %s", pb.Certificate))
		}
		fmt.Fprintf(w, "\nprofile %s size budget, in %s: %s\n", pb.Profile, pb.Encoding, strings.Join(limits, "; "))
		if len(pb.Over) == 0 {
			fmt.Fprintln(w, "  everything fits")
		}
		for _, o := range pb.Over {
			fmt.Fprintf(w, "  #%d %s: %s\n", o.Certificate, o.Lint, o.Details)
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

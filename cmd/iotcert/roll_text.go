package main

import (
	"bytes"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/iotcert/iotcert/roll"
)

// The text and JSON output of "iotcert roll" and "iotcert roll verify".

// rollDay formats a time of the rollover output.
func rollDay(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05Z") }

// writePlanText writes what the plan p will make and when each piece
// expires.
func writePlanText(w io.Writer, p *roll.Plan) error {
	o := p.Old.Cert
	name := "the old root's name (link certificates are self-issued)"
	if !p.SameName {
		name = "a new name (ambiguity A14: links are not self-issued; out of scope of RFC 9810's CMP rollover)"
	}
	sub := rdnString(p.Subject)
	var b strings.Builder
	fmt.Fprintf(&b, "Root key rollover of %q (%s)\n", o.Subject, p.Old.Name)
	fmt.Fprintf(&b, "  new root name: %s\n  new key: %s, labelled %q, lint profile: %s\n\n", name, p.Spec.Curve, p.KeyLabel, p.Profile.Name)
	fmt.Fprintf(&b, "  %-12s %-34s %-34s %-21s %-21s\n", "certificate", "subject (key)", "issuer (signed by)", "notBefore", "notAfter")
	row := func(what, subj, iss string, nb, na time.Time) {
		fmt.Fprintf(&b, "  %-12s %-34s %-34s %-21s %-21s\n", what, subj, iss, rollDay(nb), rollDay(na))
	}
	row("OldWithOld", trunc(o.Subject.String()+" (old)", 34), trunc(o.Issuer.String()+" (old)", 34), o.NotBefore, o.NotAfter)
	row("NewWithNew", trunc(sub+" (new)", 34), trunc(sub+" (new)", 34), p.NotBefore, p.NotAfter)
	row("NewWithOld", trunc(sub+" (new)", 34), trunc(o.Subject.String()+" (old)", 34), p.NotBefore, p.LinkNotAfter)
	row("OldWithNew", trunc(o.Subject.String()+" (old)", 34), trunc(sub+" (new)", 34), o.NotBefore, o.NotAfter)
	for _, ca := range p.Resign {
		na := p.ResignNotAfter(ca.Cert)
		row(trunc(ca.Name, 12), trunc(ca.Cert.Subject.String()+" (same)", 34), trunc(sub+" (new)", 34), p.NotBefore, na)
	}
	fmt.Fprintf(&b, "\n  Devices that trust only the old root validate the new hierarchy through NewWithOld until %s.\n", rollDay(p.LinkNotAfter))
	fmt.Fprintf(&b, "  Devices that trust only the new root validate the old hierarchy through OldWithNew until %s.\n", rollDay(o.NotAfter))
	fmt.Fprintf(&b, "  Every device must trust the new root before %s.\n", rollDay(o.NotAfter))
	_, err := io.WriteString(w, b.String())
	return err
}

// trunc shortens s to n characters, marking the cut with an ellipsis.
func trunc(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// rdnString returns the DER name raw in RFC 4514 form.
func rdnString(raw []byte) string {
	var rdn pkix.RDNSequence
	if _, err := asn1.Unmarshal(raw, &rdn); err != nil {
		return fmt.Sprintf("%X", raw)
	}
	return rdn.String()
}

// writeMatrixText writes the matrix m as a table, then its error findings.
func writeMatrixText(w io.Writer, m *roll.Matrix) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "Rollover of %q to %q\n\n", m.OldRoot, m.NewRoot)
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "at\tdevice trusts\tend entity\tissued under\texpected\tvalidates\tpath")
	yes := func(v bool) string {
		if v {
			return "yes"
		}
		return "no"
	}
	for _, r := range m.Rows {
		at := r.Moment.Label
		if !r.Moment.NoClock && r.Moment.Label != rollDay(r.Moment.Time) {
			at += " (" + rollDay(r.Moment.Time) + ")"
		}
		valid := yes(r.Valid)
		if r.Finding != "" {
			valid += "  ERROR"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", at, r.Device, r.EndEntity, r.Issued, yes(r.Expected), valid, strings.Join(r.Path, " -> "))
	}
	tw.Flush()
	var errs []string
	for _, r := range m.Rows {
		if r.Finding != "" {
			errs = append(errs, fmt.Sprintf("error: %s, device trusting %s, at %s: expected to validate, does not: %s", r.EndEntity, r.Device, r.Moment.Label, r.Error))
		}
	}
	for _, u := range m.Unplaced {
		errs = append(errs, fmt.Sprintf("error: %s was issued under neither the old nor the new hierarchy", u))
	}
	sort.Strings(errs)
	if len(errs) > 0 {
		b.WriteString("\n" + strings.Join(errs, "\n") + "\n")
	}
	fmt.Fprintf(&b, "\n%d combinations, %d error findings\n", len(m.Rows), m.Errors)
	_, err := w.Write(b.Bytes())
	return err
}

// writeMatrixJSON writes the matrix m as JSON.
func writeMatrixJSON(w io.Writer, m *roll.Matrix) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(m)
}

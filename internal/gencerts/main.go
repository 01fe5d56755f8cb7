// Command gencerts writes iotcert's test certificates: for each profile a
// conforming chain (testdata/certs/<profile>/{root,sub,ee,chain}.pem), and
// for each case a variant of one certificate of a chain that breaks one
// rule (testdata/certs/cases/<name>.pem), and a sample firmware bundle
// (testdata/certs/sample-bundle.pem: the tls13-iot chain and some of its
// cases). testdata/manifest.json (beside
// the output directory, so that it holds certificates only) lists every file with the profile it is linted with and the exact set of
// findings that profile must report; the tests assert them.
//
// Run it with "go generate ./..." from the module root.
package main

import (
	"encoding/json"
	"encoding/pem"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"

	"github.com/iotcert/iotcert/internal/certgen"
)

// Case is one test certificate that breaks a rule.
type Case struct {
	// Name is the file name without ".pem"; by convention the name of the
	// lint the case breaks.
	Name string
	// Profile is the profile whose conforming chain is varied and with
	// which the result is linted.
	Profile string
	// Role is the certificate of the chain that is varied: "root", "sub"
	// or "ee".
	Role string
	// Breaks says in words what is wrong with the certificate.
	Breaks string
	// Edit changes the template before signing; may be nil.
	Edit func(t *certgen.Template)
	// Rewrite changes the encoded TBSCertificate after signing; may be nil.
	Rewrite []certgen.Rewrite
	// Want is the exact set of findings the profile reports; nil means
	// just Name.
	Want []string
}

// Entry is one line of manifest.json.
type Entry struct {
	File    string   `json:"file"`
	Profile string   `json:"profile"`
	Role    string   `json:"role"`
	Breaks  string   `json:"breaks,omitempty"`
	Want    []string `json:"want"`
}

// sampleCases are the tls13-iot cases that testdata/certs/sample-bundle.pem
// holds after the conforming chain: a small firmware bundle with a clear
// verdict, for the README's first command.
var sampleCases = []string{
	"e_iot_ee_ku_critical",
	"e_iot_all_spki_curve",
	"e_iot_ee_san_one_name_per_type",
	"e_iot_ee_no_ski",
	"w_iot_all_serial_entropy_64bit",
}

// allCases gathers the cases of every catalogue section.
func allCases() []Case {
	return slices.Concat(
		casesAllCerts(),
		casesRoot(),
		casesSub(),
		casesEndEntity(),
		casesRFC7925(),
		casesDevID(),
		casesMatter(),
		casesBACnet(),
	)
}

func main() {
	out := flag.String("out", "testdata/certs", "directory to write the certificates to")
	flag.Parse()
	if err := run(*out); err != nil {
		fmt.Fprintln(os.Stderr, "gencerts:", err)
		os.Exit(1)
	}
}

func run(out string) error {
	if err := os.RemoveAll(filepath.Join(out, "cases")); err != nil {
		return err
	}
	var manifest []Entry
	chains := map[string]*certgen.Chain{}
	for _, p := range certgen.Profiles {
		ch, err := certgen.NewChain(p)
		if err != nil {
			return err
		}
		chains[p] = ch
		files := []struct {
			name, role string
			certs      []*certgen.Issued
		}{
			{"root.pem", "root", []*certgen.Issued{ch.Root}},
			{"sub.pem", "sub", []*certgen.Issued{ch.Sub}},
			{"ee.pem", "ee", []*certgen.Issued{ch.EE}},
			{"chain.pem", "chain", []*certgen.Issued{ch.EE, ch.Sub, ch.Root}},
		}
		for _, f := range files {
			rel := filepath.Join(p, f.name)
			if err := writePEM(filepath.Join(out, rel), f.certs...); err != nil {
				return err
			}
			manifest = append(manifest, Entry{File: rel, Profile: p, Role: f.role, Want: []string{}})
		}
	}
	seen := map[string]bool{}
	// The sample bundle: the conforming tls13-iot chain and a few devices
	// of the same CA that each break one rule.
	tls := chains["tls13-iot"]
	sample := []*certgen.Issued{tls.Root, tls.Sub, tls.EE}
	for _, c := range allCases() {
		if seen[c.Name] {
			return fmt.Errorf("case %q defined twice", c.Name)
		}
		seen[c.Name] = true
		ch, ok := chains[c.Profile]
		if !ok {
			return fmt.Errorf("case %q: unknown profile %q", c.Name, c.Profile)
		}
		var t *certgen.Template
		switch c.Role {
		case "root":
			t = certgen.RootTemplateFor(c.Profile)
		case "sub":
			t = certgen.SubTemplateFor(c.Profile, ch.Root)
		case "ee":
			t = certgen.EETemplate(c.Profile, ch.Sub)
		default:
			return fmt.Errorf("case %q: unknown role %q", c.Name, c.Role)
		}
		if c.Edit != nil {
			c.Edit(t)
		}
		cert, err := certgen.Issue(t, c.Rewrite...)
		if err != nil {
			return fmt.Errorf("case %q: %w", c.Name, err)
		}
		rel := filepath.Join("cases", c.Name+".pem")
		if err := writePEM(filepath.Join(out, rel), cert); err != nil {
			return err
		}
		if slices.Contains(sampleCases, c.Name) {
			sample = append(sample, cert)
		}
		want := c.Want
		if want == nil {
			want = []string{c.Name}
		}
		want = slices.Clone(want)
		sort.Strings(want)
		manifest = append(manifest, Entry{File: rel, Profile: c.Profile, Role: c.Role, Breaks: c.Breaks, Want: want})
	}
	if len(sample) != 3+len(sampleCases) {
		return fmt.Errorf("sample bundle: %d of the %d sample cases found", len(sample)-3, len(sampleCases))
	}
	if err := writePEM(filepath.Join(out, "sample-bundle.pem"), sample...); err != nil {
		return err
	}
	data, err := json.MarshalIndent(manifest, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(filepath.Dir(filepath.Clean(out)), "manifest.json"), append(data, '\n'), 0o644)
}

func writePEM(path string, certs ...*certgen.Issued) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	var data []byte
	for _, c := range certs {
		data = append(data, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.DER()})...)
	}
	return os.WriteFile(path, data, 0o644)
}

package main

import (
	"encoding/json"
	"encoding/pem"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/iotcert/iotcert/internal/certgen"
	"github.com/iotcert/iotcert/profile"
)

func pemOf(ders ...[]byte) []byte {
	var out []byte
	for _, d := range ders {
		out = append(out, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: d})...)
	}
	return out
}

// chainFindings returns, per origin file and index, the chain findings.
func chainFindings(rep profile.Report) map[string][]string {
	out := map[string][]string{}
	for _, c := range rep.Certificates {
		key := filepath.Base(c.Origin.File) + "#" + string(rune('0'+c.Origin.Index))
		for _, f := range c.Findings {
			if f.Source == "iotcert_chain" {
				out[key] = append(out[key], f.Lint)
			}
		}
	}
	return out
}

// TestLintBundles lints bundles made of PEM and DER files through the CLI
// and checks the exit status and the chain findings of the JSON report.
func TestLintBundles(t *testing.T) {
	chain, err := certgen.NewChain("tls13-iot")
	if err != nil {
		t.Fatal(err)
	}
	rootDER := writeFile(t, "root.der", chain.Root.DER())
	subAndEE := writeFile(t, "sub-ee.pem", pemOf(chain.Sub.DER(), chain.EE.DER()))
	eePEM := writeFile(t, "ee.pem", pemOf(chain.EE.DER()))
	subPEM := writeFile(t, "sub.pem", pemOf(chain.Sub.DER()))
	broken := append([]byte(nil), chain.EE.DER()...)
	broken[len(broken)-1] ^= 1
	brokenDER := writeFile(t, "broken.der", broken)
	expiredTmpl := certgen.SubTemplate(chain.Root)
	expiredTmpl.NotAfter = certgen.Epoch.AddDate(1, 0, 0)
	expired, err := certgen.Issue(expiredTmpl)
	if err != nil {
		t.Fatal(err)
	}
	expiredPEM := writeFile(t, "expired.pem", pemOf(expired.DER()))

	tests := []struct {
		name  string
		args  []string
		code  int
		certs int
		want  map[string][]string
	}{
		{"mixed PEM and DER", []string{rootDER, subAndEE, "--fail-on", "notice"}, exitOK, 3, nil},
		{"missing intermediate", []string{rootDER, eePEM}, exitFindings, 2, map[string][]string{"ee.pem#0": {"e_chain_orphan"}}},
		{"lone certificate", []string{eePEM}, exitOK, 1, map[string][]string{"ee.pem#0": {"n_chain_orphan"}}},
		{"lone certificate, fail on notice", []string{eePEM, "--fail-on", "notice"}, exitFindings, 1, map[string][]string{"ee.pem#0": {"n_chain_orphan"}}},
		{"trust store", []string{subAndEE, "--trust", rootDER, "--fail-on", "notice"}, exitOK, 2, nil},
		{"trust store, missing intermediate", []string{eePEM, "--trust", rootDER}, exitFindings, 1, map[string][]string{"ee.pem#0": {"e_chain_orphan"}}},
		{"broken signature", []string{rootDER, subPEM, brokenDER}, exitFindings, 3, map[string][]string{"broken.der#0": {"e_chain_signature_invalid"}}},
		{"broken copy of a certificate", []string{rootDER, subAndEE, brokenDER}, exitFindings, 4, map[string][]string{"broken.der#0": {"e_chain_signature_invalid", "e_iot_all_serial_unique"}}},
		{"expired sub-CA", []string{rootDER, expiredPEM}, exitFindings, 2, map[string][]string{"expired.pem#0": {"e_chain_expired"}}},
		{"expiring within the horizon", []string{rootDER, subPEM, "--at", "2039-11-01", "--expiry-horizon", "90d"}, exitFindings, 2, map[string][]string{"sub.pem#0": {"e_chain_expiring"}}},
		{"expiring within a horizon in years", []string{rootDER, subPEM, "--at", "2039-01-01", "--expiry-horizon", "1y"}, exitFindings, 2, map[string][]string{"sub.pem#0": {"e_chain_expiring"}}},
		{"not expiring within a shorter horizon", []string{rootDER, subPEM, "--at", "2039-01-01", "--expiry-horizon", "300d"}, exitOK, 2, nil},
		{"expired at a later time", []string{rootDER, subPEM, "--at", "2040-01-02"}, exitFindings, 2, map[string][]string{"sub.pem#0": {"e_chain_expired"}}},
		{"duplicate", []string{rootDER, subAndEE, subAndEE}, exitOK, 5, map[string][]string{"sub-ee.pem#0": {"n_chain_duplicate"}, "sub-ee.pem#1": {"n_chain_duplicate"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := iotcert(t, "", append([]string{"lint", "--format", "json"}, tc.args...)...)
			if code != tc.code {
				t.Errorf("exit %d, want %d\n%s", code, tc.code, errOut)
			}
			var rep profile.Report
			dec := json.NewDecoder(strings.NewReader(out))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&rep); err != nil {
				t.Fatalf("report: %v\n%s", err, out)
			}
			if len(rep.Certificates) != tc.certs {
				t.Errorf("%d certificates in the report, want %d", len(rep.Certificates), tc.certs)
			}
			got := chainFindings(rep)
			for k, v := range tc.want {
				if !slices.Equal(got[k], v) {
					t.Errorf("%s: chain findings %v, want %v", k, got[k], v)
				}
			}
			for k, v := range got {
				if _, ok := tc.want[k]; !ok {
					t.Errorf("%s: unexpected chain findings %v", k, v)
				}
			}
		})
	}
}

func TestLintBundleText(t *testing.T) {
	code, out, _ := iotcert(t, "", "lint", filepath.Join(certs, "tls13-iot", "chain.pem"))
	if code != exitOK {
		t.Fatalf("exit %d\n%s", code, out)
	}
	for _, want := range []string{
		"Summary\n",
		"  root                      1\n",
		"  end-entity                1\n",
		"  error                     0\n",
		"Chains\n  [ok] root \"CN=Example IoT Root CA, O=Example Devices Ltd, C=DE\"",
		"  └── [ok] subordinate \"CN=Example IoT Device CA",
		"      └── [ok] end-entity \"serialNumber=SN0001, CN=Example sensor",
		"3 certificate(s) linted with profile tls13-iot: 3 clean",
		"Path verdict at 2026-06-01 00:00:00Z: trust anchors are the self-signed roots of the input (no --trust given)\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("text report lacks %q\n%s", want, out)
		}
	}
}

func TestGraph(t *testing.T) {
	chainPEM := filepath.Join(certs, "tls13-iot", "chain.pem")
	code, out, errOut := iotcert(t, "", "graph", chainPEM)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"flowchart TD\n", "  n2 --> n1\n", "  n1 --> n0\n", ":::ok\n", "subgraph legend", "classDef error fill:"} {
		if !strings.Contains(out, want) {
			t.Errorf("mermaid lacks %q\n%s", want, out)
		}
	}
	code, out, _ = iotcert(t, "", "graph", "--format", "dot", filepath.Join(certs, "tls13-iot", "ee.pem"))
	if code != exitOK {
		t.Fatalf("dot: exit %d", code)
	}
	for _, want := range []string{"digraph iotcert {", `n0 [label="end-entity\nserialNumber=SN0001`, `worst: notice", fillcolor="#bbdefb"`, "cluster_legend"} {
		if !strings.Contains(out, want) {
			t.Errorf("dot lacks %q\n%s", want, out)
		}
	}
}

func TestChainUsageErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"lint", "--expiry-horizon", "soon", "x.pem"}, `--expiry-horizon: duration "soon": want a whole number before each unit`},
		{[]string{"lint", "--expiry-horizon", "3m", "x.pem"}, `iotcert lint: --expiry-horizon: duration "3m": unit "m" is ambiguous (months or minutes?): want y (years), w (weeks), d (days) or h (hours)`},
		{[]string{"lint", "--validity-nesting", "notice", "x.pem"}, `--validity-nesting "notice": want warn or error`},
		{[]string{"lint", "--enable-check", "n_chain_nope", "x.pem"}, `--enable-check n_chain_nope: unknown chain check "n_chain_nope" (see "iotcert rules")`},
		{[]string{"lint", "--disable-check", "n_chain_nope", "x.pem"}, `--disable-check n_chain_nope: unknown chain check "n_chain_nope" (see "iotcert rules")`},
		{[]string{"lint", "--trust", "/nonexistent.pem", filepath.Join(certs, "tls13-iot", "ee.pem")}, "trust store: /nonexistent.pem"},
		{[]string{"graph", "--format", "svg", "x.pem"}, `--format "svg"`},
		{[]string{"graph"}, "no input"},
	}
	for _, tc := range tests {
		code, _, errOut := iotcert(t, "", tc.args...)
		if code != exitUsage || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", tc.args, code, errOut, exitUsage, tc.want)
		}
	}
}

// TestLintTmp checks --tmp: lint writes its temporary files there and
// leaves nothing behind, and a directory it cannot write to is an input
// error (exit 2) that names it.
func TestLintTmp(t *testing.T) {
	dir := t.TempDir()
	code, out, _ := iotcert(t, "", "lint", "--tmp", dir, filepath.Join(certs, "tls13-iot", "chain.pem"))
	if code != exitOK {
		t.Fatalf("exit %d\n%s", code, out)
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Errorf("left in --tmp: %v", left)
	}
	missing := filepath.Join(dir, "missing")
	code, _, errOut := iotcert(t, "", "lint", "--tmp", missing, filepath.Join(certs, "tls13-iot", "chain.pem"))
	if code != exitUsage || !strings.Contains(errOut, missing) {
		t.Errorf("--tmp %s: exit %d, stderr %q; want %d naming the directory", missing, code, errOut, exitUsage)
	}
}

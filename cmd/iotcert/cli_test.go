package main

import (
	"bufio"
	"flag"
	"io"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"testing"

	"github.com/iotcert/iotcert/internal/certgen"
)

// TestHelpOnStdout asks every command for its help in each way a user may:
// it goes to standard output with exit 0, with the command's usage, its
// examples and its flags.
func TestHelpOnStdout(t *testing.T) {
	paths := []string{"", "version", "completion", "completion bash", "help"}
	for _, c := range commands {
		paths = append(paths, c.path)
	}
	for _, p := range paths {
		words := strings.Fields(p)
		for _, args := range [][]string{
			append(slices.Clone(words), "--help"),
			append(slices.Clone(words), "-h"),
			append(slices.Clone(words), "-help"),
			append([]string{"help"}, words...),
		} {
			code, out, errOut := iotcert(t, "", args...)
			if code != exitOK || errOut != "" {
				t.Errorf("%q: exit %d, stderr %q", args, code, errOut)
				continue
			}
			if !strings.Contains(out, "Usage:\n  "+strings.TrimSpace("iotcert "+p)) || !strings.Contains(out, "\nExamples:\n  iotcert ") || !strings.Contains(out, "-h, --help") {
				t.Errorf("%q: help lacks the usage, examples or flags:\n%s", args, out)
			}
		}
	}
	_, out, _ := iotcert(t, "", "lint", "--help")
	for _, want := range []string{"--trust FILE", "--expiry-horizon DURATION", "--fail-on LEVEL", "none: never"} {
		if !strings.Contains(out, want) {
			t.Errorf("lint --help lacks %q", want)
		}
	}
	if code, _, errOut := iotcert(t, "", "help", "lnt"); code != exitUsage || !strings.Contains(errOut, "Did you mean this?\n\tlint") {
		t.Errorf("help lnt: exit %d, stderr %q", code, errOut)
	}
	if code, out, errOut := iotcert(t, ""); code != exitUsage || out != "" || !strings.Contains(errOut, "Available Commands:") {
		t.Errorf("no command: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

// TestCompletion generates the completion scripts, has bash check the
// syntax of its own, and completes flag names and values.
func TestCompletion(t *testing.T) {
	scripts := map[string]string{}
	for _, shell := range []string{"bash", "zsh", "fish"} {
		code, out, errOut := iotcert(t, "", "completion", shell)
		if code != exitOK || errOut != "" || !strings.Contains(out, "iotcert") || !strings.Contains(out, "__complete") {
			t.Errorf("completion %s: exit %d, stderr %q, %d bytes", shell, code, errOut, len(out))
		}
		scripts[shell] = out
	}
	if bash, err := exec.LookPath("bash"); err == nil {
		f := writeFile(t, "iotcert.bash", []byte(scripts["bash"]))
		if out, err := exec.Command(bash, "-n", f).CombinedOutput(); err != nil {
			t.Errorf("bash -n: %v\n%s", err, out)
		}
	}
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"lint", "--format", ""}, []string{"text", "json", "sarif", "junit"}},
		{[]string{"lint", "--fail-on", ""}, []string{"error", "warn", "notice", "none"}},
		{[]string{"lint", "--profile", "tls13"}, []string{"tls13-iot", "tls13-iot-23"}},
		{[]string{"gen", "devices", "--layout", ""}, []string{"dirs", "jsonl"}},
		{[]string{"size", "--format", ""}, []string{"text", "json"}},
		{[]string{"lint", "--tr"}, []string{"--trust"}},
		{[]string{"gen", "dev"}, []string{"device", "devices"}},
		{[]string{"completion", ""}, []string{"bash", "zsh", "fish"}},
		{[]string{"gen", "example", ""}, []string{"matter"}},
	} {
		code, out, errOut := iotcert(t, "", append([]string{"__completeNoDesc"}, tc.args...)...)
		var got []string
		for l := range strings.Lines(out) {
			if l = strings.TrimSpace(l); !strings.HasPrefix(l, ":") && !strings.HasPrefix(l, "Completion ended") {
				got = append(got, l)
			}
		}
		for _, w := range tc.want {
			if !slices.Contains(got, w) {
				t.Errorf("complete %q: exit %d, got %q (stderr %q); want %q among them", tc.args, code, got, errOut, w)
			}
		}
	}
}

// TestSuggestions mistypes commands and flags: exit 2 and a suggestion.
func TestSuggestions(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"lnt", "x.pem"}, "iotcert: unknown command \"lnt\" for \"iotcert\"\n\nDid you mean this?\n\tlint\n"},
		{[]string{"gen", "devics"}, "unknown command \"devics\" for \"iotcert gen\"\n\nDid you mean this?\n\tdevice\n\tdevices\n"},
		{[]string{"lint", "--tust", "root.pem", "x.pem"}, "iotcert lint: flag provided but not defined: -tust\n\nDid you mean this?\n\t--trust\nRun \"iotcert lint --help\" for usage.\n"},
		{[]string{"lint", "-tust", "root.pem", "x.pem"}, "iotcert lint: flag provided but not defined: -tust\n\nDid you mean this?\n\t--trust\n"},
		{[]string{"gen", "devices", "--worker", "2"}, "iotcert gen devices: flag provided but not defined: -worker\n\nDid you mean this?\n\t--workers\n"},
		{[]string{"lnt", "--trust", "x"}, "iotcert: unknown command \"lnt\" for \"iotcert\"\n\nDid you mean this?\n\tlint\n"},
		{[]string{"--frob"}, "iotcert: flag provided but not defined: -frob\nRun \"iotcert --help\" for usage.\n"},
		{[]string{"--verison"}, "iotcert: flag provided but not defined: -verison\n\nDid you mean this?\n\t--version\n"},
		{[]string{"size", "--frob"}, "iotcert size: flag provided but not defined: -frob\nRun \"iotcert size --help\" for usage.\n"},
	} {
		code, out, errOut := iotcert(t, "", tc.args...)
		if code != exitUsage || out != "" || !strings.Contains(errOut, tc.want) {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want exit 2 and %q", tc.args, code, out, errOut, tc.want)
		}
	}
}

// TestVersion checks the fields of "iotcert version" and --version; the
// zlint version must be the one go.mod requires.
func TestVersion(t *testing.T) {
	code, out, errOut := iotcert(t, "", "version")
	if code != exitOK || errOut != "" {
		t.Fatalf("version: exit %d, stderr %q", code, errOut)
	}
	if _, long, _ := iotcert(t, "", "--version"); long != out {
		t.Errorf("--version %q differs from version %q", long, out)
	}
	if _, dash, _ := iotcert(t, "", "-version"); dash != out {
		t.Errorf("-version %q differs from version %q", dash, out)
	}
	zlint := ""
	f, err := os.Open("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for s := bufio.NewScanner(f); s.Scan(); {
		if fs := strings.Fields(s.Text()); len(fs) >= 2 && fs[0] == zlintModule {
			zlint = fs[1]
		}
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if !strings.HasPrefix(lines[0], "iotcert ") || len(lines[0]) <= len("iotcert ") {
		t.Errorf("first line %q: want iotcert VERSION", lines[0])
	}
	for _, want := range []string{"zlint:    " + zlint, "go:       " + runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH} {
		if zlint == "" || !slices.Contains(lines, want) {
			t.Errorf("version output lacks %q:\n%s", want, out)
		}
	}
}

// TestVersionText formats build information as go build records it in a
// clone and as go install records it for a tagged version.
func TestVersionText(t *testing.T) {
	zlint := &debug.Module{Path: zlintModule, Version: "v3.7.3"}
	goLine := "go:       " + runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH + "\n"
	clone := &debug.BuildInfo{
		Main: debug.Module{Path: "github.com/iotcert/iotcert", Version: "(devel)"},
		Deps: []*debug.Module{{Path: "golang.org/x/crypto", Version: "v0.58.0"}, zlint},
		Settings: []debug.BuildSetting{
			{Key: "-buildmode", Value: "exe"},
			{Key: "vcs", Value: "git"},
			{Key: "vcs.revision", Value: "e45cc3e597019ea0507e13c281185b569809b89d"},
			{Key: "vcs.time", Value: "2026-12-04T09:39:05Z"},
			{Key: "vcs.modified", Value: "true"},
		},
	}
	if got, want := versionText(clone), "iotcert (devel)\nrevision: e45cc3e597019ea0507e13c281185b569809b89d\ntime:     2026-12-04T09:39:05Z\nmodified: true\nzlint:    v3.7.3\n"+goLine; got != want {
		t.Errorf("clone:\n%s\nwant\n%s", got, want)
	}
	installed := &debug.BuildInfo{
		Main: debug.Module{Path: "github.com/iotcert/iotcert", Version: "v1.2.0"},
		Deps: []*debug.Module{{Path: zlintModule, Version: "v3.7.3", Replace: &debug.Module{Path: "../zlint", Version: "v3.7.4"}}},
	}
	if got, want := versionText(installed), "iotcert v1.2.0\nzlint:    v3.7.4\n"+goLine; got != want {
		t.Errorf("installed:\n%s\nwant\n%s", got, want)
	}
	if got, want := versionText(nil), "iotcert (unknown)\n"+goLine; got != want {
		t.Errorf("no build info:\n%s\nwant\n%s", got, want)
	}
}

// TestFailOnNone lints a chain with an error finding: exit 1 by default, 0
// with --fail-on none; an input that is not a certificate still exits 2.
func TestFailOnNone(t *testing.T) {
	chain, err := certgen.NewChain("tls13-iot")
	if err != nil {
		t.Fatal(err)
	}
	rootDER := writeFile(t, "root.der", chain.Root.DER())
	eePEM := writeFile(t, "ee.pem", pemOf(chain.EE.DER()))
	junk := writeFile(t, "junk.pem", []byte("not a certificate"))
	if code, _, _ := iotcert(t, "", "lint", rootDER, eePEM); code != exitFindings {
		t.Errorf("missing intermediate: exit %d, want 1", code)
	}
	code, out, _ := iotcert(t, "", "lint", "--fail-on", "none", rootDER, eePEM)
	if code != exitOK || !strings.Contains(out, "e_chain_orphan") || !strings.Contains(out, "verdict: PASS") {
		t.Errorf("--fail-on none: exit %d\n%s", code, out)
	}
	if code, _, _ := iotcert(t, "", "lint", "--fail-on", "none", junk); code != exitUsage {
		t.Errorf("--fail-on none, not a certificate: exit %d, want 2", code)
	}
	if code, _, errOut := iotcert(t, "", "lint", "--fail-on", "never", eePEM); code != exitUsage || !strings.Contains(errOut, `--fail-on "never": want notice, warn, error or none`) {
		t.Errorf("--fail-on never: exit %d, %q", code, errOut)
	}
}

// TestGoStyleFlags runs commands with their flags written Go-style
// (-flag value, -flag=value) and GNU-style (--flag value): the results
// are the same, and no flag is taken for an unknown one.
func TestGoStyleFlags(t *testing.T) {
	chain, err := certgen.NewChain("tls13-iot")
	if err != nil {
		t.Fatal(err)
	}
	rootDER := writeFile(t, "root.der", chain.Root.DER())
	eePEM := writeFile(t, "ee.pem", pemOf(chain.EE.DER()))
	spec := writeFile(t, "spec.yaml", []byte("not: a spec\n"))
	tests := [][]string{
		{"lint", "--format=json", "--fail-on", "notice", "--trust", rootDER, "--expiry-horizon", "1y", "--allow-empty", eePEM},
		{"graph", "--format", "dot", "--trust", rootDER, eePEM},
		{"rules", "--profile", "rfc7925", "--format=json"},
		{"profiles", "--rules", "/nonexistent.yaml"},
		{"gen", "hierarchy", spec, "--out", t.TempDir(), "--force"},
		{"gen", "device", spec, "--out", "x", "--ca", "c", "--id", "1", "--set", "a=b"},
		{"gen", "devices", spec, "--out", "x", "--from", "y.csv", "--workers", "-1", "--layout", "jsonl"},
		{"sign", spec, "--ca", "c", "--csr", "x.csr", "--id", "1", "--chain"},
		{"roll", "plan", "--old", "/nonexistent/root"},
		{"roll", "verify", "--old", "/nonexistent/root", "--new", "/nonexistent/new", "--format", "json"},
		{"serve", "--listen", "192.0.2.1:0", "--timeout", "3s", "--max-concurrent", "-1"},
		{"size", "--format=json", "--budget", "dtls13-record", "--trust", rootDER, eePEM},
		{"c509", "encode", "--out", "/nonexistent/dir/x.c509", eePEM},
		{"c509", "decode", "--der", eePEM},
		{"c509", "verify", "--issuer", rootDER, "--x509", eePEM, eePEM},
	}
	for _, gnu := range tests {
		goStyle := make([]string, len(gnu))
		for i, a := range gnu {
			goStyle[i] = strings.Replace(a, "--", "-", 1)
		}
		code, out, errOut := iotcert(t, "", gnu...)
		code2, out2, errOut2 := iotcert(t, "", goStyle...)
		if code != code2 || out != out2 || errOut != errOut2 {
			t.Errorf("%q: exit %d, stdout %q, stderr %q\n%q: exit %d, stdout %q, stderr %q", gnu, code, out, errOut, goStyle, code2, out2, errOut2)
		}
		if strings.Contains(errOut2, "not defined") || strings.Contains(errOut2, "Did you mean") {
			t.Errorf("%q: a flag is not recognised: %s", goStyle, errOut2)
		}
	}
}

func TestGoStyleFlagRewrite(t *testing.T) {
	c := newCLI(nil, nil, nil)
	lint, _, err := c.root.Find([]string{"lint"})
	if err != nil {
		t.Fatal(err)
	}
	c.load(lint)
	lint.InitDefaultHelpFlag()
	got := goStyleFlags(lint.Flags(), []string{"lint", "-trust", "-odd-file", "-format=json", "-guess-devid", "-", "-h", "-help", "--", "-format"})
	want := []string{"lint", "--trust", "-odd-file", "--format=json", "--guess-devid", "-", "-h", "--help", "--", "-format"}
	if !slices.Equal(got, want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

// TestGoStyleEveryFlag checks that every flag of every command, written
// Go-style (-name=value), reaches pflag as its long flag.
func TestGoStyleEveryFlag(t *testing.T) {
	c := newCLI(nil, nil, nil)
	n := 0
	for _, e := range commands {
		cmd, _, err := c.root.Find(strings.Fields(e.path))
		if err != nil {
			t.Fatal(err)
		}
		c.load(cmd)
		fs, _ := flagsOf(e.run)
		if fs == nil {
			continue
		}
		fs.VisitAll(func(f *flag.Flag) {
			n++
			got := goStyleFlags(cmd.Flags(), []string{"-" + f.Name + "=v", "-" + f.Name})
			if want := []string{"--" + f.Name + "=v", "--" + f.Name}; !slices.Equal(got, want) || cmd.Flags().Lookup(f.Name) == nil {
				t.Errorf("%s -%s: rewritten %q, want %q", e.path, f.Name, got, want)
			}
		})
	}
	if n < 100 {
		t.Errorf("only %d flags checked", n)
	}
}

// BenchmarkNewCLI measures building the command tree, which every run of
// iotcert pays before it starts the command.
func BenchmarkNewCLI(b *testing.B) {
	for b.Loop() {
		c := newCLI(nil, io.Discard, io.Discard)
		lint, _, _ := c.root.Find([]string{"lint"})
		c.load(lint)
	}
}

package main

import (
	"crypto/x509/pkix"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// shBlock returns the command lines of the first ```sh block after the
// line heading in the Markdown file doc (comments dropped, lines ending in
// a backslash joined with the next one) and its lines that are comments
// alone, without their "# ".
func shBlock(t *testing.T, doc, heading string) (lines, comments []string) {
	t.Helper()
	data, err := os.ReadFile(doc)
	if err != nil {
		t.Fatal(err)
	}
	_, after, ok := strings.Cut(string(data), "\n"+heading+"\n")
	if !ok {
		t.Fatalf("%s: no heading %q", doc, heading)
	}
	_, after, ok = strings.Cut(after, "```sh\n")
	if !ok {
		t.Fatalf("%s: no sh block after %q", doc, heading)
	}
	block, _, _ := strings.Cut(after, "```")
	cont := ""
	for _, l := range strings.Split(block, "\n") {
		if c, ok := strings.CutPrefix(l, "# "); ok {
			comments = append(comments, c)
			continue
		}
		l, _, _ = strings.Cut(l, "#")
		l = strings.TrimSpace(l)
		if more, ok := strings.CutSuffix(l, `\`); ok {
			cont += more + " "
			continue
		}
		if l = strings.TrimSpace(cont + l); l != "" {
			lines = append(lines, l)
		}
		cont = ""
	}
	return lines, comments
}

// runDocLine runs one "iotcert ..." line of the documentation in the
// current directory, as a shell would: words split at spaces, quotes
// ('...', "...") removed, "> FILE" writes standard output to FILE and
// "< FILE" reads standard input from it. It fails the test on a line it
// cannot run as written (pipes, variables, another program).
func runDocLine(t *testing.T, line string) (int, string, string) {
	t.Helper()
	if strings.ContainsAny(line, "|$`") {
		t.Fatalf("%q: pipes and variables are not handled here", line)
	}
	var words []string
	var word strings.Builder
	inWord := false
	var quote rune
	for _, r := range line + " " {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			word.WriteRune(r)
		case r == '\'' || r == '"':
			quote, inWord = r, true
		case r == ' ' || r == '\t':
			if inWord {
				words = append(words, word.String())
				word.Reset()
				inWord = false
			}
		default:
			word.WriteRune(r)
			inWord = true
		}
	}
	if quote != 0 {
		t.Fatalf("%q: unterminated quote", line)
	}
	var args []string
	stdout, stdin := "", ""
	for i := 0; i < len(words); i++ {
		switch w := words[i]; {
		case (w == ">" || w == "<") && i+1 < len(words):
			if w == ">" {
				stdout = words[i+1]
			} else {
				data, err := os.ReadFile(words[i+1])
				if err != nil {
					t.Fatalf("%q: %v", line, err)
				}
				stdin = string(data)
			}
			i++
		default:
			args = append(args, w)
		}
	}
	if len(args) == 0 || args[0] != "iotcert" {
		t.Fatalf("%q: not an iotcert command", line)
	}
	code, out, errOut := iotcert(t, stdin, args[1:]...)
	if stdout != "" {
		if err := os.WriteFile(stdout, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return code, out, errOut
}

// TestReadmeGenerating runs the README's "Generating device identities"
// block as written, in order, with the devices.csv of docs/generate.md
// and a device's CSR, and checks the files its comments name: the
// README's examples must not rot.
func TestReadmeGenerating(t *testing.T) {
	lines, _ := shBlock(t, "../../README.md", "## Generating device identities")
	t.Chdir(t.TempDir())
	// What the block takes as given: a CSV as docs/generate.md shows
	// ("Batch issuance") and a CSR made by a device (empty subject: it
	// asks for no names).
	if err := os.WriteFile("devices.csv", []byte("id,serial,mac\n4194301,SN-4194301,00:1b:63:84:45:e6\n4194302,SN-4194302,00:1b:63:84:45:e7\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	newCSRFiles(t, ".", "device", pkix.Name{})
	for _, l := range lines {
		if code, out, errOut := runDocLine(t, l); code != exitOK {
			t.Fatalf("%s: exit %d\n%s%s", l, code, out, errOut)
		}
	}
	// Keys are written 0600; the mode of the other files is the umask's.
	for name, mode := range map[string]os.FileMode{
		"hierarchy.yaml": 0o644, "matter.yaml": 0o644, "est.yaml": 0o644,
		"pki/root/cert.pem": 0o644, "pki/root/key.pem": 0o600,
		"pki/device-ca/cert.pem": 0o644, "pki/device-ca/key.pem": 0o600,
		"pki/devices/1234/cert.pem": 0o644, "pki/devices/1234/key.pem": 0o600, "pki/devices/1234/chain.pem": 0o644,
		"pki/devices/4194301/cert.pem": 0o644, "pki/journal.jsonl": 0o644,
		"pki/devices.jsonl": 0o600, "pki/devices.chain.pem": 0o644,
		"device.pem": 0o644,
	} {
		fi, err := os.Stat(filepath.FromSlash(name))
		if err != nil {
			t.Errorf("the README says the block writes %s: %v", name, err)
			continue
		}
		if mode == 0o600 && fi.Mode().Perm() != mode {
			t.Errorf("%s: mode %v, want %v", name, fi.Mode().Perm(), mode)
		}
	}
}

// TestGenerateCheckingTheOutput runs docs/generate.md's "Checking the
// output" block and checks what its comments say lint prints.
func TestGenerateCheckingTheOutput(t *testing.T) {
	lines, comments := shBlock(t, "../../docs/generate.md", "## Checking the output")
	if len(comments) != 2 || !strings.HasPrefix(comments[0], "iotcert lint: skipped") || !strings.HasSuffix(comments[1], "verdict: PASS") {
		t.Fatalf("the block's comments are not the expected output of lint (stderr, then the verdict): %q", comments)
	}
	t.Chdir(t.TempDir())
	if err := os.WriteFile("devices.csv", []byte("id,serial,mac\n4194301,SN-4194301,00:1b:63:84:45:e6\n4194302,SN-4194302,00:1b:63:84:45:e7\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for i, l := range lines {
		// lint --spec judges certificates issued a moment ago: now.
		if strings.HasPrefix(l, "iotcert lint ") {
			l = strings.Replace(l, "iotcert lint ", "iotcert lint --at "+atNow()+" ", 1)
		}
		code, out, errOut := runDocLine(t, l)
		if i < len(lines)-1 {
			if code != exitOK {
				t.Fatalf("%s: exit %d\n%s%s", l, code, out, errOut)
			}
			continue
		}
		if want := comments[0] + "\n"; code != exitOK || errOut != want || !strings.Contains(out, "verdict: PASS") {
			t.Errorf("%s: exit %d, want 0, stderr %q and a PASS, as the doc's comments say\n%s%s", l, code, want, out, errOut)
		}
	}
}

// TestHelpExamplesRun runs the examples of a command's help in the order
// help shows them, as a user trying them one after the other would, in a
// copy of a directory that holds what they take as given (a spec, its
// hierarchy with one device issued, a devices CSV, a CSR, certificates):
// each must exit 0, or 1 where that is a verdict (size over a budget), so
// that the examples of one command do not refuse each other (say by
// issuing one id twice). Examples with --kms need a token and are left
// out; those of lint, graph, serve, est, c509 verify and the inventory
// subcommands need files or servers of other walk-throughs.
func TestHelpExamplesRun(t *testing.T) {
	base := t.TempDir()
	t.Chdir(base)
	for _, l := range []string{
		"iotcert gen example > spec.yaml",
		"iotcert gen hierarchy spec.yaml --out pki",
		"iotcert gen device spec.yaml --out pki --ca device-ca --id 1000",
	} {
		if code, out, errOut := runDocLine(t, l); code != exitOK {
			t.Fatalf("%s: exit %d\n%s%s", l, code, out, errOut)
		}
	}
	files := map[string]string{
		"devices.csv":  "id,serial\n4194301,SN-4194301\n4194302,SN-4194302\n",
		"recalled.csv": "id\n4194302\n",
		"newroot.yaml": "validity: 25y\nsubject: same\n", // as docs/rollover.md makes it
	}
	for dst, src := range map[string]string{"device.pem": "pki/devices/1000/cert.pem", "chain.pem": "pki/devices/1000/chain.pem", "certs/chain.pem": "pki/devices/1000/chain.pem", "root.pem": "pki/root/cert.pem"} {
		data, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		files[dst] = string(data)
	}
	files["device.der"] = string(readDER(t, "pki/devices/1000/cert.pem")[0])
	for name, data := range files {
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	newCSRFiles(t, ".", "device", pkix.Name{})
	t.Setenv("IOTCERT_CA_PASS", "example passphrase")
	t.Setenv("CA_PASS", "example passphrase")
	// What an example takes from the help of another command.
	given := map[string][]string{
		"roll verify": {"iotcert roll execute --old pki/root --out pki-new"},
		"c509 decode": {"iotcert c509 encode device.pem > device.c509"},
	}
	if err := os.WriteFile("my-rules.yaml", []byte("profiles:\n  our-fleet:\n    extends: ldevid-8021ar\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	verdict := map[string]bool{"size": true}
	for _, path := range []string{"gen", "gen example", "gen hierarchy", "gen device", "gen devices", "sign",
		"roll", "roll plan", "roll execute", "roll verify", "c509", "c509 encode", "c509 decode", "size",
		"rules", "profiles", "inventory"} {
		t.Run(path, func(t *testing.T) {
			t.Chdir(copyTree(t, base))
			for _, l := range given[path] {
				if code, out, errOut := runDocLine(t, l); code != exitOK {
					t.Fatalf("%s: exit %d\n%s%s", l, code, out, errOut)
				}
			}
			for _, l := range strings.Split(findCommand(t, path).example, "\n") {
				l, _, _ = strings.Cut(l, "#")
				if l = strings.TrimSpace(l); l == "" || strings.Contains(l, "--kms") {
					continue
				}
				code, out, errOut := runDocLine(t, l)
				if code != exitOK && !(verdict[path] && code == exitFindings) {
					t.Errorf("iotcert %s --help: %s: exit %d\n%s%s", path, l, code, out, errOut)
				}
			}
		})
	}
}

// findCommand returns the entry of the command table for path.
func findCommand(t *testing.T, path string) command {
	t.Helper()
	for _, c := range commands {
		if c.path == path {
			return c
		}
	}
	t.Fatalf("no command %q", path)
	return command{}
}

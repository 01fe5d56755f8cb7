package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/iotcert/iotcert/internal/boundedread"
	"github.com/iotcert/iotcert/ldevid"
)

// TestLintFailsClosed checks that lint and graph fail (exit 2, nothing on
// standard output, a message saying what was read) when their inputs hold
// no certificate, and that --allow-empty accepts it; and that --include
// matches paths relative to the walked directory.
func TestLintFailsClosed(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty")
	tree := filepath.Join(dir, "tree")
	for _, d := range []string{empty, filepath.Join(tree, "certs"), filepath.Join(tree, "docs")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	chain, err := os.ReadFile(filepath.Join(certs, "tls13-iot", "chain.pem"))
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{"certs/chain.pem": chain, "docs/copy.pem": chain, "README": []byte("firmware\n")} {
		if err := os.WriteFile(filepath.Join(tree, filepath.FromSlash(name)), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	emptyFile := filepath.Join(dir, "empty.pem")
	if err := os.WriteFile(emptyFile, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	chainFile := filepath.Join(tree, "certs", "chain.pem")
	const hint = "; --allow-empty accepts an input without certificates\n"
	const jsonStart = `{"schema":"iotcert.lint.v1","profile":"tls13-iot","certificates":[`
	tests := []struct {
		name   string
		stdin  string
		args   []string
		code   int
		stdout string // a prefix; "" for nothing
		stderr string
	}{
		{"empty directory", "", []string{"lint", empty}, exitUsage, "",
			"iotcert lint: no certificate found in " + empty + ": 0 inputs read (0 bytes)" + hint},
		{"empty directory, allowed", "", []string{"lint", "--allow-empty", "--format", "json", empty}, exitOK,
			jsonStart + "\n" + `],"summary":{"certificates":0,`, ""},
		{"empty standard input", "", []string{"lint", "-"}, exitUsage, "FATAL  -[0] byte 0",
			"iotcert lint: - (certificate 0, byte 0): empty input: no certificate found\n" +
				"iotcert lint: no certificate found in standard input: 1 input read (0 bytes); 1 input error\n"},
		{"empty standard input, allowed", "\n", []string{"lint", "--allow-empty", "--format", "json", "-"}, exitOK,
			jsonStart + "\n" + `],"summary":{"certificates":0,`, ""},
		{"include matches nothing", "", []string{"lint", "--include", "*.crt", tree}, exitUsage, "",
			"iotcert lint: no certificate found in " + tree + ": 0 inputs read (0 bytes); 3 files excluded by the include patterns (see --include)" + hint},
		{"include relative to the walked directory", "", []string{"lint", "--include", "certs/*.pem", "--format", "json", tree}, exitOK,
			`{"schema":"iotcert.lint.v1","profile":"tls13-iot","certificates":[` + "\n" + `{"origin":{"file":"` + filepath.Join(tree, "certs", "chain.pem") + `"`, ""},
		{"graph, empty directory", "", []string{"graph", empty}, exitUsage, "",
			"iotcert graph: no certificate found in " + empty + ": 0 inputs read (0 bytes)" + hint},
		{"graph, empty directory, allowed", "", []string{"graph", "--allow-empty", empty}, exitOK, "flowchart TD\n", ""},
		{"size, empty directory", "", []string{"size", "--budget", "dtls13-record", empty}, exitUsage, "",
			"iotcert size: no certificate found in " + empty + ": 0 inputs read (0 bytes)" + hint},
		{"size, empty directory, allowed", "", []string{"size", "--allow-empty", "--format", "json", empty}, exitOK, "{\n  \"certificates\": [],\n  \"chains\": []\n}\n", ""},
		{"size, include matches nothing", "", []string{"size", "--include", "*.crt", tree}, exitUsage, "",
			"iotcert size: no certificate found in " + tree + ": 0 inputs read (0 bytes); 3 files excluded by the include patterns (see --include)" + hint},
		// A --trust store without a certificate is an error, also with
		// --allow-empty (which is about the input): no verdict, no table.
		{"lint, --trust an empty directory", "", []string{"lint", "--trust", empty, chainFile}, exitUsage, "",
			"iotcert lint: trust store: no certificate found in " + empty + ": 0 inputs read (0 bytes)\n"},
		{"lint, --trust an empty file, --allow-empty", "", []string{"lint", "--allow-empty", "--trust", emptyFile, chainFile}, exitUsage, "",
			"iotcert lint: trust store: " + emptyFile + " (certificate 0, byte 0): empty input: no certificate found\n"},
		{"lint, --trust a directory the include patterns exclude", "", []string{"lint", "--include", "*.crt", "--trust", tree, chainFile}, exitUsage, "",
			"iotcert lint: trust store: no certificate found in " + tree + ": 0 inputs read (0 bytes); 3 files excluded by the include patterns\n"},
		{"lint, --trust one store of two empty", "", []string{"lint", "--trust", chainFile, "--trust", empty, chainFile}, exitUsage, "",
			"iotcert lint: trust store: no certificate found in " + empty + ": 0 inputs read (0 bytes)\n"},
		{"lint, --trust a directory", "", []string{"lint", "--fail-on", "none", "--format", "json", "--trust", filepath.Join(tree, "certs"), chainFile}, exitOK, jsonStart, ""},
		{"graph, --trust an empty directory", "", []string{"graph", "--trust", empty, chainFile}, exitUsage, "",
			"iotcert graph: trust store: no certificate found in " + empty + ": 0 inputs read (0 bytes)\n"},
		{"size, --trust an empty directory", "", []string{"size", "--trust", empty, chainFile}, exitUsage, "",
			"iotcert size: trust store: no certificate found in " + empty + ": 0 inputs read (0 bytes)\n"},
		{"size, --trust an empty file, --allow-empty", "", []string{"size", "--allow-empty", "--trust", emptyFile, chainFile}, exitUsage, "",
			"iotcert size: trust store: " + emptyFile + " (certificate 0, byte 0): empty input: no certificate found\n"},
		{"size, --trust a file", "", []string{"size", "--format", "json", "--trust", chainFile, chainFile}, exitOK, "{\n  \"certificates\": [", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := iotcert(t, tc.stdin, tc.args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d", code, tc.code)
			}
			if tc.stdout == "" && out != "" || !strings.HasPrefix(out, tc.stdout) {
				t.Errorf("stdout:\n%s\nwant it to start with:\n%s", out, tc.stdout)
			}
			if errOut != tc.stderr {
				t.Errorf("stderr:\n%s\nwant:\n%s", errOut, tc.stderr)
			}
		})
	}
	// Three certificates through certs/*.pem, not six.
	_, out, _ := iotcert(t, "", "lint", "--include", "certs/*.pem", tree)
	if !strings.Contains(out, "3 certificate(s) linted") {
		t.Errorf("--include certs/*.pem:\n%s", out)
	}
}

// TestLintMaxInputSize checks --max-input-size: standard input is read up
// to it, the error says so, and the flag raises it.
func TestLintMaxInputSize(t *testing.T) {
	chain, err := os.ReadFile(filepath.Join(certs, "tls13-iot", "chain.pem"))
	if err != nil {
		t.Fatal(err)
	}
	code, out, errOut := iotcert(t, string(chain), "lint", "--max-input-size", "1000", "-")
	wantErr := "iotcert lint: - (certificate 1, byte 733): reading: input larger than the size limit: more than 1000 bytes\n" +
		"iotcert lint: an input goes on past --max-input-size; give a larger one to read it all\n"
	if code != exitUsage || !strings.HasSuffix(errOut, wantErr) || !strings.Contains(out, "-[0] byte 0") {
		t.Errorf("exit %d, stderr:\n%s\nwant it to end with:\n%s\nstdout:\n%s", code, errOut, wantErr, out)
	}
	code, _, errOut = iotcert(t, string(chain), "lint", "--max-input-size", "1KiB", "-")
	if code != exitUsage || !strings.Contains(errOut, "more than 1024 bytes") {
		t.Errorf("1KiB: exit %d, stderr:\n%s", code, errOut)
	}
	code, out, errOut = iotcert(t, string(chain), "lint", "--max-input-size", strconv.Itoa(len(chain)), "-")
	if code != exitOK || errOut != "" || !strings.Contains(out, "3 certificate(s) linted") {
		t.Errorf("raised: exit %d, stderr:\n%s\nstdout:\n%s", code, errOut, out)
	}
	for _, bad := range []string{"0", "-5", "12XB", "1.5MiB", "9999999999GiB"} {
		code, _, errOut := iotcert(t, "", "lint", "--max-input-size", bad, "-")
		if code != exitUsage || !strings.Contains(errOut, `invalid value "`+bad+`" for flag -max-input-size`) {
			t.Errorf("--max-input-size %s: exit %d, stderr:\n%s", bad, code, errOut)
		}
	}
}

// TestLintBlockTooLarge checks that an oversized PEM block or DER element
// is a located input error (exit 2) and that the certificates beside it
// are still judged.
func TestLintBlockTooLarge(t *testing.T) {
	ee, err := os.ReadFile(filepath.Join(certs, "tls13-iot", "chain.pem"))
	if err != nil {
		t.Fatal(err)
	}
	body := bytes.Repeat([]byte(strings.Repeat("A", 64)+"\n"), 20000) // 1.3 MB
	big := writeFile(t, "big.pem", bytes.Join([][]byte{[]byte("-----BEGIN CERTIFICATE-----\n"), body, []byte("-----END CERTIFICATE-----\n"), ee}, nil))
	der := writeFile(t, "big.der", append([]byte{0x30, 0x83, 0x20, 0x00, 0x00, 0x30}, make([]byte, 2<<20)...))
	code, out, errOut := iotcert(t, "", "lint", big, der)
	for _, want := range []string{
		"iotcert lint: " + big + " (certificate 0, byte 0): larger than the block size limit: PEM block larger than 1048576 bytes, not read\n",
		"iotcert lint: " + der + " (certificate 0, byte 0): larger than the block size limit: DER element of 2097157 bytes, more than 1048576\n",
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	start := strconv.Itoa(len(body) + len("-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n"))
	if code != exitUsage || !strings.Contains(out, "ok  "+big+"[1] byte "+start) {
		t.Errorf("exit %d, stdout:\n%s", code, out)
	}
}

// TestLintDERPrivateKeys: a private key in a DER file (PKCS#8 of
// "openssl pkey -outform DER", SEC1, PKCS#1) is skipped and counted like
// a PEM key, beside a certificate that is linted; DER that is neither a
// certificate nor a key is still an input error (exit 2), and no key
// byte is printed.
func TestLintDERPrivateKeys(t *testing.T) {
	if _, err := exec.LookPath("openssl"); err != nil {
		t.Skip("openssl not installed")
	}
	dir := t.TempDir()
	keyPEM := filepath.Join(t.TempDir(), "key.pem")
	for _, args := range [][]string{
		{"genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", keyPEM},
		{"pkey", "-in", keyPEM, "-outform", "DER", "-out", filepath.Join(dir, "pkcs8.der")},
		{"ec", "-in", keyPEM, "-outform", "DER", "-out", filepath.Join(dir, "sec1.der")},
		{"genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-outform", "DER", "-out", filepath.Join(dir, "rsa-pkcs8.der")},
	} {
		if out, err := exec.Command("openssl", args...).CombinedOutput(); err != nil {
			t.Fatalf("openssl %v: %v\n%s", args, err, out)
		}
	}
	chain, err := os.ReadFile(filepath.Join(certs, "tls13-iot", "chain.pem"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "chain.pem"), chain, 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := iotcert(t, "", "lint", "--format", "json", dir)
	if code == exitUsage || strings.Contains(out, "iotcert_input_error") || errOut != "iotcert lint: skipped 3 private keys\n" {
		t.Errorf("exit %d, stderr %q\n%s", code, errOut, out)
	}
	key, err := os.ReadFile(filepath.Join(dir, "sec1.der"))
	if err != nil {
		t.Fatal(err)
	}
	junk := filepath.Join(t.TempDir(), "junk.der")
	if err := os.WriteFile(junk, []byte{0x30, 0x03, 0x02, 0x01, 0x07}, 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = iotcert(t, "", "lint", junk, filepath.Join(dir, "sec1.der"))
	if code != exitUsage || !strings.Contains(errOut, junk+" (certificate 0, byte 0): not a valid X.509 certificate") || !strings.HasPrefix(errOut, "iotcert lint: skipped 1 private key\n") {
		t.Errorf("junk DER: exit %d, stderr %q", code, errOut)
	}
	for _, s := range []string{out, errOut} {
		if strings.Contains(s, fmt.Sprintf("%x", key[8:24])) || strings.Contains(s, string(key[8:24])) {
			t.Error("key material in the output")
		}
	}
}

// TestConfigFilesBounded gives each file read whole that is not a
// certificate input (specs, rules, passphrase and password files) one
// byte more than its limit: each stops with exit 2 and names the file and
// the limit, having read no more than that (a sparse file stands for
// /dev/zero).
func TestConfigFilesBounded(t *testing.T) {
	dir := t.TempDir()
	sparse := func(name string, size int64) string {
		p := filepath.Join(dir, name)
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.Truncate(size); err != nil {
			t.Fatal(err)
		}
		f.Close()
		return p
	}
	big := sparse("big.yaml", boundedread.Config+1)
	pass := sparse("big.pass", boundedread.Secret+1)
	chain := filepath.Join(certs, "tls13-iot", "chain.pem")
	spec := filepath.Join(dir, "spec.yaml")
	if err := os.WriteFile(spec, ldevid.ExampleSpec(""), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := iotcert(t, "", "gen", "hierarchy", spec, "--out", filepath.Join(dir, "pki")); code != exitOK {
		t.Fatalf("gen hierarchy: exit %d\n%s", code, errOut)
	}
	root := filepath.Join(dir, "pki", "root")
	config := ": larger than 16777216 bytes\n"
	secret := ": larger than 65536 bytes\n"
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"lint", "--rules", big, chain}, "iotcert lint: rules file: " + big + config},
		{[]string{"rules", "--rules", big}, "iotcert rules: rules file: " + big + config},
		{[]string{"lint", "--spec", big, chain}, "iotcert lint: --spec: hierarchy spec: " + big + config},
		{[]string{"lint", "--p12-password-file", pass, chain}, "iotcert lint: --p12-password-file: " + pass + secret},
		{[]string{"gen", "hierarchy", big, "--out", filepath.Join(dir, "pki2")}, "iotcert gen hierarchy: hierarchy spec: " + big + config},
		{[]string{"gen", "hierarchy", spec, "--out", filepath.Join(dir, "pki2"), "--passphrase-file", pass}, "iotcert gen hierarchy: passphrase file: " + pass + secret},
		{[]string{"roll", "plan", "--old", root, "--spec", big}, "iotcert roll plan: rollover spec: " + big + config},
		{[]string{"roll", "plan", "--old", root, "--passphrase-file", pass}, "iotcert roll plan: passphrase file: " + pass + secret},
	} {
		code, out, errOut := iotcert(t, "", tc.args...)
		if code != exitUsage || out != "" || errOut != tc.want {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit %d, stderr %q", tc.args, code, out, errOut, exitUsage, tc.want)
		}
	}
}

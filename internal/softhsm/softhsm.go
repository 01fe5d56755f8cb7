// Package softhsm makes a fresh SoftHSM2 token for tests of the PKCS#11
// key backend: a token directory of its own (SOFTHSM2_CONF points at a
// configuration naming it), initialised with softhsm2-util and a random
// PIN.
//
// When SoftHSM2 (softhsm2-util and the module) or cgo is missing, New
// skips the test, unless the environment variable CI is set: then it fails
// it, so that CI cannot pass by skipping (.ci/run installs softhsm2).
package softhsm

import (
	"crypto/rand"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Modules are the places the SoftHSM2 module is looked for: Debian's
// first.
var Modules = []string{
	"/usr/lib/softhsm/libsofthsm2.so",
	"/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
	"/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so",
	"/usr/local/lib/softhsm/libsofthsm2.so",
}

// Token is an initialised SoftHSM2 token.
type Token struct {
	// Module is the path of the SoftHSM2 PKCS#11 module.
	Module string
	// Label is the token label.
	Label string
	// PIN is the user PIN: 32 random hex digits, so that a test can look
	// for it in output it must not appear in.
	PIN string
	// PINFile holds PIN on its first line (mode 0600).
	PINFile string
}

// URI is the token's pkcs11: URI without a PIN.
func (t *Token) URI() string {
	return "pkcs11:module-path=" + t.Module + ";token=" + t.Label
}

// URIWithPINSource is URI with pin-source=PINFile.
func (t *Token) URIWithPINSource() string {
	return t.URI() + "?pin-source=" + t.PINFile
}

// New makes a fresh token labelled label in a temporary directory and
// points SOFTHSM2_CONF at it for the rest of the test. Open the token
// after New and close it before the test ends: SoftHSM2 reads
// SOFTHSM2_CONF when the module is initialised.
func New(tb testing.TB, label string) *Token {
	tb.Helper()
	missing := func(what string) {
		tb.Helper()
		if os.Getenv("CI") != "" {
			tb.Fatalf("%s, and CI is set: PKCS#11 tests must run in CI (.ci/run installs softhsm2)", what)
		}
		tb.Skipf("%s: skipping the PKCS#11 test", what)
	}
	if !cgoEnabled {
		missing("built without cgo, which go.step.sm/crypto/kms/pkcs11 needs (CGO_ENABLED=1 and a C compiler)")
	}
	util, err := exec.LookPath("softhsm2-util")
	if err != nil {
		missing("softhsm2-util is not installed (apt-get install softhsm2)")
	}
	module := ""
	for _, m := range Modules {
		if _, err := os.Stat(m); err == nil {
			module = m
			break
		}
	}
	if module == "" {
		missing("the SoftHSM2 module libsofthsm2.so is not installed (apt-get install softhsm2)")
	}
	dir := tb.TempDir()
	tokens := filepath.Join(dir, "tokens")
	if err := os.Mkdir(tokens, 0o700); err != nil {
		tb.Fatal(err)
	}
	conf := filepath.Join(dir, "softhsm2.conf")
	data := "directories.tokendir = " + tokens + "\nobjectstore.backend = file\nlog.level = ERROR\n"
	if err := os.WriteFile(conf, []byte(data), 0o600); err != nil {
		tb.Fatal(err)
	}
	tb.Setenv("SOFTHSM2_CONF", conf)
	t := &Token{Module: module, Label: label, PIN: random(tb), PINFile: filepath.Join(dir, "pin")}
	if err := os.WriteFile(t.PINFile, []byte(t.PIN+"\n"), 0o600); err != nil {
		tb.Fatal(err)
	}
	cmd := exec.Command(util, "--init-token", "--free", "--label", label, "--pin", t.PIN, "--so-pin", random(tb))
	if out, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("softhsm2-util --init-token: %v\n%s", err, out)
	}
	return t
}

func random(tb testing.TB) string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		tb.Fatal(err)
	}
	return hex.EncodeToString(b)
}

package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/iotcert/iotcert/internal/softhsm"
)

// TestPKCS11 runs the commands with CA keys in a fresh SoftHSM2 token:
// gen hierarchy writes key.ref files, gen device and sign open them with
// the PIN from a pin-source file or an environment variable, and the
// results verify with openssl and lint clean.
func TestPKCS11(t *testing.T) {
	tok := softhsm.New(t, "iotcert-cli")
	dir := t.TempDir()
	spec := filepath.Join(dir, "spec.yaml")
	if err := os.WriteFile(spec, []byte(signSpec), 0o644); err != nil {
		t.Fatal(err)
	}
	pki := filepath.Join(dir, "pki")
	kms := tok.URIWithPINSource()
	if code, out, errOut := iotcert(t, "", "gen", "hierarchy", spec, "--out", pki, "--kms", kms); code != exitOK || !strings.Contains(out, "sub\t") {
		t.Fatalf("gen hierarchy --kms: exit %d\n%s%s", code, out, errOut)
	}
	for _, ca := range []string{"root", "sub"} {
		if _, err := os.Stat(filepath.Join(pki, ca, "key.pem")); !os.IsNotExist(err) {
			t.Errorf("%s/key.pem: %v, want none", ca, err)
		}
		ref, err := os.ReadFile(filepath.Join(pki, ca, "key.ref"))
		want := regexp.MustCompile("^pkcs11:id=[0-9a-f]{16};module-path=" + regexp.QuoteMeta(tok.Module) + ";object=" + ca + ";token=iotcert-cli\\?pin-source=" + regexp.QuoteMeta(tok.PINFile) + "\n$")
		if err != nil || !want.Match(ref) {
			t.Errorf("%s/key.ref: %q, %v", ca, ref, err)
		}
	}

	// Device keys are files; the CA key is opened in the token, with the
	// PIN from the environment this time.
	t.Setenv("IOTCERT_TEST_PIN", tok.PIN)
	if code, out, errOut := iotcert(t, "", "gen", "device", spec, "--out", pki, "--ca", "sub", "--id", "0001", "--kms", tok.URI(), "--kms-pin-env", "IOTCERT_TEST_PIN"); code != exitOK {
		t.Fatalf("gen device --kms: exit %d\n%s%s", code, out, errOut)
	}
	devKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	der, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{
		Subject:  pkix.Name{CommonName: "sensor 9", Organization: []string{"Example"}, SerialNumber: "SN9"},
		DNSNames: []string{"sensor-9.example.com"},
	}, devKey)
	if err != nil {
		t.Fatal(err)
	}
	csr := writeFile(t, "device.csr", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: der}))
	signed := filepath.Join(dir, "signed.pem")
	if code, out, errOut := iotcert(t, "", "sign", spec, "--ca", "sub", "--dir", pki, "--csr", csr, "--id", "9", "--set", "serial=SN9", "--out", signed, "--kms", kms); code != exitOK {
		t.Fatalf("sign --kms: exit %d\n%s%s", code, out, errOut)
	}
	issued := filepath.Join(pki, "devices", "0001", "cert.pem")
	if _, err := os.Stat(filepath.Join(pki, "devices", "0001", "key.pem")); err != nil {
		t.Errorf("device key file: %v", err)
	}
	for _, leaf := range []string{issued, signed} {
		if _, err := exec.LookPath("openssl"); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatal("openssl is not installed; .ci/run installs it")
			}
			break
		}
		cmd := exec.Command("openssl", "verify", "-CAfile", filepath.Join(pki, "root", "cert.pem"), "-untrusted", filepath.Join(pki, "sub", "cert.pem"), leaf)
		if b, err := cmd.CombinedOutput(); err != nil || string(b) != leaf+": OK\n" {
			t.Errorf("openssl verify: %v\n%s", err, b)
		}
	}
	code, out, errOut := iotcert(t, "", "lint", "--at", atNow(), "--profile", "tls13-iot", filepath.Join(pki, "root", "cert.pem"), filepath.Join(pki, "sub", "cert.pem"), issued, signed)
	if code != exitOK {
		t.Errorf("lint: exit %d\n%s%s", code, out, errOut)
	}
	// lint reads the whole output: the key.ref files and the device's
	// key.pem are skipped and counted, as the journal is.
	code, out, errOut = iotcert(t, "", "lint", "--at", atNow(), "--spec", spec, pki)
	if code != exitOK || errOut != "iotcert lint: skipped 3 private keys, 1 journal\n" {
		t.Errorf("lint --spec %s: exit %d, stderr %q\n%s", pki, code, errOut, out)
	}

	// Refusals and errors: exit 2, the URI named, the PIN never shown.
	badRef := filepath.Join(dir, "bad")
	for _, ca := range []string{"root", "sub"} {
		os.MkdirAll(filepath.Join(badRef, ca), 0o755)
		for _, f := range []string{"cert.pem", "key.ref"} {
			b, _ := os.ReadFile(filepath.Join(pki, ca, f))
			if ca == "sub" && f == "key.ref" {
				b = regexp.MustCompile(`id=[0-9a-f]+;`).ReplaceAll(b, []byte("id=0011223344556677;"))
			}
			os.WriteFile(filepath.Join(badRef, ca, f), b, 0o600)
		}
	}
	hsm := "pkcs11:module-path=" + tok.Module + ";token="
	wrongPIN := writeFile(t, "wrong-pin", []byte("wrong-pin-31337\n"))
	rightPIN := writeFile(t, "pin", []byte(tok.PIN+"\n"))
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"existing labels", []string{"gen", "hierarchy", spec, "--out", filepath.Join(dir, "again"), "--kms", kms},
			`iotcert gen hierarchy: CA "root": PKCS#11 ` + kms + `: the token holds a key labelled "root" already (a CA key is made once: delete it from the token, or use another token): file already exists; --force makes a new key beside it`},
		{"wrong PIN", []string{"gen", "device", spec, "--out", pki, "--ca", "sub", "--id", "2", "--kms", hsm + "iotcert-cli?pin-source=" + wrongPIN},
			"iotcert gen device: PKCS#11 " + hsm + "iotcert-cli?pin-source=" + wrongPIN + ": wrong PIN (error initializing PKCS#11: failed to log into long term session: pkcs11: 0xA0: CKR_PIN_INCORRECT)"},
		{"missing token", []string{"sign", spec, "--ca", "sub", "--dir", pki, "--csr", csr, "--id", "9", "--kms", hsm + "nope?pin-source=" + rightPIN},
			"iotcert sign: PKCS#11 " + hsm + "nope?pin-source=" + rightPIN + ": no such token in the module (error initializing PKCS#11: could not find PKCS#11 token)"},
		{"PIN on the command line", []string{"gen", "device", spec, "--out", pki, "--ca", "sub", "--id", "2", "--kms", hsm + "iotcert-cli?pin-value=" + tok.PIN},
			"iotcert gen device: --kms " + hsm + "iotcert-cli?pin-value=***: a PIN on the command line (pin-value) is visible to every user of the machine: give it with pin-source=FILE in the URI or --kms-pin-env NAME\n"},
		{"key.ref to a missing key", []string{"gen", "device", spec, "--out", badRef, "--ca", "sub", "--id", "3", "--kms", kms},
			`iotcert gen device: CA "sub": ` + filepath.Join(badRef, "sub", "key.ref") + ": key " + strings.TrimSuffix(mustRead(t, filepath.Join(badRef, "sub", "key.ref")), "\n") + ": no such key pair in the token of " + kms + "\n"},
		{"bad URI", []string{"gen", "hierarchy", spec, "--out", filepath.Join(dir, "x"), "--kms", "pkcs11:token;pin-source=" + rightPIN},
			`iotcert gen hierarchy: PKCS#11 pkcs11:token;pin-source=` + rightPIN + `: malformed URI: path attribute "token" is not name=value`},
		{"not pkcs11", []string{"gen", "hierarchy", spec, "--out", filepath.Join(dir, "x"), "--kms", "/usr/lib/softhsm/libsofthsm2.so"},
			"iotcert gen hierarchy: PKCS#11 /usr/lib/softhsm/libsofthsm2.so: not a pkcs11: URI (want pkcs11:module-path=...;token=...)"},
		{"PIN variable unset", []string{"sign", spec, "--ca", "sub", "--dir", pki, "--csr", csr, "--id", "9", "--kms", tok.URI(), "--kms-pin-env", "IOTCERT_NO_SUCH_PIN"},
			"iotcert sign: --kms-pin-env: environment variable IOTCERT_NO_SUCH_PIN is not set"},
		{"no --kms", []string{"gen", "device", spec, "--out", pki, "--ca", "sub", "--id", "4"},
			`iotcert gen device: CA "sub": ` + filepath.Join(pki, "sub", "key.ref") + ": key " + strings.TrimSuffix(mustRead(t, filepath.Join(pki, "sub", "key.ref")), "\n") + " is in a PKCS#11 token: give --kms with the token's URI"},
		{"passphrase with --kms", []string{"gen", "hierarchy", spec, "--out", filepath.Join(dir, "x"), "--kms", kms, "--passphrase-env", "X"},
			"iotcert gen hierarchy: --passphrase-* encrypt key files; keys in a token (--kms) are not files"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, errOut := iotcert(t, "", tc.args...)
			if code != exitUsage || !strings.HasPrefix(errOut, tc.want) || stdout != "" {
				t.Errorf("exit %d, stdout %q\n got %s\nwant %s", code, stdout, errOut, tc.want)
			}
			if strings.Contains(errOut, tok.PIN) || strings.Contains(errOut, "wrong-pin-31337") {
				t.Errorf("stderr shows a PIN: %s", errOut)
			}
		})
	}
}

// TestPKCS11Discard checks that gen hierarchy, failing half-way, keeps
// the CAs it completed and leaves no unpublished key in the token: the
// same command, fixed, then completes the hierarchy without --force and
// without a second token key (a key labelled like a CA it makes would be
// refused, and the kept root's key.ref does not change).
func TestPKCS11Discard(t *testing.T) {
	tok := softhsm.New(t, "iotcert-discard")
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	good := filepath.Join(dir, "good.yaml")
	if err := os.WriteFile(good, []byte(signSpec), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bad, []byte(strings.Replace(signSpec, "validity: 10y}", "validity: 10y, curve: Ed25519}", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	kms := tok.URIWithPINSource()
	pki := filepath.Join(dir, "pki")
	code, out, errOut := iotcert(t, "", "gen", "hierarchy", bad, "--out", pki, "--kms", kms)
	if want := "iotcert gen hierarchy: PKCS#11 " + kms + ": the key of sub: Ed25519 keys in a token are not supported (go.step.sm/crypto/kms/pkcs11 makes P-256 and P-384 keys); choose curve P-256 or P-384\n"; code != exitUsage || errOut != want {
		t.Fatalf("Ed25519 CA: exit %d\n got %s\nwant %s", code, errOut, want)
	}
	if !strings.HasPrefix(out, "root\t") {
		t.Errorf("the root made before the failure is not reported: %q", out)
	}
	rootRef := mustRead(t, filepath.Join(pki, "root", "key.ref"))

	// A CA whose directory cannot be made: its token key is made, then
	// deleted when the write fails.
	if err := os.WriteFile(filepath.Join(pki, "sub"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = iotcert(t, "", "gen", "hierarchy", good, "--out", pki, "--kms", kms)
	if code != exitUsage || !strings.Contains(errOut, filepath.Join(pki, "sub")) || !strings.HasPrefix(out, "root\t"+filepath.Join(pki, "root")+"\tCN=Root,O=Example,C=DE\t(kept)\n") {
		t.Fatalf("unwritable sub: exit %d\n%s%s", code, out, errOut)
	}
	if err := os.Remove(filepath.Join(pki, "sub")); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = iotcert(t, "", "gen", "hierarchy", good, "--out", pki, "--kms", kms)
	if code != exitOK || !strings.Contains(out, "(kept)") || !strings.Contains(out, "sub\t") {
		t.Fatalf("after the failed runs: exit %d\n%s%s", code, out, errOut)
	}
	if got := mustRead(t, filepath.Join(pki, "root", "key.ref")); got != rootRef {
		t.Errorf("root/key.ref changed: %s, was %s", got, rootRef)
	}
	if code, _, errOut := iotcert(t, "", "gen", "device", good, "--out", pki, "--ca", "sub", "--id", "1", "--kms", kms); code != exitOK {
		t.Errorf("gen device on the completed hierarchy: exit %d\n%s", code, errOut)
	}
	// The root's key.ref gone (offline): issuing opens only sub's key.
	if err := os.Remove(filepath.Join(pki, "root", "key.ref")); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := iotcert(t, "", "gen", "device", good, "--out", pki, "--ca", "sub", "--id", "2", "--kms", kms); code != exitOK {
		t.Errorf("gen device with the root's key.ref gone: exit %d\n%s", code, errOut)
	}
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestPKCS11MixedKeys keeps the root's key in a passphrase-protected
// file and the sub CA's in a token: gen hierarchy --ca sub opens the
// root's file with its own passphrase and makes the sub key in the
// token; with the root's key gone, devices are issued from the token key
// alone.
func TestPKCS11MixedKeys(t *testing.T) {
	tok := softhsm.New(t, "iotcert-mixed")
	dir := t.TempDir()
	spec := writeFile(t, "spec.yaml", []byte(signSpec))
	rootPass := writeFile(t, "root.pass", []byte("root secret\n"))
	pki := filepath.Join(dir, "pki")
	kms := tok.URIWithPINSource()
	if code, _, errOut := iotcert(t, "", "gen", "hierarchy", spec, "--out", pki, "--ca", "root", "--passphrase-file", "root="+rootPass); code != exitOK {
		t.Fatalf("gen hierarchy --ca root: exit %d\n%s", code, errOut)
	}
	if code, _, errOut := iotcert(t, "", "gen", "hierarchy", spec, "--out", pki, "--ca", "sub", "--kms", kms, "--passphrase-file", "sub="+rootPass); code != exitUsage || !strings.Contains(errOut, `the key of CA "sub" is made in the token (--kms), not as a file`) {
		t.Errorf("a passphrase for a token key: exit %d\n%s", code, errOut)
	}
	if code, _, errOut := iotcert(t, "", "gen", "hierarchy", spec, "--out", pki, "--ca", "sub", "--kms", kms, "--passphrase-file", "root="+rootPass); code != exitOK {
		t.Fatalf("gen hierarchy --ca sub --kms: exit %d\n%s", code, errOut)
	}
	if !strings.HasPrefix(mustRead(t, filepath.Join(pki, "sub", "key.ref")), "pkcs11:") {
		t.Error("sub's key is not in the token")
	}
	if err := os.Remove(filepath.Join(pki, "root", "key.pem")); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := iotcert(t, "", "gen", "device", spec, "--out", pki, "--ca", "sub", "--id", "1", "--kms", kms); code != exitOK {
		t.Errorf("gen device: exit %d\n%s", code, errOut)
	}
}

package ldevid

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/iotcert/iotcert/internal/softhsm"
	"github.com/iotcert/iotcert/internal/tokentest"
	"github.com/iotcert/iotcert/keys"
	"github.com/iotcert/iotcert/profile"
	"github.com/iotcert/iotcert/store"
)

// pkcs11Spec is minimalSpec with a P-384 root, so that both curves a
// token makes are used, and devices linted with tls13-iot.
var pkcs11Spec = strings.Replace(strings.Replace(minimalSpec,
	"    validity: 20y", "    validity: 20y\n    curve: P-384", 1),
	"profile: ldevid-8021ar", "profile: tls13-iot", 1)

// TestPKCS11Hierarchy makes the CA keys of a hierarchy in a fresh SoftHSM2
// token, publishes them as key.ref files, loads the CAs back through a new
// session (PIN from the caller this time, as from an environment
// variable), issues a device with a file key and signs a CSR, and checks
// the results with crypto/x509, openssl verify and the lint engine.
func TestPKCS11Hierarchy(t *testing.T) {
	tok := softhsm.New(t, "iotcert-test")
	s, err := LoadSpec("spec.yaml", []byte(pkcs11Spec))
	if err != nil {
		t.Fatal(err)
	}
	token := tokentest.Open(t, tok.URIWithPINSource())
	h, err := New(s, WithKeys(token))
	if err != nil {
		t.Fatal(err)
	}
	cas, err := h.CreateCAs()
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	for _, ca := range cas {
		if err := store.WriteCA(out, ca.Spec.Name, ca.Cert, ca.Key, false); err != nil {
			t.Fatal(err)
		}
	}
	if err := token.Close(); err != nil {
		t.Fatal(err)
	}

	// key.ref: the token, the key's id and label, the pin-source; no PIN.
	for _, c := range []struct{ name, curve string }{{"root", "P-384"}, {"sub", "P-256"}} {
		dir := store.CADir(out, c.name)
		if _, err := os.Stat(filepath.Join(dir, keys.File)); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s: key.pem exists (%v)", c.name, err)
		}
		ref := filepath.Join(dir, keys.RefFile)
		fi, err := os.Stat(ref)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v, want 0600", ref, fi.Mode().Perm())
		}
		data, _ := os.ReadFile(ref)
		want := "^pkcs11:id=[0-9a-f]{16};module-path=" + regexp.QuoteMeta(tok.Module) + ";object=" + c.name +
			";token=iotcert-test\\?pin-source=" + regexp.QuoteMeta(tok.PINFile) + "\n$"
		if !regexp.MustCompile(want).Match(data) || strings.Contains(string(data), tok.PIN) {
			t.Errorf("%s holds %q, want %s", ref, data, want)
		}
		if got := keys.Describe(h.CA(c.name).Cert.PublicKey); got != c.curve {
			t.Errorf("%s: %s key, want %s", c.name, got, c.curve)
		}
	}

	// Load the CAs back: the keys are opened in the token, device keys are
	// files.
	token = tokentest.Open(t, tok.URI(), keys.WithPIN([]byte(tok.PIN)))
	files, err := keys.NewFileKeys()
	if err != nil {
		t.Fatal(err)
	}
	h2, err := New(s, WithKeys(files))
	if err != nil {
		t.Fatal(err)
	}
	if err := h2.LoadCAs(out, "sub", token); err != nil {
		t.Fatal(err)
	}
	dev, err := h2.IssueDevice(Request{Device: "sensor", ID: "0001"})
	if err != nil {
		t.Fatal(err)
	}
	if dev.key == nil || dev.key.PEM == nil || dev.key.Ref != "" {
		t.Fatalf("device key %+v, want a PEM file key", dev.key)
	}
	if err := store.WriteDevice(out, dev.Stored()); err != nil {
		t.Fatal(err)
	}
	devKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	der, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{
		Subject:  pkix.Name{CommonName: "sensor 9", Organization: []string{"Example"}, SerialNumber: "SN9"},
		DNSNames: []string{"sensor-9.example.com"},
	}, devKey)
	if err != nil {
		t.Fatal(err)
	}
	csr, err := x509.ParseCertificateRequest(der)
	if err != nil {
		t.Fatal(err)
	}
	signed, err := h2.SignCSR(Request{Device: "sensor", ID: "9", Fields: map[string]string{"serial": "SN9"}}, csr, CSROptions{})
	if err != nil {
		t.Fatal(err)
	}
	signedFile := filepath.Join(out, "signed.pem")
	if err := os.WriteFile(signedFile, store.CertPEM(signed.Cert), 0o644); err != nil {
		t.Fatal(err)
	}

	roots, inter := x509.NewCertPool(), x509.NewCertPool()
	roots.AddCert(h2.CA("root").Cert)
	inter.AddCert(h2.CA("sub").Cert)

	// Batch issuance signs from many goroutines with the one token key.
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for g := range 4 {
		wg.Go(func() {
			for i := range 4 {
				d, err := h2.IssueDevice(Request{Device: "sensor", ID: fmt.Sprintf("c%d-%d", g, i)})
				if err == nil {
					_, err = d.Cert.Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}})
				}
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("concurrent issuance: %v", err)
		}
	}
	p, err := h2.Profile("tls13-iot")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, file string
		cert       *x509.Certificate
	}{
		{"issued", filepath.Join(store.DeviceDir(out, "0001"), store.CertFile), dev.Cert},
		{"signed CSR", signedFile, signed.Cert},
	} {
		if _, err := c.cert.Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}); err != nil {
			t.Errorf("%s: x509.Verify: %v", c.name, err)
		}
		opensslVerify(t, filepath.Join(store.CADir(out, "root"), store.CertFile), filepath.Join(store.CADir(out, "sub"), store.CertFile), c.file)
		for i, der := range [][]byte{c.cert.Raw, h2.CA("sub").Cert.Raw, h2.CA("root").Cert.Raw} {
			if res := p.LintDER(der); res.Worst() >= profile.Error {
				t.Errorf("%s: certificate %d (%s): %+v", c.name, i, res.Role, res.Findings)
			}
		}
	}
}

// opensslVerify runs openssl verify on leaf under root and intermediate;
// it fails the test if openssl is missing and CI is set.
func opensslVerify(t *testing.T, root, intermediate, leaf string) {
	t.Helper()
	if _, err := exec.LookPath("openssl"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("openssl is not installed; .ci/run installs it")
		}
		t.Log("openssl is not installed: skipping openssl verify")
		return
	}
	cmd := exec.Command("openssl", "verify", "-CAfile", root, "-untrusted", intermediate, leaf)
	if b, err := cmd.CombinedOutput(); err != nil || string(b) != leaf+": OK\n" {
		t.Errorf("openssl verify %s: %v\n%s", leaf, err, b)
	}
}

// BenchmarkPKCS11IssueDevice measures issuance of a P-256 device with a
// file key under a CA whose key is in a SoftHSM2 token: key generation,
// pre-issuance lint, the token's signature.
func BenchmarkPKCS11IssueDevice(b *testing.B) {
	tok := softhsm.New(b, "iotcert-bench")
	token := tokentest.Open(b, tok.URIWithPINSource())
	s, err := LoadSpec("spec.yaml", []byte(pkcs11Spec))
	if err != nil {
		b.Fatal(err)
	}
	h, err := New(s, WithKeys(token))
	if err != nil {
		b.Fatal(err)
	}
	if _, err := h.CreateCAs(); err != nil {
		b.Fatal(err)
	}
	files, err := keys.NewFileKeys()
	if err != nil {
		b.Fatal(err)
	}
	h.keys = files
	n := 0
	for b.Loop() {
		n++
		if _, err := h.IssueDevice(Request{Device: "sensor", ID: fmt.Sprintf("d%08d", n)}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "certs/s")
}

// TestWriteCAKeyKind checks that store.WriteCA with force, replacing a key file
// by a key.ref or the other way round, leaves only the new one (LoadCAs
// reads key.ref first).
func TestWriteCAKeyKind(t *testing.T) {
	h := exampleHierarchy(t)
	out := t.TempDir()
	root := *h.CA("root")
	if err := store.WriteCA(out, root.Spec.Name, root.Cert, root.Key, false); err != nil {
		t.Fatal(err)
	}
	inToken := root
	inToken.Key = &keys.Key{Signer: root.Signer, Ref: "pkcs11:id=01;object=root;token=t"}
	for _, tc := range []struct {
		ca         *CA
		want, gone string
	}{{&inToken, keys.RefFile, keys.File}, {&root, keys.File, keys.RefFile}} {
		if err := store.WriteCA(out, tc.ca.Spec.Name, tc.ca.Cert, tc.ca.Key, true); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(filepath.Join(out, "root", tc.want)); err != nil {
			t.Error(err)
		}
		if _, err := os.Stat(filepath.Join(out, "root", tc.gone)); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s after writing %s: %v", tc.gone, tc.want, err)
		}
	}
}

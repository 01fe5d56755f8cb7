package ldevid

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
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
	"github.com/iotcert/iotcert/profile"
)

// pkcs11Spec is minimalSpec with a P-384 root, so that both curves a
// token makes are used, and devices linted with tls13-iot.
var pkcs11Spec = strings.Replace(strings.Replace(minimalSpec,
	"    validity: 20y", "    validity: 20y\n    curve: P-384", 1),
	"profile: ldevid-8021ar", "profile: tls13-iot", 1)

func openToken(t testing.TB, uri string, opts ...PKCS11Option) *PKCS11 {
	t.Helper()
	p, err := NewPKCS11(uri, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

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
	token := openToken(t, tok.URIWithPINSource())
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
		if err := WriteCA(out, ca, false); err != nil {
			t.Fatal(err)
		}
	}
	if err := token.Close(); err != nil {
		t.Fatal(err)
	}

	// key.ref: the token, the key's id and label, the pin-source; no PIN.
	for _, c := range []struct{ name, curve string }{{"root", "P-384"}, {"sub", "P-256"}} {
		dir := CADir(out, c.name)
		if _, err := os.Stat(filepath.Join(dir, KeyFile)); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s: key.pem exists (%v)", c.name, err)
		}
		ref := filepath.Join(dir, KeyRefFile)
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
		if got := KeyDescription(h.CA(c.name).Cert.PublicKey); got != c.curve {
			t.Errorf("%s: %s key, want %s", c.name, got, c.curve)
		}
	}

	// Load the CAs back: the keys are opened in the token, device keys are
	// files.
	token = openToken(t, tok.URI(), WithPIN([]byte(tok.PIN)))
	files, err := NewFileKeys()
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
	if dev.Key == nil || dev.Key.PEM == nil || dev.Key.Ref != "" {
		t.Fatalf("device key %+v, want a PEM file key", dev.Key)
	}
	if err := WriteDevice(out, dev); err != nil {
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
	if err := os.WriteFile(signedFile, CertPEM(signed.Cert), 0o644); err != nil {
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
		{"issued", filepath.Join(DeviceDir(out, "0001"), CertFile), dev.Cert},
		{"signed CSR", signedFile, signed.Cert},
	} {
		if _, err := c.cert.Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}); err != nil {
			t.Errorf("%s: x509.Verify: %v", c.name, err)
		}
		opensslVerify(t, filepath.Join(CADir(out, "root"), CertFile), filepath.Join(CADir(out, "sub"), CertFile), c.file)
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

// TestPKCS11Keys checks Generate and Open against a token: curves, the
// label check, and the errors of references that do not lead to a key.
func TestPKCS11Keys(t *testing.T) {
	tok := softhsm.New(t, "iotcert-keys")
	token := openToken(t, tok.URIWithPINSource())
	uri := tok.URIWithPINSource()

	key, err := token.Generate("root", P256)
	if err != nil {
		t.Fatal(err)
	}
	if key.PEM != nil || !strings.HasPrefix(key.Ref, "pkcs11:id=") {
		t.Fatalf("key %+v", key)
	}
	opened, err := token.Open(key.Ref)
	if err != nil {
		t.Fatal(err)
	}
	if !samePublicKey(opened.Public(), key.Signer.Public()) {
		t.Error("Open found another key")
	}
	digest := sha256.Sum256([]byte("x"))
	sig, err := opened.Sign(rand.Reader, digest[:], crypto.SHA256)
	if err != nil || !ecdsa.VerifyASN1(key.Signer.Public().(*ecdsa.PublicKey), digest[:], sig) {
		t.Errorf("signature through Open: %v", err)
	}

	_, err = token.Generate("root", P256)
	if !errors.Is(err, os.ErrExist) || err.Error() != "PKCS#11 "+uri+`: the token holds a key labelled "root" already (a CA key is made once: delete it from the token, or use another token): file already exists` {
		t.Errorf("second key labelled root: %v", err)
	}
	dup := openToken(t, uri, WithDuplicateLabels())
	key2, err := dup.Generate("root", P256)
	if err != nil || key2.Ref == key.Ref {
		t.Errorf("WithDuplicateLabels: %v, ref %s", err, key2.Ref)
	}
	if k, err := dup.Generate("sub", P384); err != nil || KeyDescription(k.Signer.Public()) != "P-384" {
		t.Errorf("P-384: %v", err)
	}
	_, err = token.Generate("ed", Ed25519)
	if err == nil || err.Error() != "PKCS#11 "+uri+": the key of ed: Ed25519 keys in a token are not supported (go.step.sm/crypto/kms/pkcs11 makes P-256 and P-384 keys); choose curve P-256 or P-384" {
		t.Errorf("Ed25519: %v", err)
	}

	// Delete: the key is gone from the token; a reference without both
	// id and object deletes nothing.
	if err := dup.Delete(key2.Ref); err != nil {
		t.Fatal(err)
	}
	if _, err := token.Open(key2.Ref); err == nil || !strings.HasSuffix(err.Error(), ": no such key pair in the token of "+uri) {
		t.Errorf("Open after Delete: %v", err)
	}
	if err := token.Delete("pkcs11:object=root"); err == nil || err.Error() != "key pkcs11:object=root: delete: want a reference with id and object" {
		t.Errorf("Delete by label: %v", err)
	}
	if _, err := token.Open(key.Ref); err != nil {
		t.Errorf("the first key labelled root: %v", err)
	}

	for _, tc := range []struct{ ref, want string }{
		{"pkcs11:id=0011223344556677;object=gone", "key pkcs11:id=0011223344556677;object=gone: no such key pair in the token of " + uri},
		{"pkcs11:object=gone;token=iotcert-keys?pin-value=hunter2", "key pkcs11:object=gone;token=iotcert-keys?pin-value=***: no such key pair in the token of " + uri},
		{"pkcs11:object=root;token=other", "key pkcs11:object=root;token=other: it is in token other, but the backend " + uri + " opens token iotcert-keys"},
		{"pkcs11:object=root;module-path=/opt/hsm.so", "key pkcs11:object=root;module-path=/opt/hsm.so: it is in module-path /opt/hsm.so, but the backend " + uri + " opens module-path " + tok.Module},
		{"pkcs11:token=iotcert-keys", "key pkcs11:token=iotcert-keys: names no key (want id=... or object=...)"},
		{"/pki/root/key.pem", "key /pki/root/key.pem: not a pkcs11: URI (want pkcs11:module-path=...;token=...)"},
	} {
		if _, err := token.Open(tc.ref); err == nil || err.Error() != tc.want {
			t.Errorf("Open(%q):\n got %v\nwant %s", tc.ref, err, tc.want)
		}
	}
}

// TestNewPKCS11Errors checks the errors of opening a token: each names the
// URI, never the PIN.
func TestNewPKCS11Errors(t *testing.T) {
	tok := softhsm.New(t, "iotcert-open")
	base := tok.URI()
	empty := filepath.Join(t.TempDir(), "empty")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, uri string
		opts      []PKCS11Option
		want      string
	}{
		{"wrong PIN", base + "?pin-value=0000", nil, "PKCS#11 " + base + "?pin-value=***: wrong PIN (error initializing PKCS#11: failed to log into long term session: pkcs11: 0xA0: CKR_PIN_INCORRECT)"},
		{"wrong PIN from the caller", base, []PKCS11Option{WithPIN([]byte("0000"))}, "PKCS#11 " + base + ": wrong PIN (error initializing PKCS#11: failed to log into long term session: pkcs11: 0xA0: CKR_PIN_INCORRECT)"},
		{"missing token", "pkcs11:module-path=" + tok.Module + ";token=nope?pin-source=" + tok.PINFile, nil, "PKCS#11 pkcs11:module-path=" + tok.Module + ";token=nope?pin-source=" + tok.PINFile + ": no such token in the module (error initializing PKCS#11: could not find PKCS#11 token)"},
		{"missing module", "pkcs11:module-path=/nonexistent/libp11.so;token=iotcert-open?pin-value=" + tok.PIN, nil, "PKCS#11 pkcs11:module-path=/nonexistent/libp11.so;token=iotcert-open?pin-value=***: cannot load the module (error initializing PKCS#11: failed to create module context: failed to open module)"},
		{"missing pin-source", base + "?pin-source=/nonexistent/pin", nil, "PKCS#11 " + base + "?pin-source=/nonexistent/pin: pin-source: open /nonexistent/pin: no such file or directory"},
		{"empty pin-source", base + "?pin-source=" + empty, nil, "PKCS#11 " + base + "?pin-source=" + empty + ": pin-source " + empty + ": empty"},
		{"PIN twice", base + "?pin-value=" + tok.PIN, []PKCS11Option{WithPIN([]byte(tok.PIN))}, "PKCS#11 " + base + "?pin-value=***: give the PIN once: pin-source, pin-value or an environment variable"},
		{"not pkcs11", "file:/etc/key.pem", nil, "PKCS#11 file:/etc/key.pem: not a pkcs11: URI (want pkcs11:module-path=...;token=...)"},
		{"no token", "pkcs11:module-path=" + tok.Module + "?pin-value=" + tok.PIN, nil, "PKCS#11 pkcs11:module-path=" + tok.Module + "?pin-value=***: give exactly one of token, serial and slot-id"},
		{"token and serial", base + ";serial=1234", nil, "PKCS#11 " + base + ";serial=1234: give exactly one of token, serial and slot-id"},
		{"unknown attribute", base + ";object=root;modul-path=x", nil, "PKCS#11 " + base + ";object=root;modul-path=x: unknown attribute modul-path, object (want module-path, token, serial or slot-id, max-sessions, pin-source; keys are named by iotcert)"},
		{"not name=value", "pkcs11:token;pin-value=" + tok.PIN, nil, `PKCS#11 pkcs11:token;pin-value=***: malformed URI: path attribute "token" is not name=value`},
		{"bad escape", "pkcs11:token=a%zz?pin-value=" + tok.PIN, nil, "PKCS#11 pkcs11:token=a%zz?pin-value=***: malformed URI: attribute token: bad %-escape"},
		{"twice", base + ";token=x", nil, "PKCS#11 " + base + ";token=x: attribute token given twice"},
		{"hierarchical", "pkcs11://token/x", nil, `PKCS#11 pkcs11://token/x: malformed URI: want pkcs11:attribute=value;... with no "//"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := NewPKCS11(tc.uri, tc.opts...)
			if err == nil {
				p.Close()
				t.Fatal("opened")
			}
			if err.Error() != tc.want {
				t.Errorf("\n got %v\nwant %s", err, tc.want)
			}
			if strings.Contains(err.Error(), tok.PIN) {
				t.Errorf("the error shows the PIN: %v", err)
			}
		})
	}
}

func TestRedactURI(t *testing.T) {
	for in, want := range map[string]string{
		"pkcs11:token=a?pin-value=1234":               "pkcs11:token=a?pin-value=***",
		"pkcs11:token=a;pin-value=12%3B4;object=b":    "pkcs11:token=a;pin-value=***;object=b",
		"pkcs11:token=a?PIN-VALUE=1234&pin-source=/p": "pkcs11:token=a?PIN-VALUE=***&pin-source=/p",
		"pkcs11:token=a?pin-source=/p":                "pkcs11:token=a?pin-source=/p",
		"pin-value=a b c;token=t":                     "pin-value=***;token=t", // to the end of the attribute
	} {
		if got := RedactURI(in); got != want {
			t.Errorf("RedactURI(%q) = %q, want %q", in, got, want)
		}
	}
}

// BenchmarkPKCS11Sign measures signatures with a key in a SoftHSM2 token
// through go.step.sm/crypto/kms/pkcs11, on one goroutine and on all.
func BenchmarkPKCS11Sign(b *testing.B) {
	tok := softhsm.New(b, "iotcert-bench")
	token := openToken(b, tok.URIWithPINSource())
	for _, c := range []struct {
		curve    Curve
		hash     crypto.Hash
		parallel bool
	}{{P256, crypto.SHA256, false}, {P384, crypto.SHA384, false}, {P256, crypto.SHA256, true}} {
		name := string(c.curve)
		if c.parallel {
			name += "/parallel"
		}
		key, err := token.Generate("bench-"+strings.ReplaceAll(name, "/", "-"), c.curve)
		if err != nil {
			b.Fatal(err)
		}
		h := c.hash.New()
		h.Write([]byte("tbsCertificate"))
		digest := h.Sum(nil)
		b.Run(name, func(b *testing.B) {
			if c.parallel {
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						if _, err := key.Signer.Sign(rand.Reader, digest, c.hash); err != nil {
							b.Error(err)
							return
						}
					}
				})
			} else {
				for b.Loop() {
					if _, err := key.Signer.Sign(rand.Reader, digest, c.hash); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "sigs/s")
		})
	}
}

// BenchmarkPKCS11IssueDevice measures issuance of a P-256 device with a
// file key under a CA whose key is in a SoftHSM2 token: key generation,
// pre-issuance lint, the token's signature.
func BenchmarkPKCS11IssueDevice(b *testing.B) {
	tok := softhsm.New(b, "iotcert-bench")
	token := openToken(b, tok.URIWithPINSource())
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
	files, err := NewFileKeys()
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

// TestWriteCAKeyKind checks that WriteCA with force, replacing a key file
// by a key.ref or the other way round, leaves only the new one (LoadCAs
// reads key.ref first).
func TestWriteCAKeyKind(t *testing.T) {
	h := exampleHierarchy(t)
	out := t.TempDir()
	root := *h.CA("root")
	if err := WriteCA(out, &root, false); err != nil {
		t.Fatal(err)
	}
	inToken := root
	inToken.Key = &Key{Signer: root.Signer, Ref: "pkcs11:id=01;object=root;token=t"}
	for _, tc := range []struct {
		ca         *CA
		want, gone string
	}{{&inToken, KeyRefFile, KeyFile}, {&root, KeyFile, KeyRefFile}} {
		if err := WriteCA(out, tc.ca, true); err != nil {
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

// TestPKCS11BatchJSONL issues a jsonl batch whose device keys are made in
// a SoftHSM2 token: each record has the key's reference as key_ref (no
// key), which opens the key whose public half the certificate holds.
func TestPKCS11BatchJSONL(t *testing.T) {
	tok := softhsm.New(t, "iotcert-jsonl")
	token := openToken(t, tok.URIWithPINSource())
	s, err := LoadSpec("spec.yaml", []byte(pkcs11Spec))
	if err != nil {
		t.Fatal(err)
	}
	h, err := New(s, WithKeys(token))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.CreateCAs(); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	sum, err := h.IssueBatch(out, "sensor", batchRows(3, nil), BatchOptions{Layout: LayoutJSONL})
	if err != nil || sum.Issued != 3 {
		t.Fatalf("summary %+v, %v", sum, err)
	}
	lines := jsonlLines(t, out)
	if len(lines) != 3 {
		t.Fatalf("%d lines", len(lines))
	}
	for _, l := range lines {
		if !strings.HasPrefix(l, `{"id":"dev-00`) || !strings.Contains(l, `","key_ref":"pkcs11:`) || strings.Contains(l, `"key":`) || strings.Contains(l, "PRIVATE KEY") {
			t.Errorf("record %.120s...", l)
		}
		var rec DeviceRecord
		if err := json.Unmarshal([]byte(l), &rec); err != nil {
			t.Fatal(err)
		}
		block, _ := pem.Decode([]byte(rec.Cert))
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			t.Fatal(err)
		}
		signer, err := token.Open(rec.KeyRef)
		if err != nil {
			t.Fatalf("%s: key_ref %q: %v", rec.ID, rec.KeyRef, err)
		}
		if !samePublicKey(c.PublicKey, signer.Public()) {
			t.Errorf("%s: key_ref does not name the certificate's key", rec.ID)
		}
	}
}

// TestPKCS11GenerateConcurrently makes keys from many goroutines at once,
// as a batch's workers do: SoftHSM2 fails token objects created at the
// same time (CKR_GENERAL_ERROR), so Generate must take them one at a time.
func TestPKCS11GenerateConcurrently(t *testing.T) {
	tok := softhsm.New(t, "iotcert-concurrent")
	token := openToken(t, tok.URIWithPINSource())
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := range 8 {
		wg.Go(func() {
			for i := range 6 {
				if _, err := token.Generate(fmt.Sprintf("device-%d-%d", g, i), P256); err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

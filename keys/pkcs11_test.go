package keys

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/iotcert/iotcert/internal/softhsm"
)

func openToken(t testing.TB, uri string, opts ...PKCS11Option) *PKCS11 {
	t.Helper()
	p, err := NewPKCS11(uri, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
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
	if !SamePublicKey(opened.Public(), key.Signer.Public()) {
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
	if k, err := dup.Generate("sub", P384); err != nil || Describe(k.Signer.Public()) != "P-384" {
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
	big := filepath.Join(t.TempDir(), "big")
	if err := os.WriteFile(big, make([]byte, 64<<10+1), 0o600); err != nil {
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
		{"pin-source past the size limit", base + "?pin-source=" + big, nil, "PKCS#11 " + base + "?pin-source=" + big + ": pin-source: " + big + ": larger than 65536 bytes"},
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
		got := RedactURI(in)
		if got != want {
			t.Errorf("RedactURI(%q) = %q, want %q", in, got, want)
		}
		if has := HasPINValue(in); has != (got != in) {
			t.Errorf("HasPINValue(%q) = %v", in, has)
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

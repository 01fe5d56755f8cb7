package roll

import (
	"crypto"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/iotcert/iotcert/internal/softhsm"
	"github.com/iotcert/iotcert/keys"
)

// openToken opens the SoftHSM2 token tok as the key backend of a test.
func openToken(t *testing.T, tok *softhsm.Token) *keys.PKCS11 {
	t.Helper()
	token, err := keys.NewPKCS11(tok.URIWithPINSource())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { token.Close() })
	return token
}

// TestPKCS11Rollover rolls the root of a three-level hierarchy whose CA
// keys are in a fresh SoftHSM2 token: the new root's key is made in the
// token and published as key.ref, the re-signed device CA keeps its token
// key, a device is issued from the rollover directory, and the paths
// through the link certificates validate with crypto/x509 and openssl.
func TestPKCS11Rollover(t *testing.T) {
	tok := softhsm.New(t, "iotcert-roll")
	token := openToken(t, tok)
	r := rollTestPKIWith(t, token)

	ref := func(p string) string {
		t.Helper()
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		return strings.TrimSuffix(string(b), "\n")
	}
	newRef := ref(filepath.Join(r.newDir, keys.RefFile))
	if want := "module-path=" + tok.Module + ";object=root@20270101T000000Z;token=iotcert-roll?pin-source=" + tok.PINFile; !strings.HasPrefix(newRef, "pkcs11:id=") || !strings.HasSuffix(newRef, want) {
		t.Errorf("key.ref = %q, want pkcs11:id=...;%s", newRef, want)
	}
	if got := ref(filepath.Join(r.newDir, "root", keys.RefFile)); got != newRef {
		t.Errorf("root/key.ref = %q, want %q", got, newRef)
	}
	if got, want := ref(filepath.Join(r.newDir, "device-ca", keys.RefFile)), ref(filepath.Join(r.pki, "device-ca", keys.RefFile)); got != want {
		t.Errorf("device-ca/key.ref = %q, want the old %q", got, want)
	}
	for _, p := range []string{filepath.Join(r.newDir, keys.File), filepath.Join(r.pki, "root", keys.File), filepath.Join(r.pki, "device-ca", keys.File)} {
		if _, err := os.Lstat(p); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s: %v, want no key file", p, err)
		}
	}
	if r.ro.Key.PEM != nil {
		t.Error("the new root's key has PEM")
	}
	// The key.ref opens the key of NewWithNew.
	s, err := token.Open(newRef)
	if err != nil || !keys.SamePublicKey(s.Public(), r.ro.NewWithNew.PublicKey) {
		t.Errorf("opening key.ref: %v", err)
	}
	want := []string{
		"private-key device-ca", "private-key root", "private-key root@20270101T000000Z",
		"public-key device-ca", "public-key root", "public-key root@20270101T000000Z",
	}
	if got := tok.Objects(t); !slices.Equal(got, want) {
		t.Errorf("token objects\n got %q\nwant %q", got, want)
	}

	checkLinkPaths(t, r)
	m := Verify(r.set, []EndEntity{r.oldEE, r.newEE}, []Moment{{Label: "overlap", Time: time.Date(2027, 6, 1, 0, 0, 0, 0, time.UTC)}, {Label: "no clock", NoClock: true}})
	if m.Errors != 0 || len(m.Rows) != 12 {
		t.Errorf("verify: %d rows, %d errors; want 12, 0", len(m.Rows), m.Errors)
	}
}

// failingKeys makes keys in the token whose signers fail: a rollover that
// fails after making its key.
type failingKeys struct{ *keys.PKCS11 }

func (k failingKeys) Generate(label string, curve keys.Curve) (*keys.Key, error) {
	key, err := k.PKCS11.Generate(label, curve)
	if err != nil {
		return nil, err
	}
	key.Signer = failingSigner{key.Signer}
	return key, nil
}

type failingSigner struct{ crypto.Signer }

func (failingSigner) Sign(io.Reader, []byte, crypto.SignerOpts) ([]byte, error) {
	return nil, errors.New("CKR_DEVICE_REMOVED (test)")
}

// TestPKCS11Refused checks that a rollover of a hierarchy whose keys are
// in a token is refused with an error that says why, leaves the old
// material as it was and no new key object in the token: refusals before
// the key is made (a mismatched key, a wrong subject, the lint gate, a
// label the token holds) and a failure after it (the key is deleted).
func TestPKCS11Refused(t *testing.T) {
	tok := softhsm.New(t, "iotcert-refuse")
	token := openToken(t, tok)
	dir := t.TempDir()
	pki := filepath.Join(dir, "pki")
	oldPKI(t, pki, token)
	// A root directory whose key.ref names the device CA's key.
	bad := filepath.Join(dir, "bad-root")
	os.Mkdir(bad, 0o755)
	cert, _ := os.ReadFile(filepath.Join(pki, "root", "cert.pem"))
	ref, _ := os.ReadFile(filepath.Join(pki, "device-ca", "key.ref"))
	os.WriteFile(filepath.Join(bad, "cert.pem"), cert, 0o644)
	os.WriteFile(filepath.Join(bad, "key.ref"), ref, 0o600)
	// A key under the label a rollover at t1 plus an hour would use.
	taken := t1.Add(time.Hour)
	if _, err := token.Generate("root@20270101T010000Z", keys.P256); err != nil {
		t.Fatal(err)
	}
	before := hashTree(t, dir)
	objects := tok.Objects(t)
	if len(objects) != 6 {
		t.Fatalf("token objects before: %q", objects)
	}

	tests := []struct {
		name    string
		oldDir  string
		resign  []string
		spec    string
		now     time.Time
		keys    keys.Backend
		wantErr error
		wantMsg string
	}{
		{"mismatched key", bad, nil, rollSpec, t1, token, ErrKeyMismatch, `the key does not belong to the certificate (` + strings.TrimSpace(string(ref)) + ` is not the key of the certificate "CN=Test IoT Root CA,O=Example Devices Ltd,C=DE")`},
		{"new name is the device CA's", filepath.Join(pki, "root"), []string{filepath.Join(pki, "device-ca")}, "validity: 10y\nsubject: \"CN=Test IoT Device CA, O=Example Devices Ltd, C=DE\"\n", t1, token, ErrSubject, `CA "device-ca": wrong subject: its name "CN=Test IoT Device CA,O=Example Devices Ltd,C=DE" is the new root's`},
		{"lint gate", filepath.Join(pki, "root"), []string{filepath.Join(pki, "device-ca")}, "validity: 10y\nsubject: \"CN=No Organisation\"\n", t1, token, nil, "e_iot_root_subject_cn_o_c"},
		{"label taken", filepath.Join(pki, "root"), nil, rollSpec, taken, token, os.ErrExist, `new root key: PKCS#11 ` + tok.URIWithPINSource() + `: the token holds a key labelled "root@20270101T010000Z" already`},
		{"signing fails after the key is made", filepath.Join(pki, "root"), []string{filepath.Join(pki, "device-ca")}, rollSpec, t1, failingKeys{token}, nil, "NewWithNew: signing: CKR_DEVICE_REMOVED (test)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			err := rollAndWrite(tc.keys, tc.now, tc.oldDir, tc.resign, tc.spec, out)
			if err == nil {
				t.Fatal("not refused")
			}
			if tc.wantErr != nil && !errors.Is(err, tc.wantErr) {
				t.Errorf("error %v, want %v", err, tc.wantErr)
			}
			if !strings.Contains(err.Error(), tc.wantMsg) {
				t.Errorf("error %q does not say %q", err, tc.wantMsg)
			}
			if strings.Contains(err.Error(), tok.PIN) {
				t.Errorf("error shows the PIN: %v", err)
			}
			if _, err := os.Lstat(out); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("%s was made", out)
			}
			if got := tok.Objects(t); !slices.Equal(got, objects) {
				t.Errorf("token objects\n got %q\nwant %q", got, objects)
			}
		})
	}
	after := hashTree(t, dir)
	if len(after) != len(before) {
		t.Errorf("%d files before, %d after", len(before), len(after))
	}
	for p, h := range before {
		if after[p] != h {
			t.Errorf("%s changed", p)
		}
	}
}

// TestDiscard checks that Discard deletes the new key of an unpublished
// rollover from the token.
func TestDiscard(t *testing.T) {
	tok := softhsm.New(t, "iotcert-discard")
	token := openToken(t, tok)
	pki := filepath.Join(t.TempDir(), "pki")
	oldPKI(t, pki, token)
	objects := tok.Objects(t)
	old, err := LoadOldRoot(filepath.Join(pki, "root"), token)
	if err != nil {
		t.Fatal(err)
	}
	roller, err := New(WithKeys(token), WithClock(func() time.Time { return t1 }))
	if err != nil {
		t.Fatal(err)
	}
	spec, _ := LoadSpec("roll.yaml", []byte(rollSpec))
	plan, err := roller.Plan(old, spec)
	if err != nil {
		t.Fatal(err)
	}
	ro, err := roller.Execute(plan)
	if err != nil {
		t.Fatal(err)
	}
	if got := tok.Objects(t); len(got) != len(objects)+2 {
		t.Fatalf("after Execute: token objects %q", got)
	}
	if err := roller.Discard(ro); err != nil {
		t.Fatal(err)
	}
	if got := tok.Objects(t); !slices.Equal(got, objects) {
		t.Errorf("after Discard: token objects\n got %q\nwant %q", got, objects)
	}
}

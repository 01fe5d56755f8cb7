package roll

import (
	"bytes"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/iotcert/iotcert/certio"
	"github.com/iotcert/iotcert/keys"
	"github.com/iotcert/iotcert/ldevid"
	"github.com/iotcert/iotcert/profile"
	"github.com/iotcert/iotcert/store"
)

// rolled is a made and published rollover of the test hierarchy.
type rolled struct {
	pki, newDir string
	ro          *Rollover
	set         *Set
	oldEE       EndEntity
	newEE       EndEntity
}

// rollTestPKI makes the old hierarchy with file keys, rolls its root at
// t1 (re-signing the device CA), publishes the rollover and issues a new
// device from it at t2.
func rollTestPKI(t *testing.T) *rolled {
	t.Helper()
	kb, err := keys.NewFileKeys()
	if err != nil {
		t.Fatal(err)
	}
	return rollTestPKIWith(t, kb)
}

// rollTestPKIWith is rollTestPKI with the CA keys, old and new, made and
// opened by keys.
func rollTestPKIWith(t *testing.T, kb keys.Backend) *rolled {
	t.Helper()
	dir := t.TempDir()
	r := &rolled{pki: filepath.Join(dir, "pki"), newDir: filepath.Join(dir, "pki-2")}
	oldPKI(t, r.pki, kb)
	old, err := LoadOldRoot(filepath.Join(r.pki, "root"), kb)
	if err != nil {
		t.Fatal(err)
	}
	sub, err := LoadCA(filepath.Join(r.pki, "device-ca"), kb)
	if err != nil {
		t.Fatal(err)
	}
	roller, err := New(WithKeys(kb), WithClock(func() time.Time { return t1 }))
	if err != nil {
		t.Fatal(err)
	}
	spec, err := LoadSpec("roll.yaml", []byte(rollSpec))
	if err != nil {
		t.Fatal(err)
	}
	plan, err := roller.Plan(old, spec, sub)
	if err != nil {
		t.Fatal(err)
	}
	if r.ro, err = roller.Execute(plan); err != nil {
		t.Fatal(err)
	}
	if err := Write(r.newDir, r.ro); err != nil {
		t.Fatal(err)
	}
	issueDevice(t, r.newDir, "new-1", t2, kb)
	if r.set, err = LoadSet(filepath.Join(r.pki, "root"), r.newDir); err != nil {
		t.Fatal(err)
	}
	oldEEs, err := LoadEndEntities(filepath.Join(r.pki, "devices"))
	if err != nil || len(oldEEs) != 1 {
		t.Fatalf("old devices: %v, %v", oldEEs, err)
	}
	newEEs, err := LoadEndEntities(filepath.Join(r.newDir, "devices"))
	if err != nil || len(newEEs) != 1 {
		t.Fatalf("new devices: %v, %v", newEEs, err)
	}
	r.oldEE, r.newEE = oldEEs[0], newEEs[0]
	return r
}

func criticalOf(c *x509.Certificate, oid string) (present, critical bool) {
	for _, e := range c.Extensions {
		if e.Id.String() == oid {
			return true, e.Critical
		}
	}
	return false, false
}

// TestRolloverCertificates checks every field RFC 9810 §4.4.1 fixes in
// the four certificates and the re-signed CA.
func TestRolloverCertificates(t *testing.T) {
	r := rollTestPKI(t)
	ro := r.ro
	owo, nwn, nwo, own := ro.OldWithOld, ro.NewWithNew, ro.NewWithOld, ro.OldWithNew
	newSKI, _ := keys.SubjectKeyID(ro.Key.Signer.Public())
	oldSKI := owo.SubjectKeyId
	tests := []struct {
		name               string
		c                  *x509.Certificate
		subject, issuer    []byte
		key                any
		ski, aki           []byte
		notBefore, notAfte time.Time
		signer             *x509.Certificate
	}{
		{"NewWithNew", nwn, owo.RawSubject, owo.RawSubject, ro.Key.Signer.Public(), newSKI, newSKI, t1, t1.AddDate(10, 0, 0), nwn},
		{"NewWithOld", nwo, owo.RawSubject, owo.RawSubject, ro.Key.Signer.Public(), newSKI, oldSKI, t1, owo.NotAfter, owo},
		{"OldWithNew", own, owo.RawSubject, owo.RawSubject, owo.PublicKey, oldSKI, newSKI, owo.NotBefore, owo.NotAfter, nwn},
		{"device-ca re-signed", ro.Resigned[0].Cert, ro.Resigned[0].CA.Cert.RawSubject, owo.RawSubject, ro.Resigned[0].CA.Cert.PublicKey, ro.Resigned[0].CA.Cert.SubjectKeyId, newSKI, t1, t1.AddDate(5, 0, 0), nwn},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := tc.c
			if !bytes.Equal(c.RawSubject, tc.subject) || !bytes.Equal(c.RawIssuer, tc.issuer) {
				t.Errorf("subject %q issuer %q", c.Subject, c.Issuer)
			}
			if !keys.SamePublicKey(c.PublicKey, tc.key) {
				t.Error("wrong public key")
			}
			if !bytes.Equal(c.SubjectKeyId, tc.ski) || !bytes.Equal(c.AuthorityKeyId, tc.aki) {
				t.Errorf("SKI %X AKI %X, want %X %X", c.SubjectKeyId, c.AuthorityKeyId, tc.ski, tc.aki)
			}
			if !c.NotBefore.Equal(tc.notBefore) || !c.NotAfter.Equal(tc.notAfte) {
				t.Errorf("validity %s .. %s, want %s .. %s", c.NotBefore, c.NotAfter, tc.notBefore, tc.notAfte)
			}
			if err := c.CheckSignature(c.SignatureAlgorithm, c.RawTBSCertificate, c.Signature); (tc.signer == c) != (err == nil) {
				t.Errorf("self-signature check: %v", err)
			}
			if err := tc.signer.CheckSignature(c.SignatureAlgorithm, c.RawTBSCertificate, c.Signature); err != nil {
				t.Errorf("not signed by %s: %v", tc.signer.Subject, err)
			}
			if !c.IsCA || !c.BasicConstraintsValid || c.MaxPathLen != -1 || c.MaxPathLenZero {
				t.Errorf("basicConstraints cA=%v pathLen=%d", c.IsCA, c.MaxPathLen)
			}
			if p, crit := criticalOf(c, "2.5.29.19"); !p || !crit {
				t.Error("basicConstraints not critical")
			}
			if p, crit := criticalOf(c, "2.5.29.15"); !p || !crit {
				t.Error("keyUsage not critical")
			}
			if c.KeyUsage&(x509.KeyUsageCertSign|x509.KeyUsageCRLSign) != x509.KeyUsageCertSign|x509.KeyUsageCRLSign {
				t.Errorf("keyUsage %b", c.KeyUsage)
			}
		})
	}
	for _, v := range ro.Verdicts {
		for _, f := range v.Result.Findings {
			if f.Level >= profile.Warn {
				t.Errorf("%s: pre-issuance finding %s %s: %s", v.What, f.Level, f.Lint, f.Details)
			}
		}
	}
	if got := []string{ro.Verdicts[0].Result.Role, ro.Verdicts[1].Result.Role, ro.Verdicts[2].Result.Role, ro.Verdicts[3].Result.Role}; !slices.Equal(got, []string{"root", "link", "link", "subordinate"}) {
		t.Errorf("pre-issuance roles %v", got)
	}
}

// TestRolloverFiles checks the published directory: file modes, the key,
// the /cacerts bundle in its three forms, and that it is a directory
// "gen device" issues from (rollTestPKI issued new-1 from it).
func TestRolloverFiles(t *testing.T) {
	r := rollTestPKI(t)
	want := []string{
		"cacerts.b64", "cacerts.p7b", "cacerts.pem", "device-ca/cert.pem", "device-ca/key.ref",
		"devices/new-1/cert.pem", "devices/new-1/chain.pem", "devices/new-1/key.pem",
		"key.pem", "newwithnew.pem", "newwithold.pem", "oldwithnew.pem", "oldwithold.pem",
		"rollover.dot", "rollover.mmd", "root/cert.pem", "root/key.ref",
	}
	var got []string
	modes := map[string]fs.FileMode{}
	filepath.WalkDir(r.newDir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(r.newDir, p)
			got = append(got, filepath.ToSlash(rel))
			if fi, err := d.Info(); err == nil {
				modes[filepath.ToSlash(rel)] = fi.Mode().Perm()
			}
		}
		return nil
	})
	if !slices.Equal(got, want) {
		t.Errorf("files\n got %v\nwant %v", got, want)
	}
	for _, f := range []string{"key.pem", "root/key.ref", "device-ca/key.ref"} {
		if modes[f] != 0o600 {
			t.Errorf("%s: mode %o, want 600", f, modes[f])
		}
	}
	// key.ref paths are relative to the directory holding key.ref.
	if filepath.Dir(r.newDir) != filepath.Dir(r.pki) {
		t.Fatalf("%s and %s are not side by side", r.newDir, r.pki)
	}
	for f, want := range map[string]string{
		"device-ca/key.ref": "../../" + filepath.Base(r.pki) + "/device-ca/key.pem\n",
		"root/key.ref":      "../key.pem\n",
	} {
		if ref, _ := os.ReadFile(filepath.Join(r.newDir, f)); string(ref) != want {
			t.Errorf("%s = %q, want %q", f, ref, want)
		}
	}

	der, err := os.ReadFile(filepath.Join(r.newDir, CACertsDERFile))
	if err != nil {
		t.Fatal(err)
	}
	b64, _ := os.ReadFile(filepath.Join(r.newDir, CACertsB64File))
	if dec, err := base64.StdEncoding.DecodeString(strings.ReplaceAll(string(b64), "\r\n", "")); err != nil || !bytes.Equal(dec, der) {
		t.Errorf("cacerts.b64 does not decode to cacerts.p7b: %v", err)
	}
	wantCerts := map[string]bool{}
	for _, c := range r.ro.CACerts() {
		wantCerts[string(c.Raw)] = true
	}
	for _, f := range []string{CACertsDERFile, CACertsB64File, CACertsPEMFile} {
		n := 0
		for it := range certio.Read([]string{filepath.Join(r.newDir, f)}, nil) {
			if it.Err != nil {
				t.Fatalf("%s: %v", f, it.Err)
			}
			if !wantCerts[string(it.DER)] {
				t.Errorf("%s: unexpected certificate", f)
			}
			n++
		}
		if n != 4 {
			t.Errorf("%s: %d certificates, want 4", f, n)
		}
	}
	if _, err := exec.LookPath("openssl"); err == nil {
		out, err := exec.Command("openssl", "pkcs7", "-inform", "DER", "-in", filepath.Join(r.newDir, CACertsDERFile), "-print_certs", "-noout").CombinedOutput()
		if err != nil || strings.Count(string(out), "subject=") != 4 {
			t.Errorf("openssl pkcs7: %v\n%s", err, out)
		}
	}
	mmd, _ := os.ReadFile(filepath.Join(r.newDir, MermaidFile))
	for _, w := range []string{"flowchart TB", `owo -. "old key signs" .-> nwo`, `nwo -. "certifies the new key" .-> nwn`, `nwn -. "new key signs" .-> own`, "owo --> old0", "nwn --> new0"} {
		if !strings.Contains(string(mmd), w) {
			t.Errorf("rollover.mmd lacks %q", w)
		}
	}
	dot, _ := os.ReadFile(filepath.Join(r.newDir, DOTFile))
	for _, w := range []string{"digraph rollover {", "owo -> nwo [style=dashed", "own -> owo [style=dashed", "nwn -> new0;"} {
		if !strings.Contains(string(dot), w) {
			t.Errorf("rollover.dot lacks %q", w)
		}
	}
	if err := Write(r.newDir, r.ro); !errors.Is(err, os.ErrExist) {
		t.Errorf("Write over an existing directory: %v, want os.ErrExist", err)
	}
}

// TestLinkPaths is the proof the issue asks for: a device that trusts
// only the old root validates a new-hierarchy LDevID through NewWithOld,
// and one that trusts only the new root validates an old LDevID through
// OldWithNew; without the link certificate neither validates. Checked
// with crypto/x509 and with openssl verify.
func TestLinkPaths(t *testing.T) {
	checkLinkPaths(t, rollTestPKI(t))
}

// checkLinkPaths is TestLinkPaths on the rollover r.
func checkLinkPaths(t *testing.T, r *rolled) {
	t.Helper()
	at := time.Date(2027, 6, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name  string
		ee    EndEntity
		root  *x509.Certificate
		inter []*x509.Certificate
		want  []string // path, end entity first; nil: must not validate
	}{
		{"old-root device, new LDevID, NewWithOld", r.newEE, r.set.OldWithOld, []*x509.Certificate{r.set.NewWithOld, r.ro.Resigned[0].Cert},
			[]string{"end entity", "Test IoT Device CA (new)", "NewWithOld", "OldWithOld"}},
		{"old-root device, new LDevID, no link", r.newEE, r.set.OldWithOld, []*x509.Certificate{r.ro.Resigned[0].Cert}, nil},
		{"new-root device, old LDevID, OldWithNew", r.oldEE, r.set.NewWithNew, []*x509.Certificate{r.set.OldWithNew, r.ro.Resigned[0].CA.Cert},
			[]string{"end entity", "Test IoT Device CA (old)", "OldWithNew", "NewWithNew"}},
		{"new-root device, old LDevID, no link", r.oldEE, r.set.NewWithNew, []*x509.Certificate{r.ro.Resigned[0].CA.Cert}, nil},
		// As a device does it: the /cacerts bundle and the chain the end
		// entity comes with (chain.pem, which ends with its root).
		{"old-root device, new LDevID, /cacerts and chain.pem", r.newEE, r.set.OldWithOld, append(r.ro.CACerts(), r.newEE.Chain...),
			[]string{"end entity", "Test IoT Device CA (new)", "NewWithOld", "OldWithOld"}},
		{"new-root device, old LDevID, /cacerts and chain.pem", r.oldEE, r.set.NewWithNew, append(r.ro.CACerts(), r.oldEE.Chain...),
			[]string{"end entity", "Test IoT Device CA (old)", "OldWithNew", "NewWithNew"}},
	}
	labels := r.set.labels()
	haveOpenSSL := true
	if _, err := exec.LookPath("openssl"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("openssl is not installed; .ci/run installs it")
		}
		haveOpenSSL = false
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			chains, err := verifyWith(tc.ee.Cert, []*x509.Certificate{tc.root}, tc.inter, Moment{Time: at})
			var got []string
			if err == nil {
				for _, c := range chains[0] {
					got = append(got, labels.of(c, tc.ee.Cert))
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("x509.Verify: path %v (%v), want %v", got, err, tc.want)
			}
			if !haveOpenSSL {
				return
			}
			dir := t.TempDir()
			writePEM(t, filepath.Join(dir, "ca.pem"), tc.root)
			writePEM(t, filepath.Join(dir, "untrusted.pem"), tc.inter...)
			writePEM(t, filepath.Join(dir, "ee.pem"), tc.ee.Cert)
			cmd := exec.Command("openssl", "verify", "-partial_chain", "-attime", fmt.Sprint(at.Unix()), "-show_chain",
				"-CAfile", filepath.Join(dir, "ca.pem"), "-untrusted", filepath.Join(dir, "untrusted.pem"), filepath.Join(dir, "ee.pem"))
			out, err := cmd.CombinedOutput()
			if (err == nil) != (tc.want != nil) {
				t.Errorf("openssl verify: %v, want success %v\n%s", err, tc.want != nil, out)
			}
			if tc.want != nil && !strings.Contains(string(out), "depth=3") {
				t.Errorf("openssl verify: want a path of four certificates\n%s", out)
			}
		})
	}
}

func writePEM(t *testing.T, path string, certs ...*x509.Certificate) {
	t.Helper()
	var b bytes.Buffer
	for _, c := range certs {
		b.Write(store.CertPEM(c))
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestVerifyMatrix checks the whole matrix: every device generation,
// both end entities, during the overlap, without a clock and after the
// old root's expiry.
func TestVerifyMatrix(t *testing.T) {
	r := rollTestPKI(t)
	moments := []Moment{
		{Label: "overlap", Time: time.Date(2027, 6, 1, 0, 0, 0, 0, time.UTC)},
		{Label: "no clock", NoClock: true},
		{Label: "after old expiry", Time: time.Date(2029, 1, 15, 0, 0, 0, 0, time.UTC)},
	}
	m := Verify(r.set, []EndEntity{r.oldEE, r.newEE}, moments)
	type row struct {
		at       string
		trust    Trust
		ee       IssuingRoot
		expected bool
		valid    bool
		path     string
	}
	want := []row{
		{"overlap", TrustOld, IssuedOld, true, true, "end entity > Test IoT Device CA (old) > OldWithOld"},
		{"overlap", TrustNew, IssuedOld, true, true, "end entity > Test IoT Device CA (old) > OldWithNew > NewWithNew"},
		{"overlap", TrustBoth, IssuedOld, true, true, "end entity > Test IoT Device CA (old) > OldWithOld"},
		{"no clock", TrustOld, IssuedOld, true, true, "end entity > Test IoT Device CA (old) > OldWithOld"},
		{"no clock", TrustNew, IssuedOld, true, true, "end entity > Test IoT Device CA (old) > OldWithNew > NewWithNew"},
		{"no clock", TrustBoth, IssuedOld, true, true, "end entity > Test IoT Device CA (old) > OldWithOld"},
		{"after old expiry", TrustOld, IssuedOld, false, false, ""},
		{"after old expiry", TrustNew, IssuedOld, false, false, ""},
		{"after old expiry", TrustBoth, IssuedOld, false, false, ""},
		{"overlap", TrustOld, IssuedNew, true, true, "end entity > Test IoT Device CA (new) > NewWithOld > OldWithOld"},
		{"overlap", TrustNew, IssuedNew, true, true, "end entity > Test IoT Device CA (new) > NewWithNew"},
		{"overlap", TrustBoth, IssuedNew, true, true, "end entity > Test IoT Device CA (new) > NewWithNew"},
		{"no clock", TrustOld, IssuedNew, true, true, "end entity > Test IoT Device CA (new) > NewWithOld > OldWithOld"},
		{"no clock", TrustNew, IssuedNew, true, true, "end entity > Test IoT Device CA (new) > NewWithNew"},
		{"no clock", TrustBoth, IssuedNew, true, true, "end entity > Test IoT Device CA (new) > NewWithNew"},
		{"after old expiry", TrustOld, IssuedNew, false, false, ""},
		{"after old expiry", TrustNew, IssuedNew, true, true, "end entity > Test IoT Device CA (new) > NewWithNew"},
		{"after old expiry", TrustBoth, IssuedNew, true, true, "end entity > Test IoT Device CA (new) > NewWithNew"},
	}
	var got []row
	for _, r := range m.Rows {
		got = append(got, row{r.Moment.Label, r.Device, r.Issued, r.Expected, r.Valid, strings.Join(r.Path, " > ")})
	}
	if !slices.Equal(got, want) {
		t.Errorf("matrix:\n got %v\nwant %v", got, want)
	}
	if m.Errors != 0 {
		t.Errorf("%d errors, want 0", m.Errors)
	}

	// Without the link certificates the rollover fails its proof: every
	// cross-hierarchy combination is an error finding.
	broken := *r.set
	broken.NewWithOld, broken.OldWithNew = r.set.OldWithOld, r.set.NewWithNew
	if m := Verify(&broken, []EndEntity{r.oldEE, r.newEE}, moments[:1]); m.Errors != 2 {
		t.Errorf("without links: %d errors, want 2", m.Errors)
	}
}

// hashTree returns the SHA-256 of every file under dir.
func hashTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		out[p] = hex.EncodeToString(sum[:])
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestRefused checks that a rollover is refused, with an error that says
// why, and that the old material is left byte for byte as it was.
func TestRefused(t *testing.T) {
	dir := t.TempDir()
	pki := filepath.Join(dir, "pki")
	oldPKI(t, pki, nil)
	// A root directory whose key.pem is the device CA's key.
	bad := filepath.Join(dir, "bad-root")
	os.Mkdir(bad, 0o755)
	cert, _ := os.ReadFile(filepath.Join(pki, "root", "cert.pem"))
	key, _ := os.ReadFile(filepath.Join(pki, "device-ca", "key.pem"))
	os.WriteFile(filepath.Join(bad, "cert.pem"), cert, 0o644)
	os.WriteFile(filepath.Join(bad, "key.pem"), key, 0o600)
	before := hashTree(t, dir)

	kb, _ := keys.NewFileKeys()
	tests := []struct {
		name    string
		oldDir  string
		resign  []string
		spec    string
		now     time.Time
		wantErr error
		wantMsg string
	}{
		{"mismatched key", bad, nil, rollSpec, t1, ErrKeyMismatch, "the key does not belong to the certificate"},
		{"old root is a subordinate", filepath.Join(pki, "device-ca"), nil, rollSpec, t1, ErrNotRoot, "is issued by"},
		{"re-sign the root itself", filepath.Join(pki, "root"), []string{filepath.Join(pki, "root")}, rollSpec, t1, ErrSubject, "it is the old root"},
		{"new name is the device CA's", filepath.Join(pki, "root"), []string{filepath.Join(pki, "device-ca")}, "validity: 10y\nsubject: \"CN=Test IoT Device CA, O=Example Devices Ltd, C=DE\"\n", t1, ErrSubject, "is the new root's"},
		{"old root expired", filepath.Join(pki, "root"), nil, rollSpec, time.Date(2029, 2, 1, 0, 0, 0, 0, time.UTC), ErrValidity, "the old root expired on 2029-01-01"},
		{"new root ends first", filepath.Join(pki, "root"), nil, "validity: 1y\n", t1, ErrValidity, "not after the old root"},
		{"new subject fails the profile", filepath.Join(pki, "root"), nil, "validity: 10y\nsubject: \"CN=No Organisation\"\n", t1, nil, "e_iot_root_subject_cn_o_c"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(dir, "out-"+strings.ReplaceAll(tc.name, " ", "-"))
			err := rollAndWrite(kb, tc.now, tc.oldDir, tc.resign, tc.spec, out)
			if err == nil {
				t.Fatal("not refused")
			}
			if tc.wantErr != nil && !errors.Is(err, tc.wantErr) {
				t.Errorf("error %v, want %v", err, tc.wantErr)
			}
			var refused *ldevid.RefusedError
			if tc.wantErr == nil && !errors.As(err, &refused) {
				t.Errorf("error %v, want a RefusedError", err)
			}
			if !strings.Contains(err.Error(), tc.wantMsg) {
				t.Errorf("error %q does not say %q", err, tc.wantMsg)
			}
			if _, err := os.Lstat(out); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("%s was made", out)
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

func TestLoadSpec(t *testing.T) {
	tests := []struct {
		name, data, wantErr string
	}{
		{"minimal", "validity: 20y\n", ""},
		{"all keys", "curve: P-384\nvalidity: 7300d\nsubject: \"CN=Root 2, O=Example, C=DE\"\nprofile: tls13-iot\nresign_validity: 10y\n", ""},
		{"unknown key", "validity: 20y\nvalditiy: 1y\n", `roll.yaml: line 2: unknown key "valditiy"`},
		{"no validity", "curve: P-256\n", "roll.yaml: validity is required (e.g. 20y)"},
		{"forever", "validity: forever\n", "roll.yaml: validity: a root must expire"},
		{"bad curve", "validity: 20y\ncurve: secp256k1\n", `roll.yaml: curve: unknown curve "secp256k1"`},
		{"template subject", "validity: 20y\nsubject: \"CN={{.id}}\"\n", "roll.yaml: subject: templates"},
		{"duplicate key", "validity: 20y\nvalidity: 10y\n", `roll.yaml: line 2: mapping key "validity" already defined`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := LoadSpec("roll.yaml", []byte(tc.data))
			switch {
			case tc.wantErr == "" && err != nil:
				t.Errorf("error %v", err)
			case tc.wantErr != "" && (err == nil || !strings.HasPrefix(err.Error(), tc.wantErr)):
				t.Errorf("error %v, want %q", err, tc.wantErr)
			}
		})
	}
}

// rollAndWrite loads the old root from oldDir and the CAs to re-sign from
// resign, plans and executes a rollover with specYAML at now, and writes
// it to out: the whole path a refused rollover must stop on.
func rollAndWrite(kb keys.Backend, now time.Time, oldDir string, resign []string, specYAML, out string) error {
	old, err := LoadOldRoot(oldDir, kb)
	if err != nil {
		return err
	}
	var subs []*CA
	for _, d := range resign {
		ca, err := LoadCA(d, kb)
		if err != nil {
			return err
		}
		subs = append(subs, ca)
	}
	spec, err := LoadSpec("roll.yaml", []byte(specYAML))
	if err != nil {
		return err
	}
	roller, err := New(WithKeys(kb), WithClock(func() time.Time { return now }))
	if err != nil {
		return err
	}
	plan, err := roller.Plan(old, spec, subs...)
	if err != nil {
		return err
	}
	ro, err := roller.Execute(plan)
	if err != nil {
		return err
	}
	return Write(out, ro)
}

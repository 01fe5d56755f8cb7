package main

import (
	"crypto/sha256"
	"encoding/json"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iotcert/iotcert/internal/softhsm"
	"github.com/iotcert/iotcert/ldevid"
	"github.com/iotcert/iotcert/roll"
)

// genPKI makes the example hierarchy and one device under dir/pki, as a
// user would, with the flags kms (--kms URI ...) if any.
func genPKI(t *testing.T, dir string, kms ...string) (spec, pki string) {
	t.Helper()
	spec = filepath.Join(dir, "hierarchy.yaml")
	if err := os.WriteFile(spec, ldevid.ExampleSpec(""), 0o644); err != nil {
		t.Fatal(err)
	}
	pki = filepath.Join(dir, "pki")
	for _, args := range [][]string{
		{"gen", "hierarchy", spec, "--out", pki},
		{"gen", "device", spec, "--out", pki, "--ca", "device-ca", "--id", "1001", "--set", "serial=SN1001"},
	} {
		args = append(args, kms...)
		if code, out, errOut := iotcert(t, "", args...); code != exitOK {
			t.Fatalf("%v: exit %d\n%s%s", args, code, out, errOut)
		}
	}
	return spec, pki
}

// TestRollCommands rolls the root of a hierarchy made by "gen", issues a
// device from the rollover directory with "gen device", and proves the
// result with "roll verify" and with openssl over the served /cacerts
// bundle.
func TestRollCommands(t *testing.T) {
	dir := t.TempDir()
	spec, pki := genPKI(t, dir)
	newDir := filepath.Join(dir, "pki-2")
	code, out, errOut := iotcert(t, "", "roll", "plan", "--old", filepath.Join(pki, "root"), "--resign", filepath.Join(pki, "device-ca"))
	if code != exitOK || !strings.Contains(out, "NewWithOld") || !strings.Contains(out, "Every device must trust the new root before") {
		t.Fatalf("roll plan: exit %d\n%s%s", code, out, errOut)
	}
	if _, err := os.Lstat(newDir); err == nil {
		t.Fatal("roll plan wrote something")
	}
	// A killed run left its temporary directory, holding a new root key.
	stale := filepath.Join(dir, ".pki-2.tmp123456")
	if err := os.MkdirAll(stale, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(stale, "key.pem"), []byte("stale key"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = iotcert(t, "", "roll", "execute", "--old", filepath.Join(pki, "root"), "--out", newDir, "--resign", filepath.Join(pki, "device-ca"))
	if code != exitOK || errOut != "iotcert roll execute: removed 1 temporary directories of a stopped run beside "+newDir+"\n" {
		t.Fatalf("roll execute: exit %d\n%s%s", code, out, errOut)
	}
	if _, err := os.Lstat(stale); !os.IsNotExist(err) {
		t.Errorf("the stopped run's directory is still there: %v", err)
	}
	if code, out, errOut := iotcert(t, "", "gen", "device", spec, "--out", newDir, "--ca", "device-ca", "--id", "2001", "--set", "serial=SN2001"); code != exitOK {
		t.Fatalf("gen device from the rollover directory: exit %d\n%s%s", code, out, errOut)
	}
	checkRollVerify(t, pki, newDir)
	checkServedBundle(t, dir, pki, newDir)
}

// checkRollVerify runs "roll verify" on the rollover newDir of pki/root
// with the devices 1001 (old) and 2001 (new): every combination that
// should validate does.
func checkRollVerify(t *testing.T, pki, newDir string) {
	t.Helper()
	code, out, errOut := iotcert(t, "", "roll", "verify", "--old", filepath.Join(pki, "root"), "--new", newDir, "--at", "before-old-expiry", "--format", "json")
	if code != exitOK {
		t.Fatalf("roll verify: exit %d\n%s%s", code, out, errOut)
	}
	var m roll.Matrix
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatal(err)
	}
	// Two end entities, three device generations, three moments (now,
	// before-old-expiry, no clock).
	valid := 0
	for _, r := range m.Rows {
		if r.Valid {
			valid++
		}
	}
	if len(m.Rows) != 18 || m.Errors != 0 || valid != 12 {
		t.Errorf("matrix: %d rows, %d errors, %d valid; want 18, 0, 12\n%s", len(m.Rows), m.Errors, valid, out)
	}

	// A device that cannot be read fails the run (exit 2) and does not
	// hide the others' verdicts.
	junk := filepath.Join(pki, "devices", "junk", "cert.pem")
	if err := os.MkdirAll(filepath.Dir(junk), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(junk, []byte("junk\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(filepath.Dir(junk))
	code, out2, errOut := iotcert(t, "", "roll", "verify", "--old", filepath.Join(pki, "root"), "--new", newDir, "--at", "before-old-expiry", "--format", "json")
	if want := "iotcert roll verify: devices: " + junk + " holds no PEM certificate\n"; code != exitUsage || errOut != want || out2 != out {
		t.Errorf("with an unreadable device: exit %d, stderr %q, same matrix %v; want exit 2, %q and the same matrix", code, errOut, out2 == out, want)
	}
}

// checkServedBundle checks with openssl, as the issue does, that the
// /cacerts response of the rollover newDir (base64, as served), with an
// LDevID's chain as the untrusted set, lets an old-root device validate
// the new LDevID 2001 through NewWithOld and a new-root device the old
// LDevID 1001 through OldWithNew.
func checkServedBundle(t *testing.T, dir, pki, newDir string) {
	t.Helper()
	if _, err := exec.LookPath("openssl"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("openssl is not installed; .ci/run installs it")
		}
		t.Skip("openssl is not installed")
	}
	p7 := filepath.Join(dir, "cacerts.pem")
	if b, err := exec.Command("sh", "-c", "openssl base64 -d -in "+filepath.Join(newDir, roll.CACertsB64File)+" | openssl pkcs7 -inform DER -print_certs -out "+p7).CombinedOutput(); err != nil {
		t.Fatalf("decoding cacerts.b64: %v\n%s", err, b)
	}
	tests := []struct {
		name, caFile, device string
	}{
		{"old-root device validates a new LDevID through NewWithOld", filepath.Join(pki, "root", "cert.pem"), filepath.Join(newDir, "devices", "2001")},
		{"new-root device validates an old LDevID through OldWithNew", filepath.Join(newDir, roll.NewWithNewFile), filepath.Join(pki, "devices", "1001")},
	}
	for _, tc := range tests {
		untrusted := filepath.Join(t.TempDir(), "untrusted.pem")
		a, _ := os.ReadFile(p7)
		b, _ := os.ReadFile(filepath.Join(tc.device, "chain.pem"))
		if err := os.WriteFile(untrusted, append(a, b...), 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command("openssl", "verify", "-partial_chain", "-show_chain", "-CAfile", tc.caFile, "-untrusted", untrusted, filepath.Join(tc.device, "cert.pem")).CombinedOutput()
		if err != nil || !strings.Contains(string(out), "depth=3") {
			t.Errorf("%s: %v\n%s", tc.name, err, out)
		}
	}
}

func treeHashes(t *testing.T, dir string) map[string][32]byte {
	t.Helper()
	out := map[string][32]byte{}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := os.ReadFile(p)
			out[p] = sha256.Sum256(b)
		}
		return nil
	})
	return out
}

// TestRollRefused checks the refusals: exit 1, a message that says why,
// no output directory and the old material byte for byte as it was.
func TestRollRefused(t *testing.T) {
	dir := t.TempDir()
	_, pki := genPKI(t, dir)
	mixed := filepath.Join(dir, "mixed-root")
	os.Mkdir(mixed, 0o755)
	c, _ := os.ReadFile(filepath.Join(pki, "root", "cert.pem"))
	k, _ := os.ReadFile(filepath.Join(pki, "device-ca", "key.pem"))
	os.WriteFile(filepath.Join(mixed, "cert.pem"), c, 0o644)
	os.WriteFile(filepath.Join(mixed, "key.pem"), k, 0o600)
	badName := filepath.Join(dir, "bad-name.yaml")
	os.WriteFile(badName, []byte("validity: 30y\nsubject: \"CN=Example IoT Device CA, O=Example Devices Ltd, C=DE\"\n"), 0o644)
	before := treeHashes(t, dir)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"mismatched key", []string{"--old", mixed}, "the key does not belong to the certificate"},
		{"not a root", []string{"--old", filepath.Join(pki, "device-ca")}, "not a self-signed CA certificate"},
		{"wrong subject", []string{"--old", filepath.Join(pki, "root"), "--spec", badName, "--resign", filepath.Join(pki, "device-ca")}, "wrong subject"},
	}
	for _, tc := range tests {
		out := filepath.Join(dir, "out")
		code, stdout, errOut := iotcert(t, "", append([]string{"roll", "execute", "--out", out}, tc.args...)...)
		if code != exitFindings || !strings.Contains(errOut, tc.want) {
			t.Errorf("%s: exit %d, stderr %q; want exit 1 saying %q\n%s", tc.name, code, errOut, tc.want, stdout)
		}
		if _, err := os.Lstat(out); err == nil {
			t.Errorf("%s: %s was made", tc.name, out)
		}
	}
	after := treeHashes(t, dir)
	if len(after) != len(before) {
		t.Errorf("%d files before, %d after", len(before), len(after))
	}
	for p, h := range before {
		if after[p] != h {
			t.Errorf("%s changed", p)
		}
	}
	if code, _, errOut := iotcert(t, "", "roll", "execute", "--old", filepath.Join(pki, "root"), "--out", pki); code != exitUsage || !strings.Contains(errOut, "exists") {
		t.Errorf("existing --out: exit %d, %q", code, errOut)
	}
}

// TestKeyRefMoved moves the directory holding a hierarchy and its
// rollover (with the new root's key a file, or in a SoftHSM2 token): the
// paths in key.ref are relative to the directory holding it, so "gen
// device" still issues from the rollover directory and "roll plan" still
// opens the new root's key; a key.ref naming a missing file is an error
// naming that key.ref.
func TestKeyRefMoved(t *testing.T) {
	for _, tc := range []struct {
		name  string
		token bool
	}{{"files", false}, {"new root in a token", true}} {
		t.Run(tc.name, func(t *testing.T) {
			var kms []string
			if tc.token {
				tok := softhsm.New(t, "iotcert-moved")
				kms = []string{"--kms", tok.URIWithPINSource()}
			}
			parent := t.TempDir()
			dir := filepath.Join(parent, "before")
			if err := os.Mkdir(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			spec, pki := genPKI(t, dir)
			args := append([]string{"roll", "execute", "--old", filepath.Join(pki, "root"), "--out", filepath.Join(dir, "pki-2"), "--resign", filepath.Join(pki, "device-ca")}, kms...)
			if code, out, errOut := iotcert(t, "", args...); code != exitOK {
				t.Fatalf("roll execute: exit %d\n%s%s", code, out, errOut)
			}
			moved := filepath.Join(parent, "after")
			if err := os.Rename(dir, moved); err != nil {
				t.Fatal(err)
			}
			newDir := filepath.Join(moved, "pki-2")
			probes := [][]string{
				{"gen", "device", filepath.Join(moved, filepath.Base(spec)), "--out", newDir, "--ca", "device-ca", "--id", "2001", "--set", "serial=SN2001"},
			}
			if !tc.token {
				// The new root's key.ref is a path only when its key is a
				// file. (With a token, the plan would also refuse a new
				// key label made within the same second.)
				probes = append(probes, []string{"roll", "plan", "--old", filepath.Join(newDir, "root")})
			}
			for _, args := range probes {
				if code, out, errOut := iotcert(t, "", append(args, kms...)...); code != exitOK {
					t.Errorf("%v after the move: exit %d\n%s%s", args[:2], code, out, errOut)
				}
			}
			if err := os.Remove(filepath.Join(moved, "pki", "device-ca", "key.pem")); err != nil {
				t.Fatal(err)
			}
			code, _, errOut := iotcert(t, "", append([]string{"gen", "device", filepath.Join(moved, filepath.Base(spec)), "--out", newDir, "--ca", "device-ca", "--id", "2002", "--set", "serial=SN2002"}, kms...)...)
			want := `iotcert gen device: CA "device-ca": ` + filepath.Join(newDir, "device-ca", "key.ref") + ": opening key " + filepath.Join(moved, "pki", "device-ca", "key.pem") + ": "
			if code != exitUsage || !strings.HasPrefix(errOut, want) {
				t.Errorf("key.ref naming a missing file: exit %d\n%s\nwant %q...", code, errOut, want)
			}
		})
	}
}

package main

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/iotcert/iotcert/internal/softhsm"
)

// TestRollPKCS11 rolls the root of a three-level hierarchy whose CA keys
// are in a fresh SoftHSM2 token, as a user would: gen hierarchy --kms,
// roll plan and roll execute --kms (the PIN from an environment variable),
// gen device from the rollover directory, roll verify, and openssl over
// the served /cacerts bundle.
func TestRollPKCS11(t *testing.T) {
	tok := softhsm.New(t, "iotcert-roll-cli")
	dir := t.TempDir()
	spec, pki := genPKI(t, dir, "--kms", tok.URIWithPINSource())
	objects := tok.Objects(t)
	if want := []string{"private-key device-ca", "private-key root", "public-key device-ca", "public-key root"}; !slices.Equal(objects, want) {
		t.Fatalf("token objects after gen hierarchy: %q, want %q", objects, want)
	}
	t.Setenv("IOTCERT_TEST_PIN", tok.PIN)
	kms := []string{"--kms", tok.URI(), "--kms-pin-env", "IOTCERT_TEST_PIN"}
	newDir := filepath.Join(dir, "pki-2")

	code, out, errOut := iotcert(t, "", append([]string{"roll", "plan", "--old", filepath.Join(pki, "root"), "--resign", filepath.Join(pki, "device-ca")}, kms...)...)
	if label := regexp.MustCompile(`new key: P-256, labelled "root@\d{8}T\d{6}Z"`); code != exitOK || !label.MatchString(out) {
		t.Fatalf("roll plan --kms: exit %d\n%s%s", code, out, errOut)
	}
	if got := tok.Objects(t); !slices.Equal(got, objects) {
		t.Errorf("roll plan made token objects: %q", got)
	}
	code, out, errOut = iotcert(t, "", append([]string{"roll", "execute", "--old", filepath.Join(pki, "root"), "--out", newDir, "--resign", filepath.Join(pki, "device-ca")}, kms...)...)
	if code != exitOK {
		t.Fatalf("roll execute --kms: exit %d\n%s%s", code, out, errOut)
	}
	if strings.Contains(out+errOut, tok.PIN) {
		t.Error("roll execute shows the PIN")
	}
	if _, err := os.Lstat(filepath.Join(newDir, "key.pem")); !os.IsNotExist(err) {
		t.Errorf("key.pem: %v, want none", err)
	}
	ref := mustRead(t, filepath.Join(newDir, "key.ref"))
	wantRef := regexp.MustCompile(`^pkcs11:id=[0-9a-f]{16};module-path=` + regexp.QuoteMeta(tok.Module) + `;object=root@\d{8}T\d{6}Z;token=iotcert-roll-cli` + "\n$")
	if !wantRef.MatchString(ref) {
		t.Errorf("key.ref = %q", ref)
	}
	if got := mustRead(t, filepath.Join(newDir, "root", "key.ref")); got != ref {
		t.Errorf("root/key.ref = %q, want %q", got, ref)
	}
	if got, want := mustRead(t, filepath.Join(newDir, "device-ca", "key.ref")), mustRead(t, filepath.Join(pki, "device-ca", "key.ref")); got != want {
		t.Errorf("device-ca/key.ref = %q, want the old %q", got, want)
	}
	label := regexp.MustCompile(`object=([^;]+)`).FindStringSubmatch(ref)
	if label == nil {
		t.Fatalf("no label in %q", ref)
	}
	objects = append(objects, "private-key "+label[1], "public-key "+label[1])
	slices.Sort(objects)
	if got := tok.Objects(t); !slices.Equal(got, objects) {
		t.Errorf("token objects after roll execute\n got %q\nwant %q", got, objects)
	}

	if code, out, errOut := iotcert(t, "", append([]string{"gen", "device", spec, "--out", newDir, "--ca", "device-ca", "--id", "2001", "--set", "serial=SN2001"}, kms...)...); code != exitOK {
		t.Fatalf("gen device --kms from the rollover directory: exit %d\n%s%s", code, out, errOut)
	}
	checkRollVerify(t, pki, newDir)
	checkServedBundle(t, dir, pki, newDir)
}

// TestRollPKCS11Refused checks that a refused rollover with keys in a
// token leaves the old material byte for byte as it was, makes no output
// directory and leaves no new key object in the token, whether it is
// refused before the new key is made (a mismatched key, a wrong subject,
// the lint gate) or fails after (the output cannot be written).
func TestRollPKCS11Refused(t *testing.T) {
	tok := softhsm.New(t, "iotcert-roll-refuse")
	dir := t.TempDir()
	kms := tok.URIWithPINSource()
	_, pki := genPKI(t, dir, "--kms", kms)
	mixed := filepath.Join(dir, "mixed-root")
	os.Mkdir(mixed, 0o755)
	os.WriteFile(filepath.Join(mixed, "cert.pem"), []byte(mustRead(t, filepath.Join(pki, "root", "cert.pem"))), 0o644)
	subRef := mustRead(t, filepath.Join(pki, "device-ca", "key.ref"))
	os.WriteFile(filepath.Join(mixed, "key.ref"), []byte(subRef), 0o600)
	badName := filepath.Join(dir, "bad-name.yaml")
	os.WriteFile(badName, []byte("validity: 30y\nsubject: \"CN=Example IoT Device CA, O=Example Devices Ltd, C=DE\"\n"), 0o644)
	lintFail := filepath.Join(dir, "lint-fail.yaml")
	os.WriteFile(lintFail, []byte("validity: 30y\nsubject: \"CN=No Organisation\"\n"), 0o644)
	notDir := filepath.Join(dir, "not-a-dir")
	os.WriteFile(notDir, nil, 0o644)
	before := treeHashes(t, dir)
	objects := tok.Objects(t)

	root, sub := filepath.Join(pki, "root"), filepath.Join(pki, "device-ca")
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"mismatched key", []string{"--old", mixed}, exitFindings,
			`iotcert roll execute: ` + mixed + `: CA "mixed-root": the key does not belong to the certificate (` + strings.TrimSuffix(subRef, "\n") + ` is not the key of the certificate "CN=Example IoT Root CA,O=Example Devices Ltd,C=DE")` + "\n"},
		{"wrong subject", []string{"--old", root, "--spec", badName, "--resign", sub}, exitFindings,
			`iotcert roll execute: CA "device-ca": wrong subject: its name "CN=Example IoT Device CA,O=Example Devices Ltd,C=DE" is the new root's` + "\n"},
		{"lint gate", []string{"--old", root, "--spec", lintFail, "--resign", sub}, exitFindings, "e_iot_root_subject_cn_o_c"},
		{"output not writable after the key is made", []string{"--old", root, "--resign", sub, "--out", filepath.Join(notDir, "out")}, exitUsage, "not a directory"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			args := append([]string{"roll", "execute", "--out", out, "--kms", kms}, tc.args...)
			code, stdout, errOut := iotcert(t, "", args...)
			if code != tc.code || !strings.Contains(errOut, tc.want) || stdout != "" {
				t.Errorf("exit %d, stdout %q\n got %s\nwant exit %d saying %s", code, stdout, errOut, tc.code, tc.want)
			}
			if strings.Contains(errOut, tok.PIN) {
				t.Errorf("stderr shows the PIN: %s", errOut)
			}
			if _, err := os.Lstat(out); err == nil {
				t.Errorf("%s was made", out)
			}
			if got := tok.Objects(t); !slices.Equal(got, objects) {
				t.Errorf("token objects\n got %q\nwant %q", got, objects)
			}
		})
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
	if code, _, errOut := iotcert(t, "", "roll", "plan", "--old", root); code != exitUsage ||
		errOut != "iotcert roll plan: "+root+": "+filepath.Join(root, "key.ref")+": key "+strings.TrimSuffix(mustRead(t, filepath.Join(root, "key.ref")), "\n")+" is in a PKCS#11 token: give --kms with the token's URI\n" {
		t.Errorf("without --kms: exit %d, %q", code, errOut)
	}
}
